/* C reference for the K3 bench: QSGD stochastic rounding (s = 4, scale 0.25) with the same
 * Philox4x32-10 stream and 24-bit uniforms as the kernel (spec/random.md), AVX2 (8 blocks per
 * step), levels as int8. Checks the Random123 known answer, then prints bytes of f32 input per
 * CPU second. Built by bench/refs.ts with gcc -O3 -march=native when gcc exists. */
#include <immintrin.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static void philox_scalar(uint32_t c[4], uint32_t k0, uint32_t k1) {
  for (int r = 0; r < 10; r++) {
    uint64_t p0 = (uint64_t)0xD2511F53u * c[0], p1 = (uint64_t)0xCD9E8D57u * c[2];
    uint32_t n0 = (uint32_t)(p1 >> 32) ^ c[1] ^ k0, n2 = (uint32_t)(p0 >> 32) ^ c[3] ^ k1;
    c[1] = (uint32_t)p1; c[3] = (uint32_t)p0; c[0] = n0; c[2] = n2;
    k0 += 0x9E3779B9u; k1 += 0xBB67AE85u;
  }
}

/* 8 blocks n..n+7 (low counter word only varies): word j of block i in lane i of w[j] */
static inline void philox8(__m256i w[4], uint32_t n, uint32_t k0, uint32_t k1) {
  __m256i c0 = _mm256_add_epi32(_mm256_set1_epi32((int)n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
  __m256i c1 = _mm256_setzero_si256(), c2 = _mm256_set1_epi32(3), c3 = _mm256_set1_epi32(4);
  const __m256i m0 = _mm256_set1_epi32((int)0xD2511F53u), m1 = _mm256_set1_epi32((int)0xCD9E8D57u);
  for (int r = 0; r < 10; r++) {
    __m256i pe0 = _mm256_mul_epu32(c0, m0), po0 = _mm256_mul_epu32(_mm256_srli_epi64(c0, 32), m0);
    __m256i pe1 = _mm256_mul_epu32(c2, m1), po1 = _mm256_mul_epu32(_mm256_srli_epi64(c2, 32), m1);
    __m256i hi0 = _mm256_blend_epi32(_mm256_srli_epi64(pe0, 32), po0, 0xAA), lo0 = _mm256_blend_epi32(pe0, _mm256_slli_epi64(po0, 32), 0xAA);
    __m256i hi1 = _mm256_blend_epi32(_mm256_srli_epi64(pe1, 32), po1, 0xAA), lo1 = _mm256_blend_epi32(pe1, _mm256_slli_epi64(po1, 32), 0xAA);
    __m256i n0 = _mm256_xor_si256(_mm256_xor_si256(hi1, c1), _mm256_set1_epi32((int)k0));
    __m256i n2 = _mm256_xor_si256(_mm256_xor_si256(hi0, c3), _mm256_set1_epi32((int)k1));
    c1 = lo1; c3 = lo0; c0 = n0; c2 = n2;
    k0 += 0x9E3779B9u; k1 += 0xBB67AE85u;
  }
  w[0] = c0; w[1] = c1; w[2] = c2; w[3] = c3;
}

static void rounding(const float *x, int8_t *out, size_t n, float scale, int s) {
  const __m256 vs = _mm256_set1_ps(scale), half = _mm256_set1_ps(0.5f), ulp = _mm256_set1_ps(5.9604644775390625e-8f);
  const __m256i smax = _mm256_set1_epi32(s);
  int32_t lev[32];
  for (size_t i = 0; i + 32 <= n; i += 32) {
    __m256i w[4];
    philox8(w, (uint32_t)(i >> 2), 1, 2);
    for (int j = 0; j < 4; j++) {
      /* coordinate 4·block + j uses word j of its block: lanes are blocks, so word j covers coordinates j, 4+j, … */
      __m256 u = _mm256_mul_ps(_mm256_add_ps(_mm256_cvtepi32_ps(_mm256_srli_epi32(w[j], 8)), half), ulp);
      __m256i idx = _mm256_setr_epi32(0, 4, 8, 12, 16, 20, 24, 28);
      __m256 xv = _mm256_i32gather_ps(x + i + j, idx, 4);
      __m256 a = _mm256_mul_ps(_mm256_andnot_ps(_mm256_set1_ps(-0.0f), xv), vs);
      __m256 l = _mm256_floor_ps(a);
      __m256i up = _mm256_castps_si256(_mm256_cmp_ps(u, _mm256_sub_ps(a, l), _CMP_LT_OQ));
      __m256i xi = _mm256_min_epi32(_mm256_sub_epi32(_mm256_cvttps_epi32(l), up), smax);
      __m256i neg = _mm256_srai_epi32(_mm256_castps_si256(xv), 31);
      _mm256_storeu_si256((__m256i *)lev, _mm256_sub_epi32(_mm256_xor_si256(xi, neg), neg));
      for (int t = 0; t < 8; t++) out[i + 4 * t + j] = (int8_t)lev[t];
    }
  }
}

static double cpu(void) { struct timespec t; clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t); return t.tv_sec + t.tv_nsec * 1e-9; }

int main(int argc, char **argv) {
  uint32_t c[4] = {0, 0, 0, 0};
  philox_scalar(c, 0, 0);
  if (c[0] != 0x6627e8d5u || c[1] != 0xe169c58du || c[2] != 0xbc57ac4cu || c[3] != 0x9b00dbd8u) { fprintf(stderr, "Philox known answer failed\n"); return 1; }
  __m256i w[4]; uint32_t v[8];
  philox8(w, 5, 1, 2);
  uint32_t b[4] = {10, 0, 3, 4}; philox_scalar(b, 1, 2);
  _mm256_storeu_si256((__m256i *)v, w[1]);
  if (v[5] != b[1]) { fprintf(stderr, "AVX2 Philox differs from scalar\n"); return 1; }
  size_t n = (size_t)1 << (argc > 1 ? 18 : 22);
  float *x = aligned_alloc(32, n * 4); int8_t *o = aligned_alloc(32, n);
  for (size_t i = 0; i < n; i++) x[i] = (float)((int)(i * 2654435761u % 2001) - 1000) / 250.0f;
  rounding(x, o, n, 0.25f, 4);
  double ts[9];
  for (int r = 0; r < 9; r++) { double t = cpu(); rounding(x, o, n, 0.25f, 4); ts[r] = cpu() - t; }
  for (int i = 0; i < 9; i++) for (int j = i + 1; j < 9; j++) if (ts[j] < ts[i]) { double t = ts[i]; ts[i] = ts[j]; ts[j] = t; }
  long chk = 0; for (size_t i = 0; i < n; i++) chk += o[i];
  printf("{\"roundingBytes\": %.6g, \"checksum\": %ld}\n", 4.0 * n / ts[4], chk);
  return 0;
}
