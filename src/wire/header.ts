// The fedquant message frame (spec/compressors.md "The wire format"): a fixed little-endian
// header, the compressor's parameters, the exact payload bit count, then the payload.
//
//   off size field
//   0   2    magic 0x46 0x51 ("FQ")
//   2   1    format version (1)
//   3   1    compressor id (registry.ts)
//   4   4    dimension D (u32)
//   8   8    seed (u32 low, u32 high)            — the Philox key of the shared randomness
//   16  8    stream id (u32 low, u32 high)       — purpose | worker | round (src/random/stream.ts)
//   24  8    block counter where the randomness started (u32 low, u32 high)
//   32  1    parameter byte count P (≤ 255)
//   33  P    parameters (compressor-specific)
//   33+P 4   payload bits B (u32): the information bits the papers count
//   37+P …   payload: exactly ⌈B/8⌉ bytes … except compressors whose payload holds byte-aligned
//            sections: they state their own exact byte length (payloadBytes) and validate it.
import { FedquantError } from "../errors.js";

export const MAGIC0 = 0x46, MAGIC1 = 0x51;
export const FORMAT_VERSION = 1;
export const MAX_DIM = 1 << 28;

export interface Header {
  version: number;
  compressor: number;
  dim: number;
  seed: [number, number];
  stream: [number, number];
  counter: number;
  params: Uint8Array;
  payloadBits: number;
}

export function headerBytes(paramBytes: number): number { return 37 + paramBytes; }

export function writeMessage(h: Omit<Header, "version">, payload: Uint8Array): Uint8Array {
  if (h.params.length > 255) throw new FedquantError("E_CONFIG", `parameters take ${h.params.length} bytes, the header allows 255`);
  // every field must fit its width: DataView would silently wrap it (e.g. 32·D bits for D ≥ 2^27)
  if (!(Number.isInteger(h.compressor) && h.compressor >= 0 && h.compressor <= 255)) throw new FedquantError("E_CONFIG", `compressor id must be a u8, got ${h.compressor}`);
  if (!(Number.isInteger(h.dim) && h.dim >= 1 && h.dim <= MAX_DIM)) throw new FedquantError("E_DIM", `dimension ${h.dim} outside 1..${MAX_DIM}`);
  if (!(Number.isSafeInteger(h.counter) && h.counter >= 0)) throw new FedquantError("E_CONFIG", `random counter must be an integer in [0, 2^53), got ${h.counter}`);
  if (!(Number.isInteger(h.payloadBits) && h.payloadBits >= 0 && h.payloadBits <= 0xffffffff)) {
    throw new FedquantError("E_DIM", `a payload of ${h.payloadBits} bits does not fit the header's 32-bit count: send a smaller vector`);
  }
  const hb = headerBytes(h.params.length);
  const out = new Uint8Array(hb + payload.length);
  const v = new DataView(out.buffer);
  out[0] = MAGIC0; out[1] = MAGIC1; out[2] = FORMAT_VERSION; out[3] = h.compressor;
  v.setUint32(4, h.dim, true);
  v.setUint32(8, h.seed[0], true); v.setUint32(12, h.seed[1], true);
  v.setUint32(16, h.stream[0], true); v.setUint32(20, h.stream[1], true);
  v.setUint32(24, h.counter % 4294967296, true); v.setUint32(28, Math.floor(h.counter / 4294967296), true);
  out[32] = h.params.length;
  out.set(h.params, 33);
  v.setUint32(33 + h.params.length, h.payloadBits, true);
  out.set(payload, hb);
  return out;
}

/** Parse and validate the frame of untrusted bytes; the payload is returned as a view. */
export function readMessage(msg: Uint8Array): { header: Header; payload: Uint8Array } {
  if (!(msg instanceof Uint8Array)) throw new FedquantError("E_DECODE", `a message must be a Uint8Array, got ${typeof msg}`);
  if (msg.length < 37) throw new FedquantError("E_DECODE", `message of ${msg.length} bytes is shorter than the 37-byte minimum header`);
  if (msg[0] !== MAGIC0 || msg[1] !== MAGIC1) throw new FedquantError("E_DECODE", `bad magic ${hex(msg[0]!)} ${hex(msg[1]!)}, expected 46 51 ("FQ")`);
  if (msg[2] !== FORMAT_VERSION) throw new FedquantError("E_DECODE", `unsupported format version ${msg[2]}, this build reads version ${FORMAT_VERSION}`);
  const v = new DataView(msg.buffer, msg.byteOffset, msg.byteLength);
  const p = msg[32]!;
  const hb = headerBytes(p);
  if (msg.length < hb) throw new FedquantError("E_DECODE", `message of ${msg.length} bytes is shorter than its ${hb}-byte header`);
  const dim = v.getUint32(4, true);
  if (dim < 1 || dim > MAX_DIM) throw new FedquantError("E_DECODE", `dimension ${dim} outside 1..${MAX_DIM}`);
  const header: Header = {
    version: msg[2]!,
    compressor: msg[3]!,
    dim,
    seed: [v.getUint32(8, true), v.getUint32(12, true)],
    stream: [v.getUint32(16, true), v.getUint32(20, true)],
    counter: v.getUint32(24, true) + v.getUint32(28, true) * 4294967296,
    params: msg.subarray(33, 33 + p),
    payloadBits: v.getUint32(33 + p, true),
  };
  if (header.counter > Number.MAX_SAFE_INTEGER) throw new FedquantError("E_DECODE", `random counter ${header.counter} is beyond 2^53`);
  return { header, payload: msg.subarray(hb) };
}

function hex(b: number): string { return b.toString(16).padStart(2, "0"); }

/** Exact size accounting of a message: what the papers count (payload) and what travels. */
export interface MessageBits { payloadBits: number; headerBits: number; totalBits: number }

export function messageBits(msg: Uint8Array): MessageBits {
  const { header, payload } = readMessage(msg);
  const headerBits = headerBytes(header.params.length) * 8;
  return { payloadBits: header.payloadBits, headerBits, totalBits: headerBits + payload.length * 8 };
}
