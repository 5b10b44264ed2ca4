// Plain-TypeScript twins of the wasm kernels: the oracle in tests (same inputs and streams ⇒
// the same bits, or the stated float tolerance for f64 reductions) and the baseline in
// benchmarks. Deliberately straightforward code.
import { FedquantError } from "../errors.js";
import { philoxWords, u32ToUniform, wordsToNormals, type RandomStream } from "../random/index.js";

export const twin = {
  fillUniform(rng: RandomStream, out: Float32Array): Float32Array {
    const w = philoxWords(Math.ceil(out.length / 4), rng.k0, rng.k1, rng.take(Math.ceil(out.length / 4)), rng.i0, rng.i1);
    for (let i = 0; i < out.length; i++) out[i] = u32ToUniform(w[i]!);
    return out;
  },

  fillNormal(rng: RandomStream, out: Float32Array): Float32Array {
    const w = philoxWords(Math.ceil(out.length / 4), rng.k0, rng.k1, rng.take(Math.ceil(out.length / 4)), rng.i0, rng.i1);
    out.set(wordsToNormals(w, out.length));
    return out;
  },

  qsgdRound(x: Float32Array, scale: number, s: number, rng: RandomStream): Int32Array {
    const n = x.length;
    const w = philoxWords(Math.ceil(n / 4), rng.k0, rng.k1, rng.take(Math.ceil(n / 4)), rng.i0, rng.i1);
    const sc = Math.fround(scale);
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const a = Math.fround(Math.abs(x[i]!) * sc);
      const l = Math.floor(a);
      let xi = l + (u32ToUniform(w[i]!) < Math.fround(a - l) ? 1 : 0);
      if (xi > s) xi = s;
      out[i] = x[i]! < 0 || Object.is(x[i], -0) ? -xi : xi;
    }
    return out;
  },

  signBits(x: Float32Array): Uint8Array {
    const out = new Uint8Array(Math.ceil(x.length / 8));
    for (let i = 0; i < x.length; i++) if (x[i]! < 0) out[i >> 3]! |= 1 << (i & 7);
    return out;
  },

  dot(a: Float32Array, b: Float32Array): number {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
    return s;
  },
  sumSquares(a: Float32Array): number { return twin.dot(a, a); },
  absSum(a: Float32Array): number {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += Math.abs(a[i]!);
    return s;
  },

  packFixed(values: Uint32Array | Int32Array, width: number): Uint8Array {
    const out = new Uint8Array(Math.ceil((values.length * width) / 8));
    let bit = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]! >>> 0;
      for (let j = 0; j < width; j++, bit++) if ((v >>> j) & 1) out[bit >> 3]! |= 1 << (bit & 7);
    }
    return out;
  },

  unpackFixed(bytes: Uint8Array, n: number, width: number): Uint32Array {
    const out = new Uint32Array(n);
    let bit = 0;
    for (let i = 0; i < n; i++) {
      let v = 0;
      for (let j = 0; j < width; j++, bit++) v += ((bytes[bit >> 3]! >> (bit & 7)) & 1) * 2 ** j;
      out[i] = v;
    }
    return out;
  },

  qsgdEliasEncode(levels: Int32Array): { bytes: Uint8Array; bits: number } {
    const bitsOut: number[] = [];
    const gamma = (x: number) => {
      const nb = 31 - Math.clz32(x);
      for (let i = 0; i < nb; i++) bitsOut.push(0);
      bitsOut.push(1);
      for (let i = 0; i < nb; i++) bitsOut.push((x >>> i) & 1);
    };
    let run = 0;
    for (const l of levels) {
      if (l === 0) { run++; continue; }
      gamma(run + 1);
      bitsOut.push(l < 0 ? 1 : 0);
      gamma(Math.abs(l));
      run = 0;
    }
    const bytes = new Uint8Array(Math.ceil(bitsOut.length / 8));
    bitsOut.forEach((b, i) => { if (b) bytes[i >> 3]! |= 1 << (i & 7); });
    return { bytes, bits: bitsOut.length };
  },

  qsgdEliasDecode(bytes: Uint8Array, bits: number, n: number, s: number): Int32Array {
    const out = new Int32Array(n);
    let p = 0;
    const bit = () => {
      if (p >= bits) throw new FedquantError("E_DECODE", "QSGD payload has a truncated or malformed Elias-gamma code");
      return (bytes[p >> 3]! >> (p++ & 7)) & 1;
    };
    const gamma = () => {
      let nb = 0;
      while (bit() === 0) if (++nb > 28) throw new FedquantError("E_DECODE", "QSGD payload has a truncated or malformed Elias-gamma code");
      let r = 0;
      for (let i = 0; i < nb; i++) r |= bit() << i;
      return (1 << nb) + r;
    };
    let pos = 0;
    while (p < bits) {
      pos += gamma() - 1;
      if (pos >= n) throw new FedquantError("E_DECODE", "QSGD payload has a zero run past the dimension");
      const neg = bit();
      const lvl = gamma();
      if (lvl > s) throw new FedquantError("E_DECODE", `QSGD payload has a level above s = ${s}`);
      out[pos++] = neg ? -lvl : lvl;
    }
    return out;
  },
};
