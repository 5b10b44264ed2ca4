// Which buffers the pool moves to another thread instead of copying (protocol.ts): moving detaches
// the sender's buffer, which makes V8 check every typed-array access of that thread from then on,
// so only large whole buffers are worth it.
import { describe, expect, it } from "vitest";
import { MOVE_MIN_BYTES, movable } from "../../src/federation/pool/protocol.js";

describe("movable", () => {
  it("copies small messages: nothing below MOVE_MIN_BYTES is moved", () => {
    expect(movable([new Uint8Array(MOVE_MIN_BYTES - 1), new Float32Array(69)])).toEqual([]);
  });
  it("moves whole large buffers, each once", () => {
    const big = new Uint8Array(MOVE_MIN_BYTES), f = new Float32Array(MOVE_MIN_BYTES / 4 + 1);
    const out = movable([big, f, big]);
    expect(out).toHaveLength(2);
    expect(out).toContain(big.buffer);
    expect(out).toContain(f.buffer);
  });
  it("never moves a view of part of a buffer (the rest belongs to the sender) or shared memory", () => {
    const whole = new Uint8Array(2 * MOVE_MIN_BYTES);
    expect(movable([whole.subarray(0, MOVE_MIN_BYTES), whole.subarray(1)])).toEqual([]);
    expect(movable([new Uint8Array(new SharedArrayBuffer(MOVE_MIN_BYTES))])).toEqual([]);
  });
});
