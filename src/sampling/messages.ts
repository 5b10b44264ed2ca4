// The sampler's downlink frame (server → clients, spec/langevin.md: the server broadcasts θ_k).
// The uplink is the compressor's own message (spec/compressors.md "The wire format"): its header
// already names the round and the client through the stream id of its randomness.
//
//   off size field
//   0   2    magic 0x46 0x4C ("FL")
//   2   1    version (1)
//   3   1    flags: bit 0 = ζ follows
//   4   4    round k (u32)
//   8   4    round at which the reference point ζ was set (u32; 0xFFFFFFFF = none)
//   12  4    length A of the θ message (u32), then A bytes: θ_k as an identity (float32) message
//   …   4    if ζ follows: length B (u32), then B bytes: ζ as an identity message
// θ travels as float32 (the house's uncompressed wire): clients compute their gradients at
// fround(θ_k) while the server keeps θ_k in float64.
import { createCompressor } from "../compressors/registry.js";
import { FedquantError } from "../errors.js";
import { downlinkStream } from "./streams.js";

const MAGIC0 = 0x46, MAGIC1 = 0x4c, VERSION = 1;
export const NO_REFRESH = 0xffffffff;
const identity = createCompressor("identity");

export interface Downlink {
  round: number;
  theta: Float64Array;
  refreshRound: number;
  zeta?: Float64Array;
}

export function encodeDownlink(seed: bigint, d: Downlink): Uint8Array {
  const rng = downlinkStream(seed, d.round);
  const t = identity.encode(Float32Array.from(d.theta), rng);
  const z = d.zeta ? identity.encode(Float32Array.from(d.zeta), rng) : undefined;
  const out = new Uint8Array(16 + t.length + (z ? 4 + z.length : 0));
  const v = new DataView(out.buffer);
  out[0] = MAGIC0; out[1] = MAGIC1; out[2] = VERSION; out[3] = z ? 1 : 0;
  v.setUint32(4, d.round, true);
  v.setUint32(8, d.refreshRound, true);
  v.setUint32(12, t.length, true);
  out.set(t, 16);
  if (z) { v.setUint32(16 + t.length, z.length, true); out.set(z, 20 + t.length); }
  return out;
}

function bad(msg: string): never { throw new FedquantError("E_DECODE", `sampler downlink: ${msg}`); }

/** Parse untrusted bytes; the round and dimension must be the ones the client expects. */
export function decodeDownlink(seed: bigint, bytes: Uint8Array, round: number, dim: number): Downlink {
  if (!(bytes instanceof Uint8Array)) bad(`expected a Uint8Array, got ${typeof bytes}`);
  if (bytes.length < 16) bad(`${bytes.length} bytes is shorter than the 16-byte frame header`);
  if (bytes[0] !== MAGIC0 || bytes[1] !== MAGIC1) bad(`bad magic ${bytes[0]} ${bytes[1]}, expected 70 76 ("FL")`);
  if (bytes[2] !== VERSION) bad(`unsupported version ${bytes[2]}, this build reads ${VERSION}`);
  const flags = bytes[3]!;
  if (flags > 1) bad(`unknown flags ${flags}`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const r = v.getUint32(4, true);
  if (r !== round) bad(`message is for round ${r}, the client is at round ${round}`);
  const refreshRound = v.getUint32(8, true);
  const a = v.getUint32(12, true);
  if (16 + a > bytes.length) bad(`θ message of ${a} bytes overruns the ${bytes.length}-byte frame`);
  const rng = downlinkStream(seed, round);
  const theta = Float64Array.from(identity.decode(bytes.subarray(16, 16 + a), dim, rng));
  let end = 16 + a, zeta: Float64Array | undefined;
  if (flags & 1) {
    if (end + 4 > bytes.length) bad("ζ length is missing");
    const b = v.getUint32(end, true);
    if (end + 4 + b > bytes.length) bad(`ζ message of ${b} bytes overruns the frame`);
    zeta = Float64Array.from(identity.decode(bytes.subarray(end + 4, end + 4 + b), dim));
    end += 4 + b;
  }
  if (end !== bytes.length) bad(`${bytes.length - end} trailing bytes`);
  return { round, theta, refreshRound, ...(zeta ? { zeta } : {}) };
}
