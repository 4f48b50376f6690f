// matmul_clamp_f32_f32_f32p_8x16x1_avx512: 8 rows x 16 channels per step, so eight
// independent FMA chains hide the FMA latency (2 ports x 4 cycles). Built with
// -mavx512f (per-file flags), called only when CPUID says so.

#include "kiln/cpu/MatmulF32.h"

#include "TileLoop.h"

#include <immintrin.h>

namespace kiln::cpu {
namespace {

constexpr int kMr = 8;

template <int R>
void tile(const F32MatmulArgs &a, const float *lhs, float *dst, const float *w, size_t n0,
          size_t cols) {
  __m512 acc[R];
  for (int r = 0; r < R; ++r)
    acc[r] = _mm512_setzero_ps();
  for (size_t k = 0; k < a.k; ++k) {
    __m512 wk = _mm512_loadu_ps(w + k * kF32Nr);
    for (int r = 0; r < R; ++r)
      acc[r] = _mm512_fmadd_ps(_mm512_set1_ps(lhs[r * a.lhsStride + k]), wk, acc[r]);
  }
  const __mmask16 mask = __mmask16((1u << cols) - 1);
  __m512 bias = a.bias ? _mm512_maskz_loadu_ps(mask, a.bias + n0) : _mm512_setzero_ps();
  for (int r = 0; r < R; ++r) {
    __m512 y = a.bias ? _mm512_add_ps(acc[r], bias) : acc[r];
    // Operand order as std::min(std::max(y, lo), hi): equal values (+-0) keep y.
    y = _mm512_min_ps(_mm512_set1_ps(a.clampMax), _mm512_max_ps(_mm512_set1_ps(a.clampMin), y));
    _mm512_mask_storeu_ps(dst + r * a.dstStride + n0, mask, y);
  }
}

} // namespace

void kiln_matmul_clamp_f32_f32_f32p_8x16x1_avx512(const F32MatmulArgs &a) {
  const auto *packed = static_cast<const float *>(a.rhsPacked);
  forEachTile<kF32Nr, kMr>(a.m, a.n, [&](size_t n0, size_t cols, size_t m0, auto rows) {
    tile<decltype(rows)::value>(a, a.lhs + m0 * a.lhsStride, a.dst + m0 * a.dstStride,
                                packed + n0 / kF32Nr * a.k * kF32Nr, n0, cols);
  });
}

} // namespace kiln::cpu
