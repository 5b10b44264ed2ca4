// Plain-TypeScript twins of assembly/codebook.ts and assembly/voronoi.ts (StoVoQ codebooks and
// the nearest-neighbour search, spec/stovoq.md): the oracle in tests (same stream ⇒ the same
// bits; Math.fround at every f32 step, in the kernel's order) and the baseline in benchmarks.
import { FedquantError } from "../errors.js";
import type { RandomStream } from "../random/index.js";
import { CB_UNIT, CB_ZERO_BIAS } from "./kernel.js";

const f = Math.fround;

/** f32 scale of codeword z: α, or α/‖z‖ (‖z‖² summed in k order in f32) for unit codewords. */
function scaleOf(z: Float32Array, off: number, d: number, alpha: number, mode: number): number {
  if (!(mode & CB_UNIT)) return f(alpha);
  let n2 = 0;
  for (let k = 0; k < d; k++) n2 = f(n2 + f(z[off + k]! * z[off + k]!));
  return f(f(alpha) / f(Math.sqrt(n2)));
}

export const twinVoronoi = {
  /** Same layout and bits as Kernel.codebookBlocked; advances rng by ⌈M·d/4⌉ blocks. */
  codebookBlocked(rng: RandomStream, M: number, d: number, alpha: number, mode = 0): Float32Array {
    const z = rng.normals(M * d);
    const nBlocks = Math.ceil(M / 16), stride = (d + 1) * 16;
    const out = new Float32Array(nBlocks * stride);
    for (let j = 0; j < nBlocks * 16; j++) {
      const blk = (j >> 4) * stride, l = j & 15;
      if (j >= M) { out[blk + l] = -Infinity; continue; }
      const s = scaleOf(z, j * d, d, alpha, mode);
      let n2 = 0;
      for (let k = 0; k < d; k++) {
        const c = f(z[j * d + k]! * s);
        n2 = f(n2 + f(c * c));
        out[blk + 16 * (k + 1) + l] = c;
      }
      out[blk + l] = mode & CB_ZERO_BIAS ? 0 : f(-0.5 * n2);
    }
    return out;
  },

  /** Rows of the chosen codewords, n × d; advances rng like codebookBlocked. */
  codewordRows(rng: RandomStream, M: number, d: number, alpha: number, indices: Uint32Array, mode = 0): Float32Array {
    const z = rng.normals(M * d);
    const out = new Float32Array(indices.length * d);
    indices.forEach((j, t) => {
      if (j >= M) throw new FedquantError("E_INPUT", `codeword index ${j} is outside 0..${M - 1}`);
      const s = scaleOf(z, j * d, d, alpha, mode);
      for (let k = 0; k < d; k++) out[t * d + k] = f(z[j * d + k]! * s);
    });
    return out;
  },

  /** Same indices and scores as Kernel.voronoiSearch (scores accumulated in f32 in k order, lowest index on ties). */
  voronoiSearch(buckets: Float32Array, d: number, book: Float32Array, M: number): { index: Uint32Array; score: Float32Array } {
    const nb = buckets.length / d, stride = (d + 1) * 16;
    const index = new Uint32Array(nb), score = new Float32Array(nb);
    const nBlocks = Math.ceil(M / 16);
    for (let i = 0; i < nb; i++) {
      const x = buckets.subarray(i * d, i * d + d);
      let best = -Infinity, idx = 0;
      for (let b = 0; b < nBlocks; b++) {
        const blk = b * stride;
        for (let l = 0; l < 16; l++) {
          let s = book[blk + l]!;
          for (let k = 0, p = blk + 16 + l; k < d; k++, p += 16) s = f(s + f(x[k]! * book[p]!));
          if (s > best) { best = s; idx = 16 * b + l; }
        }
      }
      index[i] = idx; score[i] = best;
    }
    return { index, score };
  },
};
