// A chain's saved state as bytes (the checkpoint body, spec/langevin.md "Output": resume with θ,
// memories, ζ, h^i, round, Welford state and file offset): JSON for the structure, raw little-endian
// float64 for every Float64Array, so a restored state is bit-identical to the saved one.
//
//   "FQST" | u8 version 1 | 3 zero bytes | u32 JSON byte length J | J bytes UTF-8 JSON | zero pad to 8 |
//   the arrays' float64 values, concatenated; in the JSON an array is {"$f64": [start, length]}
//   and a non-finite number is {"$num": "NaN" | "Infinity" | "-Infinity"}.
import { FedquantError } from "../errors.js";
import type { ChainState, StateValue } from "./chain.js";

const MAGIC = [0x46, 0x51, 0x53, 0x54]; // "FQST"
const VERSION = 1;

export function encodeState(state: ChainState): Uint8Array {
  const arrays: Float64Array[] = [];
  let total = 0;
  const json = JSON.stringify(state, (_k, v: unknown) => {
    if (v instanceof Float64Array) { arrays.push(v); const ref = { $f64: [total, v.length] }; total += v.length; return ref; }
    if (ArrayBuffer.isView(v)) throw new FedquantError("E_STATE", `state codec: only Float64Array typed arrays can be saved, found ${v.constructor.name}`);
    if (typeof v === "number" && !Number.isFinite(v)) return { $num: String(v) };
    return v;
  });
  const text = new TextEncoder().encode(json);
  const head = 12 + text.length, pad = (8 - (head % 8)) % 8;
  const out = new Uint8Array(head + pad + 8 * total);
  out.set(MAGIC, 0);
  out[4] = VERSION;
  new DataView(out.buffer).setUint32(8, text.length, true);
  out.set(text, 12);
  const body = new Float64Array(out.buffer, head + pad, total);
  let o = 0;
  for (const a of arrays) { body.set(a, o); o += a.length; }
  return out;
}

export function decodeState(bytes: Uint8Array): ChainState {
  const bad = (m: string): never => { throw new FedquantError("E_DECODE", `saved state: ${m}`); };
  if (bytes.length < 12 || MAGIC.some((b, i) => bytes[i] !== b)) bad("not a fedquant state (bad magic)");
  if (bytes[4] !== VERSION) bad(`unsupported version ${bytes[4]}`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const J = v.getUint32(8, true);
  if (12 + J > bytes.length) bad("truncated JSON section");
  const head = 12 + J, pad = (8 - (head % 8)) % 8;
  const nBody = (bytes.length - head - pad) / 8;
  if (!Number.isInteger(nBody) || nBody < 0) bad("array section is not a whole number of float64 values");
  const body = new Float64Array(nBody);
  new Uint8Array(body.buffer).set(bytes.subarray(head + pad));
  let parsed: unknown;
  try { parsed = JSON.parse(new TextDecoder().decode(bytes.subarray(12, head))); } catch { bad("JSON section does not parse"); }
  const revive = (x: unknown): StateValue => {
    if (Array.isArray(x)) return x.map(revive);
    if (x !== null && typeof x === "object") {
      const o = x as Record<string, unknown>;
      if (Array.isArray(o.$f64)) {
        const [s, n] = o.$f64 as [number, number];
        if (!(Number.isInteger(s) && Number.isInteger(n) && s >= 0 && n >= 0 && s + n <= nBody)) bad(`array reference [${s}, ${n}] outside the ${nBody} saved values`);
        return body.slice(s, s + n);
      }
      if (typeof o.$num === "string") return Number(o.$num);
      const r: Record<string, StateValue> = {};
      for (const [k, val] of Object.entries(o)) r[k] = revive(val);
      return r;
    }
    return x as StateValue;
  };
  const state = revive(parsed);
  if (state === null || typeof state !== "object" || Array.isArray(state) || state instanceof Float64Array) bad("the top level is not an object");
  return state as ChainState;
}
