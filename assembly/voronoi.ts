// Nearest-neighbour (Voronoi) search over a random codebook (spec/stovoq.md "The quantizer"):
// j*(x) = argmax_j ⟨x, c_j⟩ + bias_j with bias_j = −‖c_j‖²/2, i.e. argmin_j ‖x − c_j‖², for a
// batch of buckets x (rows of d f32), over the blocked layout of assembly/codebook.ts.
//
// Exactness: every score is bias_j + x_0 c_0j + x_1 c_1j + … accumulated in f32 in k order
// (mul then add, never fused), and ties go to the lowest index, in the SIMD build, the scalar
// build and the TS twin — the three return the same indices and scores. The opt-in relaxed
// build uses f32x4.relaxed_madd (fused where the engine fuses), so it may differ at near-ties.
//
// Shape (measured on this machine, see bench/suites/voronoi.ts): 2 buckets × 16 codewords per
// step, 8 accumulators initialised at the bias row, the loop over dimensions kept rolled (fully
// unrolling it spilled registers and halved the speed). The codebook is walked in tiles that
// fit L1 while every bucket pair streams past them; the running best (score, index) per bucket
// lives in outScore/outIdx, so no bucket × codeword score matrix is ever formed.

/** Codebook blocks per tile: TILE_BYTES of codebook stay hot in L1 while all buckets pass. */
const TILE_BYTES: u32 = 24 * 1024;
const lanes: usize = memory.data(64, 16);

@inline function fma4(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

@inline function max4(a: v128, b: v128, c: v128, d: v128): v128 {
  // pmax is one maxps on x86; NaN lanes (only from overflowing inputs) simply never win
  return f32x4.pmax(f32x4.pmax(a, b), f32x4.pmax(c, d));
}

/**
 * For each bucket i < nb (row x + 4·d·i): outIdx[i] = argmax_j score_j (lowest j on ties; 0 if
 * no score exceeds −∞) and outScore[i] = that score. Reads M codewords from `book`.
 */
export function voronoiSearch(x: usize, nb: u32, d: u32, book: usize, M: u32, outIdx: usize, outScore: usize): void {
  for (let i: u32 = 0; i < nb; i++) {
    store<f32>(outScore + (<usize>i << 2), -Infinity);
    store<u32>(outIdx + (<usize>i << 2), 0);
  }
  const nBlocks = (M + 15) >> 4;
  const blockBytes: usize = <usize>(d + 1) << 6;
  const rowBytes: usize = <usize>d << 2;
  if (ASC_FEATURE_SIMD) {
    const tile = max<u32>(1, TILE_BYTES / <u32>blockBytes);
    for (let t0: u32 = 0; t0 < nBlocks; t0 += tile) {
      const t1 = min<u32>(nBlocks, t0 + tile);
      let i: u32 = 0;
      for (; i + 2 <= nb; i += 2) {
        const xa = x + <usize>i * rowBytes, xb = xa + rowBytes;
        let bestA = load<f32>(outScore + (<usize>i << 2)), bestB = load<f32>(outScore + (<usize>i << 2), 4);
        let idxA = load<u32>(outIdx + (<usize>i << 2)), idxB = load<u32>(outIdx + (<usize>i << 2), 4);
        for (let b = t0; b < t1; b++) {
          let p = book + <usize>b * blockBytes;
          let a0 = v128.load(p), a1 = v128.load(p, 16), a2 = v128.load(p, 32), a3 = v128.load(p, 48);
          let b0 = a0, b1 = a1, b2 = a2, b3 = a3;
          p += 64;
          const end = p + (<usize>d << 6);
          let pa = xa, pb = xb;
          while (p < end) {
            const c0 = v128.load(p), c1 = v128.load(p, 16), c2 = v128.load(p, 32), c3 = v128.load(p, 48);
            const u = v128.load32_splat(pa), v = v128.load32_splat(pb);
            a0 = fma4(u, c0, a0); a1 = fma4(u, c1, a1); a2 = fma4(u, c2, a2); a3 = fma4(u, c3, a3);
            b0 = fma4(v, c0, b0); b1 = fma4(v, c1, b1); b2 = fma4(v, c2, b2); b3 = fma4(v, c3, b3);
            p += 64; pa += 4; pb += 4;
          }
          // rare path: some lane beats the running best — settle it in index order
          if (v128.any_true(f32x4.gt(max4(a0, a1, a2, a3), f32x4.splat(bestA)))) {
            const r = settle(a0, a1, a2, a3, bestA, idxA, b << 4);
            bestA = load<f32>(lanes); idxA = r;
          }
          if (v128.any_true(f32x4.gt(max4(b0, b1, b2, b3), f32x4.splat(bestB)))) {
            const r = settle(b0, b1, b2, b3, bestB, idxB, b << 4);
            bestB = load<f32>(lanes); idxB = r;
          }
        }
        store<f32>(outScore + (<usize>i << 2), bestA); store<f32>(outScore + (<usize>i << 2), bestB, 4);
        store<u32>(outIdx + (<usize>i << 2), idxA); store<u32>(outIdx + (<usize>i << 2), idxB, 4);
      }
      if (i < nb) {
        const xa = x + <usize>i * rowBytes;
        let bestA = load<f32>(outScore + (<usize>i << 2));
        let idxA = load<u32>(outIdx + (<usize>i << 2));
        for (let b = t0; b < t1; b++) {
          let p = book + <usize>b * blockBytes;
          let a0 = v128.load(p), a1 = v128.load(p, 16), a2 = v128.load(p, 32), a3 = v128.load(p, 48);
          p += 64;
          const end = p + (<usize>d << 6);
          let pa = xa;
          while (p < end) {
            const u = v128.load32_splat(pa);
            a0 = fma4(u, v128.load(p), a0); a1 = fma4(u, v128.load(p, 16), a1);
            a2 = fma4(u, v128.load(p, 32), a2); a3 = fma4(u, v128.load(p, 48), a3);
            p += 64; pa += 4;
          }
          if (v128.any_true(f32x4.gt(max4(a0, a1, a2, a3), f32x4.splat(bestA)))) {
            const r = settle(a0, a1, a2, a3, bestA, idxA, b << 4);
            bestA = load<f32>(lanes); idxA = r;
          }
        }
        store<f32>(outScore + (<usize>i << 2), bestA);
        store<u32>(outIdx + (<usize>i << 2), idxA);
      }
    }
    return;
  }
  // scalar build: the same scores in the same order, one codeword at a time
  for (let i: u32 = 0; i < nb; i++) {
    const xa = x + <usize>i * rowBytes;
    let best: f32 = -Infinity;
    let idx: u32 = 0;
    for (let b: u32 = 0; b < nBlocks; b++) {
      const blk = book + <usize>b * blockBytes;
      for (let l: u32 = 0; l < 16; l++) {
        let p = blk + (<usize>l << 2);
        let s = load<f32>(p);
        for (let k: u32 = 0; k < d; k++) {
          p += 64;
          s += load<f32>(xa + (<usize>k << 2)) * load<f32>(p);
        }
        if (s > best) { best = s; idx = (b << 4) + l; }
      }
    }
    store<f32>(outScore + (<usize>i << 2), best);
    store<u32>(outIdx + (<usize>i << 2), idx);
  }
}

// Scan the 16 lanes in index order against the running best (strict >, so the lowest index
// wins ties); leaves the new best score in lanes[0] and returns the new best index.
function settle(a0: v128, a1: v128, a2: v128, a3: v128, best: f32, idx: u32, base: u32): u32 {
  v128.store(lanes, a0); v128.store(lanes, a1, 16); v128.store(lanes, a2, 32); v128.store(lanes, a3, 48);
  for (let l: u32 = 0; l < 16; l++) {
    const s = load<f32>(lanes + (<usize>l << 2));
    if (s > best) { best = s; idx = base + l; }
  }
  store<f32>(lanes, best);
  return idx;
}
