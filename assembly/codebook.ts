// Random codebooks in linear memory for StoVoQ (Gaussian, spec/stovoq.md "Codebook distribution";
// Leconte et al. 2021) and HSQ (random unit vectors, Dai et al. 2019).
//
// Order (documented, stable): codeword j, coordinate k is built from normal number j·d + k of
// the stream, counted from the block counter (n0, n1) — i.e. the codebook is the first M·d
// normals of the stream as an M × d row-major matrix, consuming ⌈M·d/4⌉ Philox blocks:
//   gaussian (mode 0):  c_jk = f32(α · z_jk)
//   unit     (mode 1):  c_jk = f32(z_jk · f32(α / f32(sqrt(Σ_k f32(z_jk²)))))  (sum in k order)
// The arithmetic is scalar f32 in a fixed order in both builds, so the SIMD build, the scalar
// build and the TS twin (src/kernel/twin-voronoi.ts) produce the same bits.
import { fillNormal } from "./philox";

/** Codebook modes (bit flags). */
export const CB_UNIT: u32 = 1;      // normalise every codeword to norm α (HSQ)
export const CB_ZERO_BIAS: u32 = 2; // bias row = 0 (search argmax ⟨x, c⟩) instead of −‖c‖²/2

/** Largest bucket dimension: bounds the static scratch below. */
export const MAX_D: u32 = 256;
// 16 codewords × MAX_D normals, rounded up to whole Philox blocks.
const scratch: usize = memory.data(16 * 256 * 4 + 64, 16);

/** Bytes of the blocked layout of M codewords of dimension d (see codebookBlocked). */
export function codebookBytes(M: u32, d: u32): usize {
  return (<usize>((M + 15) >> 4)) * (<usize>(d + 1) << 6);
}

// Blocked layout for the search: ⌈M/16⌉ blocks; block b holds codewords 16b..16b+15 in the 16 f32
// lanes of d + 1 rows: row 0 = bias (−‖c‖²/2, or 0 with CB_ZERO_BIAS), row k + 1 = coordinate k.
// Padding lanes (codeword index ≥ M) hold zeros and bias −∞, so they never win a search.
export function codebookBlocked(out: usize, M: u32, d: u32, alpha: f32, mode: u32,
                                k0: u32, k1: u32, n0: u32, n1: u32, i0: u32, i1: u32): void {
  const nBlocks = (M + 15) >> 4;
  const base: u64 = (<u64>n1 << 32) | <u64>n0;
  const rowBytes: usize = 64;
  const blockBytes: usize = <usize>(d + 1) * rowBytes;
  for (let b: u32 = 0; b < nBlocks; b++) {
    const m = min<u32>(16, M - (b << 4));
    // codewords 16b.. start at normal 16·b·d, i.e. block 4·b·d of the stream (16·d is a multiple of 4)
    const ctr = base + <u64>b * <u64>(d << 2);
    fillNormal(scratch, m * d, k0, k1, <u32>ctr, <u32>(ctr >>> 32), i0, i1);
    const blk = out + <usize>b * blockBytes;
    for (let l: u32 = 0; l < 16; l++) {
      const lane = blk + (<usize>l << 2);
      if (l >= m) {
        store<f32>(lane, -Infinity);
        for (let k: u32 = 0; k < d; k++) store<f32>(lane + rowBytes * <usize>(k + 1), 0);
        continue;
      }
      const z = scratch + (<usize>(l * d) << 2);
      const s = scaleOf(z, d, alpha, mode);
      let n2: f32 = 0;
      for (let k: u32 = 0; k < d; k++) {
        const c: f32 = load<f32>(z + (<usize>k << 2)) * s;
        n2 += c * c;
        store<f32>(lane + rowBytes * <usize>(k + 1), c);
      }
      store<f32>(lane, mode & CB_ZERO_BIAS ? <f32>0 : <f32>-0.5 * n2);
    }
  }
}

// Rows of the codewords idx[0..n) (u32 indices < M, not checked here), d f32 each, row-major:
// what a decoder needs. Each codeword regenerates only the Philox blocks that hold its normals.
export function codewordRows(out: usize, idx: usize, n: u32, d: u32, alpha: f32, mode: u32,
                             k0: u32, k1: u32, n0: u32, n1: u32, i0: u32, i1: u32): void {
  const base: u64 = (<u64>n1 << 32) | <u64>n0;
  for (let t: u32 = 0; t < n; t++) {
    const j = load<u32>(idx + (<usize>t << 2));
    const first: u64 = <u64>j * <u64>d;            // first normal of codeword j
    const fb = first >> 2, lb = (first + <u64>d - 1) >> 2;
    const ctr = base + fb;
    fillNormal(scratch, <u32>(lb - fb + 1) << 2, k0, k1, <u32>ctr, <u32>(ctr >>> 32), i0, i1);
    const z = scratch + (<usize>(first & 3) << 2);
    const s = scaleOf(z, d, alpha, mode);
    const row = out + (<usize>t * <usize>d << 2);
    for (let k: u32 = 0; k < d; k++) store<f32>(row + (<usize>k << 2), load<f32>(z + (<usize>k << 2)) * s);
  }
}

// α, or α/‖z‖ for unit codewords; ‖z‖² summed in k order in f32.
@inline function scaleOf(z: usize, d: u32, alpha: f32, mode: u32): f32 {
  if (!(mode & CB_UNIT)) return alpha;
  let n2: f32 = 0;
  for (let k: u32 = 0; k < d; k++) {
    const v = load<f32>(z + (<usize>k << 2));
    n2 += v * v;
  }
  return alpha / sqrt<f32>(n2);
}
