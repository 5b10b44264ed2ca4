/* C reference for the K1 bench: the StoVoQ nearest-codeword search (spec/stovoq.md "The
 * quantizer": argmax_j <x, c_j> - |c_j|^2/2), d = 16, M = 8192, over the same blocked codebook
 * layout as assembly/codebook.ts (blocks of 16 codewords: a bias row, then d rows of 16), with
 * codebook tiles that stay in L1 while every bucket passes. Three builds of this one file
 * (bench/refs.ts), so the wasm rows can be read against each:
 *   default        AVX2 + FMA: 256-bit lanes, fused multiply-add, 4 buckets x 16 codewords per step
 *   -DNO_FMA       AVX2 without FMA (multiply, then add): gcc -O3 -mavx2, the "C AVX2" of issue #9
 *   -DLANES128     FMA on 128-bit lanes, the width of WebAssembly SIMD (relaxed_madd lowers to it),
 *                  2 buckets x 16 codewords per step (4 would not fit the 16 vector registers)
 * Checks its indices against a plain scalar search (scores within a float tolerance: FMA rounds
 * differently at near-ties), then prints flops (2·d·M per bucket) per CPU second. */
#include <immintrin.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { D = 16, M = 8192, STRIDE = (D + 1) * 16, TILE_BLOCKS = 24 * 1024 / (STRIDE * 4) };

#ifdef LANES128
typedef __m128 vf;
enum { VW = 4, NB = 2 };
#define VLOAD _mm_load_ps
#define VBCAST _mm_set1_ps
#define VMAX _mm_max_ps
#define VMADD(a, b, c) _mm_fmadd_ps(a, b, c)
static inline float hmax(vf m) {
  m = _mm_max_ps(m, _mm_shuffle_ps(m, m, 0x4E));
  m = _mm_max_ps(m, _mm_shuffle_ps(m, m, 0xB1));
  return _mm_cvtss_f32(m);
}
#else
typedef __m256 vf;
enum { VW = 8, NB = 4 };
#define VLOAD _mm256_load_ps
#define VBCAST _mm256_set1_ps
#define VMAX _mm256_max_ps
#ifdef NO_FMA
#define VMADD(a, b, c) _mm256_add_ps(_mm256_mul_ps(a, b), c)
#else
#define VMADD(a, b, c) _mm256_fmadd_ps(a, b, c)
#endif
static inline float hmax(vf m) {
  m = _mm256_max_ps(m, _mm256_permute2f128_ps(m, m, 1));
  m = _mm256_max_ps(m, _mm256_shuffle_ps(m, m, 0x4E));
  m = _mm256_max_ps(m, _mm256_shuffle_ps(m, m, 0xB1));
  return _mm256_cvtss_f32(m);
}
#endif
enum { NV = 16 / VW }; /* vectors per block of 16 codewords */

/* best score / index of NB buckets over one tile of codeword blocks [b0, b1) */
static inline void tile(const float *x, const float *book, int b0, int b1, float *best, int *idx) {
  for (int b = b0; b < b1; b++) {
    const float *blk = book + (size_t)b * STRIDE;
    vf acc[NB][NV];
    for (int v = 0; v < NV; v++) { const vf bias = VLOAD(blk + v * VW); for (int q = 0; q < NB; q++) acc[q][v] = bias; }
    for (int k = 0; k < D; k++) {
      vf c[NV];
      for (int v = 0; v < NV; v++) c[v] = VLOAD(blk + 16 + 16 * k + v * VW);
      for (int q = 0; q < NB; q++) {
        const vf xq = VBCAST(x[q * D + k]);
        for (int v = 0; v < NV; v++) acc[q][v] = VMADD(xq, c[v], acc[q][v]);
      }
    }
    for (int q = 0; q < NB; q++) {
      /* a block-wide max first, so the per-lane scan runs only when the block beats the best */
      vf m = acc[q][0];
      for (int v = 1; v < NV; v++) m = VMAX(m, acc[q][v]);
      const float mx = hmax(m);
      if (mx > best[q]) {
        float s[16];
        for (int v = 0; v < NV; v++) memcpy(s + v * VW, &acc[q][v], sizeof(vf));
        for (int l = 0; l < 16; l++) if (s[l] == mx) { best[q] = mx; idx[q] = 16 * b + l; break; }
      }
    }
  }
}

static void search(const float *x, int nb, const float *book, int *idx, float *best) {
  for (int i = 0; i < nb; i++) { best[i] = -INFINITY; idx[i] = 0; }
  for (int t = 0; t < M / 16; t += TILE_BLOCKS) {
    const int t1 = t + TILE_BLOCKS < M / 16 ? t + TILE_BLOCKS : M / 16;
    for (int i = 0; i + NB <= nb; i += NB) tile(x + (size_t)i * D, book, t, t1, best + i, idx + i);
  }
}

/* deterministic pseudo-normal values (sum of 4 LCG uniforms, centred, unit variance): the search
 * cost does not depend on the data; one call per value, so the draws are sequenced */
static float uni(uint32_t *st) { *st = *st * 1664525u + 1013904223u; return (*st >> 8) * (1.0f / 16777216.0f); }
static float gauss(uint32_t *st) {
  float s = uni(st);
  s += uni(st); s += uni(st); s += uni(st);
  return (s - 2.0f) * 1.7320508f;
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
  (void)argv; /* any argument means quick */
  const int nb = argc > 1 ? 512 : 4096, reps = argc > 1 ? 3 : 7;
  float *book = aligned_alloc(32, sizeof(float) * STRIDE * (M / 16));
  float *x = aligned_alloc(32, sizeof(float) * D * nb), *best = malloc(sizeof(float) * nb);
  int *idx = malloc(sizeof(int) * nb);
  uint32_t st = 12345;
  for (int b = 0; b < M / 16; b++) {
    float *blk = book + (size_t)b * STRIDE;
    for (int l = 0; l < 16; l++) {
      float n2 = 0;
      for (int k = 0; k < D; k++) { const float c = gauss(&st); blk[16 + 16 * k + l] = c; n2 += c * c; }
      blk[l] = -0.5f * n2;
    }
  }
  for (int i = 0; i < D * nb; i++) x[i] = gauss(&st);
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
