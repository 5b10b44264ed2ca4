// Float64 vector helpers of the algorithms (model state is f64; only what is sent becomes f32),
// and exact base64 of float64 bytes for JSON checkpoints (pure TS: runs in browsers too).
import { describeValue } from "../describe.js";
import { FedquantError } from "../errors.js";
import type { ClientId } from "./types.js";

/** A finite Float64Array copy of an initial model. */
export function initialModel(w0: ArrayLike<number>, what = "w0"): Float64Array {
  if (w0 === null || typeof w0 !== "object" || typeof (w0 as ArrayLike<number>).length !== "number") {
    throw new FedquantError("E_INPUT", `${what} must be an array of numbers, got ${describeValue(w0)}`);
  }
  if (w0.length < 1) throw new FedquantError("E_DIM", `${what} is empty: the model needs at least one coordinate`);
  const w = Float64Array.from(w0);
  for (let i = 0; i < w.length; i++) if (!Number.isFinite(w[i]!)) throw new FedquantError("E_INPUT", `${what}[${i}] = ${w[i]} is not finite`);
  return w;
}

/** dst ← f32(src): the only place model-side numbers are rounded to the wire's precision. */
export function toF32(src: Float64Array, dst: Float32Array): Float32Array {
  for (let i = 0; i < src.length; i++) dst[i] = src[i]!;
  return dst;
}

/** acc += x (x decoded from the wire). */
export function addInto(acc: Float64Array, x: ArrayLike<number>): void {
  for (let i = 0; i < acc.length; i++) acc[i] += x[i]!;
}

/**
 * acc += xs[0] + xs[1] + … coordinate by coordinate, in the order of xs: per coordinate the same
 * float64 additions, in the same order, as `for (x of xs) acc += x`, so the same bits; four
 * vectors per pass keep the running sum in a register instead of storing and reloading acc
 * (the server's aggregation over N uplinks is the serial part of a pooled round, issue #13).
 */
export function sumInto(acc: Float64Array, xs: readonly ArrayLike<number>[]): void {
  const n = acc.length;
  let j = 0;
  for (; j + 4 <= xs.length; j += 4) {
    const a = xs[j]!, b = xs[j + 1]!, c = xs[j + 2]!, d = xs[j + 3]!;
    for (let t = 0; t < n; t++) acc[t] = acc[t]! + a[t]! + b[t]! + c[t]! + d[t]!;
  }
  for (; j < xs.length; j++) { const a = xs[j]!; for (let t = 0; t < n; t++) acc[t] += a[t]!; }
}

/** Whether two byte arrays hold the same bytes (four at a time where both are aligned alike). */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  const n = a.length;
  if (b.length !== n) return false;
  let i = 0;
  if (((a.byteOffset ^ b.byteOffset) & 3) === 0) {
    for (; i < n && ((a.byteOffset + i) & 3) !== 0; i++) if (a[i] !== b[i]) return false;
    const w = (n - i) >> 2, A = new Int32Array(a.buffer, a.byteOffset + i, w), B = new Int32Array(b.buffer, b.byteOffset + i, w);
    for (let j = 0; j < w; j++) if (A[j] !== B[j]) return false;
    i += 4 * w;
  }
  for (; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** y += a·x */
export function axpy(y: Float64Array, a: number, x: ArrayLike<number>): void {
  for (let i = 0; i < y.length; i++) y[i] += a * x[i]!;
}

/** out ← a·x */
export function scaleInto(out: Float64Array, a: number, x: ArrayLike<number>): void {
  for (let i = 0; i < out.length; i++) out[i] = a * x[i]!;
}

/** out ← x − y */
export function subInto(out: Float64Array, x: ArrayLike<number>, y: ArrayLike<number>): void {
  for (let i = 0; i < out.length; i++) out[i] = x[i]! - y[i]!;
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64_INDEX = (() => { const t = new Int16Array(128).fill(-1); for (let i = 0; i < 64; i++) t[B64.charCodeAt(i)] = i; return t; })();

export function bytesToBase64(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i += 3) {
    const n = (b[i]! << 16) | ((b[i + 1] ?? 0) << 8) | (b[i + 2] ?? 0);
    s += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]! + (i + 1 < b.length ? B64[(n >> 6) & 63]! : "=") + (i + 2 < b.length ? B64[n & 63]! : "=");
  }
  return s;
}

export function base64ToBytes(s: unknown, what: string): Uint8Array {
  if (typeof s !== "string" || s.length % 4 !== 0) throw new FedquantError("E_STATE", `${what} must be a base64 string, got ${typeof s === "string" ? `${s.length} characters` : typeof s}`);
  const pad = s.endsWith("==") ? 2 : s.endsWith("=") ? 1 : 0;
  const out = new Uint8Array((s.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < s.length; i += 4) {
    let n = 0;
    for (let j = 0; j < 4; j++) {
      const c = s.charCodeAt(i + j);
      const isPad = c === 61 && i + j >= s.length - pad;
      const v = isPad ? 0 : c < 128 ? B64_INDEX[c]! : -1;
      if (v < 0) throw new FedquantError("E_STATE", `${what} is not valid base64 (character ${i + j})`);
      n = (n << 6) | v;
    }
    if (o < out.length) out[o++] = (n >> 16) & 255;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}

export function vecToBase64(v: Float64Array): string {
  return bytesToBase64(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
}

/** A float64 vector of exactly `dim` finite values from a checkpoint. */
export function base64ToVec(s: unknown, dim: number, what: string): Float64Array {
  const b = base64ToBytes(s, what);
  if (b.length !== dim * 8) throw new FedquantError("E_STATE", `${what} holds ${b.length / 8} values, expected ${dim}`);
  const v = new Float64Array(dim);
  new Uint8Array(v.buffer).set(b);
  for (let i = 0; i < dim; i++) if (!Number.isFinite(v[i]!)) throw new FedquantError("E_STATE", `${what}[${i}] = ${v[i]} is not finite`);
  return v;
}

/**
 * Checkpoint entries [client id, value], exactly one for each of `clients` (a duplicate would
 * leave another client's vector silently at its initial value).
 */
export function perClient(entries: readonly unknown[], clients: readonly ClientId[], what: string): [ClientId, unknown][] {
  const seen = new Set<ClientId>();
  for (const e of entries) {
    if (!Array.isArray(e) || !clients.includes(e[0])) throw new FedquantError("E_STATE", `${what}: entry for an unknown client`);
    if (seen.has(e[0])) throw new FedquantError("E_STATE", `${what}: two entries for client ${e[0]}`);
    seen.add(e[0]);
  }
  if (seen.size !== clients.length) throw new FedquantError("E_STATE", `${what}: expected one entry per client (${clients.length}), found ${seen.size}`);
  return entries as [ClientId, unknown][];
}
