/* C reference for the K1 bench: the StoVoQ nearest-codeword search (spec/stovoq.md "The
 * quantizer": argmax_j <x, c_j> - |c_j|^2/2), d = 16, M = 8192, over the same blocked codebook
 * layout as assembly/codebook.ts (blocks of 16 codewords: a bias row, then d rows of 16), with
 * AVX2 + FMA (256-bit lanes, fused multiply-add): 4 buckets x 16 codewords per step, codebook
 * tiles that stay in L1 while every bucket passes. Checks its indices against a plain scalar
 * search (scores within a float tolerance: FMA rounds differently at near-ties), then prints
 * flops (2·d·M per bucket) per CPU second. Built by bench/refs.ts with gcc -O3 -mavx2 -mfma. */
#include <immintrin.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

enum { D = 16, M = 8192, STRIDE = (D + 1) * 16, TILE_BLOCKS = 24 * 1024 / (STRIDE * 4) };

/* best score / index of 4 buckets over one tile of codeword blocks [b0, b1) */
static inline void tile4(const float *x, const float *book, int b0, int b1, float *best, int *idx) {
  for (int b = b0; b < b1; b++) {
    const float *blk = book + (size_t)b * STRIDE;
    __m256 lo0 = _mm256_load_ps(blk), hi0 = _mm256_load_ps(blk + 8);
    __m256 lo1 = lo0, hi1 = hi0, lo2 = lo0, hi2 = hi0, lo3 = lo0, hi3 = hi0;
    for (int k = 0; k < D; k++) {
      const __m256 cl = _mm256_load_ps(blk + 16 + 16 * k), ch = _mm256_load_ps(blk + 24 + 16 * k);
      const __m256 x0 = _mm256_broadcast_ss(x + k), x1 = _mm256_broadcast_ss(x + D + k);
      const __m256 x2 = _mm256_broadcast_ss(x + 2 * D + k), x3 = _mm256_broadcast_ss(x + 3 * D + k);
      lo0 = _mm256_fmadd_ps(x0, cl, lo0); hi0 = _mm256_fmadd_ps(x0, ch, hi0);
      lo1 = _mm256_fmadd_ps(x1, cl, lo1); hi1 = _mm256_fmadd_ps(x1, ch, hi1);
      lo2 = _mm256_fmadd_ps(x2, cl, lo2); hi2 = _mm256_fmadd_ps(x2, ch, hi2);
      lo3 = _mm256_fmadd_ps(x3, cl, lo3); hi3 = _mm256_fmadd_ps(x3, ch, hi3);
    }
    __m256 acc[8] = {lo0, hi0, lo1, hi1, lo2, hi2, lo3, hi3};
    for (int q = 0; q < 4; q++) {
      /* a block-wide max first, so the per-lane scan runs only when the block beats the best */
      __m256 m = _mm256_max_ps(acc[2 * q], acc[2 * q + 1]);
      m = _mm256_max_ps(m, _mm256_permute2f128_ps(m, m, 1));
      m = _mm256_max_ps(m, _mm256_shuffle_ps(m, m, 0x4E));
      m = _mm256_max_ps(m, _mm256_shuffle_ps(m, m, 0xB1));
      const float mx = _mm256_cvtss_f32(m);
      if (mx > best[q]) {
        float s[16];
        _mm256_storeu_ps(s, acc[2 * q]); _mm256_storeu_ps(s + 8, acc[2 * q + 1]);
        for (int l = 0; l < 16; l++) if (s[l] == mx) { best[q] = mx; idx[q] = 16 * b + l; break; }
      }
    }
  }
}

static void search(const float *x, int nb, const float *book, int *idx, float *best) {
  for (int i = 0; i < nb; i++) { best[i] = -INFINITY; idx[i] = 0; }
  for (int t = 0; t < M / 16; t += TILE_BLOCKS) {
    const int t1 = t + TILE_BLOCKS < M / 16 ? t + TILE_BLOCKS : M / 16;
    for (int i = 0; i + 4 <= nb; i += 4) tile4(x + (size_t)i * D, book, t, t1, best + i, idx + i);
  }
}

static double cpu(void) { struct timespec t; clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t); return t.tv_sec + t.tv_nsec * 1e-9; }

/* plain scalar score of codeword j for bucket x (the check's reference) */
static float score(const float *x, const float *book, int j) {
  const float *blk = book + (size_t)(j >> 4) * STRIDE;
  float s = blk[j & 15];
  for (int k = 0; k < D; k++) s += x[k] * blk[16 + 16 * k + (j & 15)];
  return s;
}

int main(int argc, char **argv) {
  const int nb = argc > 1 ? 512 : 4096, reps = argc > 1 ? 3 : 7;
  float *book = aligned_alloc(32, sizeof(float) * STRIDE * (M / 16));
  float *x = aligned_alloc(32, sizeof(float) * D * nb), *best = malloc(sizeof(float) * nb);
  int *idx = malloc(sizeof(int) * nb);
  /* deterministic pseudo-normal data (sum of 4 uniforms, centred): the search cost does not depend on it */
  uint32_t st = 12345;
#define UNI() ((st = st * 1664525u + 1013904223u) >> 8) * (1.0f / 16777216.0f)
#define GAUSS() ((UNI() + UNI() + UNI() + UNI() - 2.0f) * 1.7320508f)
  for (int b = 0; b < M / 16; b++) {
    float *blk = book + (size_t)b * STRIDE;
    for (int l = 0; l < 16; l++) {
      float n2 = 0;
      for (int k = 0; k < D; k++) { const float c = GAUSS(); blk[16 + 16 * k + l] = c; n2 += c * c; }
      blk[l] = -0.5f * n2;
    }
  }
  for (int i = 0; i < D * nb; i++) x[i] = GAUSS();
  search(x, nb, book, idx, best);
  for (int i = 0; i < nb; i++) {
    float top = -INFINITY;
    for (int j = 0; j < M; j++) { const float s = score(x + (size_t)i * D, book, j); if (s > top) top = s; }
    if (fabsf(score(x + (size_t)i * D, book, idx[i]) - top) > 1e-4f * (1.0f + fabsf(top))) {
      fprintf(stderr, "AVX2 search differs from the scalar one at bucket %d\n", i);
      return 1;
    }
  }
  double ts[9];
  for (int r = 0; r < reps; r++) { double t = cpu(); search(x, nb, book, idx, best); ts[r] = cpu() - t; }
  for (int i = 0; i < reps; i++) for (int j = i + 1; j < reps; j++) if (ts[j] < ts[i]) { double t = ts[i]; ts[i] = ts[j]; ts[j] = t; }
  long chk = 0; for (int i = 0; i < nb; i++) chk += idx[i];
  /* best of the runs, as the wasm search rows (bestMs in bench/suites/voronoi.ts) */
  printf("{\"searchFlops\": %.6g, \"checksum\": %ld}\n", 2.0 * D * M * nb / ts[0], chk);
  return 0;
}
