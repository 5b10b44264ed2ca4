// The message frame (spec/compressors.md "The wire format"): every field is checked on the way
// out (nothing wraps silently) and on the way in (untrusted bytes give E_DECODE, never a read past
// the buffer).
import { describe, expect, it } from "vitest";
import { BitReader, BitWriter, headerBytes, messageBits, readMessage, writeMessage, MAX_DIM, type Header } from "../../src/wire/index.js";

const header = (over: Partial<Omit<Header, "version">> = {}): Omit<Header, "version"> => ({
  compressor: 1, dim: 10, seed: [1, 2], stream: [3, 4], counter: 2 ** 40 + 5, params: Uint8Array.of(9, 8), payloadBits: 20, ...over,
});

describe("writeMessage / readMessage", () => {
  it("round-trips every header field, the payload as a view after the header", () => {
    const payload = Uint8Array.of(0xab, 0x0c, 0x07);
    const msg = writeMessage(header(), payload);
    const { header: h, payload: p } = readMessage(msg);
    expect(h).toEqual({ version: 1, ...header() });
    expect([...p]).toEqual([...payload]);
    expect(msg.length).toBe(headerBytes(2) + 3);
    expect(messageBits(msg)).toEqual({ payloadBits: 20, headerBits: 8 * headerBytes(2), totalBits: 8 * msg.length });
  });

  it.each([
    ["a payload bit count of 2^32 (32·D bits at D = 2^27)", { payloadBits: 2 ** 32 }, /E_DIM.*32-bit count/],
    ["a dimension above MAX_DIM", { dim: MAX_DIM + 1 }, /E_DIM/],
    ["a counter beyond 2^53", { counter: 2 ** 53 }, /E_CONFIG.*counter/],
    ["a compressor id above 255", { compressor: 256 }, /E_CONFIG.*u8/],
    ["256 parameter bytes", { params: new Uint8Array(256) }, /E_CONFIG.*255/],
  ])("refuses to write %s instead of wrapping it", (_what, over, message) => {
    expect(() => writeMessage(header(over), new Uint8Array(3))).toThrow(message);
  });

  it.each([
    ["fewer than 37 bytes", (m: Uint8Array) => m.subarray(0, 36), /shorter than the 37-byte minimum/],
    ["a wrong magic", (m: Uint8Array) => { m[1] = 0; return m; }, /bad magic/],
    ["another format version", (m: Uint8Array) => { m[2] = 2; return m; }, /unsupported format version 2/],
    ["a parameter count past the end", (m: Uint8Array) => { m[32] = 200; return m; }, /shorter than its 237-byte header/],
    ["dimension 0", (m: Uint8Array) => { m.fill(0, 4, 8); return m; }, /dimension 0 outside/],
    ["a counter beyond 2^53", (m: Uint8Array) => { m.fill(0xff, 24, 32); return m; }, /beyond 2\^53/],
  ])("rejects a frame with %s with E_DECODE", (_what, corrupt, message) => {
    const m = corrupt(writeMessage(header(), new Uint8Array(3)).slice());
    expect(() => readMessage(m)).toThrow(expect.objectContaining({ code: "E_DECODE", message: expect.stringMatching(message) }));
  });

  it("rejects what is not a Uint8Array with E_DECODE", () => {
    expect(() => readMessage([1, 2, 3] as unknown as Uint8Array)).toThrow(/E_DECODE.*Uint8Array/);
  });
});

describe("BitWriter / BitReader", () => {
  it("round-trip fields of 1..32 bits and float32s, LSB-first", () => {
    const w = new BitWriter(1).bits(1, 1).bits(0x5, 3).bits(0xffffffff, 32).f32(-2.5);
    const r = new BitReader(w.finish());
    expect([r.bits(1), r.bits(3), r.bits(32), r.f32()]).toEqual([1, 5, 0xffffffff, -2.5]);
  });

  it("a read past the end is E_DECODE naming the field's owner, not an out-of-bounds read", () => {
    const r = new BitReader(Uint8Array.of(1), "parameters");
    r.bits(5);
    expect(() => r.bits(4)).toThrow(/E_DECODE: parameters is truncated: needs 4 more bits at bit 5, has 3/);
    expect(() => new BitReader(new Uint8Array(3)).f32()).toThrow(/E_DECODE/);
  });
});
