// Whole-message kernels (issue #9): QSGD and scaled sign encode/decode in wasm, a message per
// series of windowed calls (no per-bucket round trips, no per-coordinate JS). QSGD streams its
// input (encode) and its output (decode) through a cache-sized window of coordinates and writes
// the payload straight into linear memory, so a message costs its payload + O(window) bytes of
// linear memory; sign reads the input where BaseCompressor.encode copied it (`px`). The
// arithmetic (and so every byte) is that of the per-bucket composition in assembly/qsgd.ts's
// header comment.
import { FedquantError } from "../errors.js";
import type { RandomStream } from "../random/index.js";
import { Kernel } from "./kernel.js";

/** The message exports of assembly/qsgd.ts and assembly/rounding.ts. */
interface MessageExports {
  qsgdEncodeBegin(x: number, n: number, b: number, s: number, linf: number, elias: number, width: number, dst: number,
    k0: number, k1: number, n0: number, n1: number, i0: number, i1: number): void;
  qsgdEncodeWindow(x: number, j1: number): void;
  qsgdEncodeStep(budget: number): number;
  qsgdEncodeEnd(): number;
  qsgdEncodeWritten(): number;
  qsgdPayloadCap(n: number, nb: number, s: number, elias: number, width: number): number;
  qsgdDecodeFixed(src: number, norms: number, n: number, b: number, s: number, width: number, out: number, i0: number, i1: number): number;
  qsgdDecodeEliasBegin(src: number, nBits: number, norms: number, n: number, b: number, s: number): void;
  qsgdDecodeEliasWindow(out: number, base: number, len: number): void;
  qsgdDecodeEliasStep(budget: number): number;
  qsgdErrorAt(): number;
  signEncode(x: number, n: number, b: number, dst: number): void;
  signDecode(bits: number, scales: number, n: number, b: number, out: number): void;
}

const raw = (k: Kernel) => k.raw as unknown as MessageExports;

export interface QsgdShape { n: number; bucket: number; s: number; linf: boolean; elias: boolean; width: number }

/**
 * QSGD payload (norms + fields) of x, drawing ⌈len/4⌉ blocks per bucket from rng (only on
 * success). x streams through a window of whole buckets (about Kernel.messageWindow values, or
 * one bucket if larger) in linear memory, so encoding holds the window and the payload, not x.
 * A bucket whose norm overflows float32, or that holds a NaN / ±Inf, is returned as
 * overflowBucket / nonFiniteBucket.
 */
export function qsgdEncodeAt(k: Kernel, x: Float32Array, q: QsgdShape, rng: RandomStream): { bytes: Uint8Array; bits: number; overflowBucket?: number; nonFiniteBucket?: number } {
  // no scope of its own: the payload is returned as a view into linear memory, valid until the
  // caller's scope (BaseCompressor.encode) ends — writeMessage copies it once into the message
  const nb = Math.ceil(q.n / q.bucket);
  const r = raw(k);
  const w = Kernel.messageWindow;
  const perWindow = Math.max(1, Math.floor(w / q.bucket)); // buckets per input window
  // the window first: the payload must be the arena's last allocation (extendLast below)
  const px = k.allocRaw(Math.min(q.n, perWindow * q.bucket) * 4);
  // fixed fields: the exact size. Elias: the worst case is n(2⌊log2 s⌋ + 3) bits (assembly/qsgd.ts)
  // but messages are far smaller, so the buffer grows step by step: a step of ≤ window + 1024
  // coordinates writes at most that many worst cases, plus one long run's gamma and a flush
  const cap = r.qsgdPayloadCap(q.n, nb, q.s, q.elias ? 1 : 0, q.width);
  const perStep = q.elias ? Math.ceil(((w + 1024) * (2 * Math.floor(Math.log2(q.s)) + 3) + 57 + 64) / 8) : 0;
  let reserved = q.elias ? Math.min(cap, 4 * nb + perStep) : cap;
  const dst = k.allocRaw(reserved);
  const start = rng.counter;
  r.qsgdEncodeBegin(px, q.n, q.bucket, q.s, q.linf ? 1 : 0, q.elias ? 1 : 0, q.width, dst,
    rng.k0, rng.k1, start >>> 0, Math.floor(start / 4294967296), rng.i0, rng.i1);
  let rc = 2;
  for (let j = 0; j < nb && rc === 2; j += perWindow) {
    const from = j * q.bucket, to = Math.min(q.n, (j + perWindow) * q.bucket);
    k.f32(px, to - from).set(x.subarray(from, to));
    r.qsgdEncodeWindow(px, j + perWindow);
    for (;;) {
      if (q.elias && reserved < cap && r.qsgdEncodeWritten() + perStep > reserved) {
        reserved = Math.min(cap, Math.max(2 * reserved, r.qsgdEncodeWritten() + perStep));
        k.extendLast(dst, reserved);
      }
      if ((rc = r.qsgdEncodeStep(w)) !== 1) break;
    }
  }
  if (rc === -2) return { bytes: new Uint8Array(0), bits: 0, nonFiniteBucket: r.qsgdErrorAt() };
  if (rc < 0) return { bytes: new Uint8Array(0), bits: 0, overflowBucket: r.qsgdErrorAt() };
  const bits = r.qsgdEncodeEnd();
  // every bucket draws ⌈len/4⌉ blocks: ⌈b/4⌉ for the full ones, then the last one's
  const last = q.n - (nb - 1) * q.bucket;
  rng.take((nb - 1) * Math.ceil(q.bucket / 4) + Math.ceil(last / 4));
  return { bytes: k.u8(dst, Math.ceil(bits / 8)), bits };
}

/**
 * Decode a QSGD payload whose norms (nb f32 at its start) the caller validated, into `into` or a
 * fresh array. The values pass through a window of Kernel.messageWindow coordinates in linear
 * memory (in cache on its way out), so linear memory is the payload plus the window, and the
 * output is written once. On E_DECODE the windows before the bad code are already in `into`.
 */
export function qsgdDecodeBytes(k: Kernel, payload: Uint8Array, q: QsgdShape, bodyBits: number, into?: Float32Array): Float32Array {
  const nb = Math.ceil(q.n / q.bucket);
  return k.scope(() => {
    const src = k.putBytes(payload);
    const W = Math.min(q.n, Kernel.messageWindow);
    const win = k.allocRaw(W * 4);
    const dest = into ?? new Float32Array(q.n);
    const body = src + 4 * nb;
    const r = raw(k);
    let rc = 0, done = false;
    if (q.elias) r.qsgdDecodeEliasBegin(body, bodyBits, src, q.n, q.bucket, q.s);
    for (let i = 0; i < q.n; i += W) {
      const m = Math.min(W, q.n - i);
      if (q.elias) {
        r.qsgdDecodeEliasWindow(win, i, m);
        // 1: budget spent, 2: the next level lies in a later window, 0: no bits left
        if (!done) { while ((rc = r.qsgdDecodeEliasStep(Kernel.messageWindow)) === 1); done = rc === 0; }
      } else {
        rc = r.qsgdDecodeFixed(body, src, q.n, q.bucket, q.s, q.width, win, i, i + m);
      }
      if (rc < 0) {
        if (rc === -3 && !q.elias) throw new FedquantError("E_DECODE", `qsgd level at ${r.qsgdErrorAt()} exceeds s = ${q.s}`);
        const why = rc === -1 ? "a truncated or malformed Elias-gamma code" : rc === -2 ? "a zero run past the dimension" : `a level above s = ${q.s}`;
        throw new FedquantError("E_DECODE", `QSGD payload has ${why}`);
      }
      dest.set(k.f32(win, m), i);
    }
    return dest;
  });
}

/** Scaled-sign payload (nb f32 scales, then ⌈n/8⌉ bytes of sign bits) of the n values at px. */
export function signEncodeAt(k: Kernel, px: number, n: number, bucket: number): Uint8Array {
  // a view into linear memory, valid until the caller's scope ends (as qsgdEncodeAt)
  const nb = Math.ceil(n / bucket), len = 4 * nb + Math.ceil(n / 8);
  const dst = k.allocRaw(len);
  raw(k).signEncode(px, n, bucket, dst);
  return k.u8(dst, len);
}

/** Decode a scaled-sign payload whose scales the caller validated. */
export function signDecodeBytes(k: Kernel, payload: Uint8Array, n: number, bucket: number, into?: Float32Array): Float32Array {
  const nb = Math.ceil(n / bucket);
  return k.scope(() => {
    const src = k.putBytes(payload);
    const out = k.allocRaw(n * 4);
    raw(k).signDecode(src + 4 * nb, src, n, bucket, out);
    return into ? (into.set(k.f32(out, n)), into) : k.f32(out, n).slice();
  });
}
