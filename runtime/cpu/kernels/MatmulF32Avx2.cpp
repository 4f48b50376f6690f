// matmul_clamp_f32_f32_f32p_4x16x1_avx2: 4 rows x 16 channels (two ymm) per step,
// eight independent FMA chains. Built with -mavx2 -mfma (per-file flags), called only
// when CPUID says so.

#include "kiln/cpu/MatmulF32.h"

#include "TileLoop.h"

#include <immintrin.h>

#include <cstring>

namespace kiln::cpu {
namespace {

constexpr int kMr = 4;

template <int R>
void tile(const F32MatmulArgs &a, const float *lhs, float *dst, const float *w, size_t n0,
          size_t cols) {
  __m256 acc[R][2];
  for (int r = 0; r < R; ++r)
    acc[r][0] = acc[r][1] = _mm256_setzero_ps();
  for (size_t k = 0; k < a.k; ++k) {
    __m256 w0 = _mm256_loadu_ps(w + k * kF32Nr), w1 = _mm256_loadu_ps(w + k * kF32Nr + 8);
    for (int r = 0; r < R; ++r) {
      __m256 x = _mm256_set1_ps(lhs[r * a.lhsStride + k]);
      acc[r][0] = _mm256_fmadd_ps(x, w0, acc[r][0]);
      acc[r][1] = _mm256_fmadd_ps(x, w1, acc[r][1]);
    }
  }
  float bias[kF32Nr] = {};
  if (a.bias)
    std::memcpy(bias, a.bias + n0, cols * sizeof(float));
  for (int r = 0; r < R; ++r) {
    float out[kF32Nr];
    for (int h = 0; h < 2; ++h) {
      __m256 y = a.bias ? _mm256_add_ps(acc[r][h], _mm256_loadu_ps(bias + 8 * h)) : acc[r][h];
      // Operand order as std::min(std::max(y, lo), hi): equal values (+-0) keep y.
      y = _mm256_min_ps(_mm256_set1_ps(a.clampMax), _mm256_max_ps(_mm256_set1_ps(a.clampMin), y));
      _mm256_storeu_ps(out + 8 * h, y);
    }
    std::memcpy(dst + r * a.dstStride + n0, out, cols * sizeof(float));
  }
}

} // namespace

void kiln_matmul_clamp_f32_f32_f32p_4x16x1_avx2(const F32MatmulArgs &a) {
  const auto *packed = static_cast<const float *>(a.rhsPacked);
  forEachTile<kF32Nr, kMr>(a.m, a.n, [&](size_t n0, size_t cols, size_t m0, auto rows) {
    tile<decltype(rows)::value>(a, a.lhs + m0 * a.lhsStride, a.dst + m0 * a.dstStride,
                                packed + n0 / kF32Nr * a.k * kF32Nr, n0, cols);
  });
}

} // namespace kiln::cpu
