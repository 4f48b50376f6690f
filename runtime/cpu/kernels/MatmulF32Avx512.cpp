// matmul_clamp_f32_f32_f32p_12x32x1_avx512: 12 rows x 32 channels (two packed 16-channel
// tiles) per step, 24 zmm accumulators: each k loads two weight vectors and broadcasts
// twelve activations for 24 FMAs, so the two FMA ports, not the loads, set the pace
// (an 8x16 step issued nine loads for eight FMAs). K is walked in chunks of kKc so a
// tile pair's weights (kKc x 32 floats, 64 KiB) stay in L2 while every row block reuses
// them; without it a K = 8192 pair (1 MiB) fell out of L2 between row blocks. Partial
// sums go through dst, and bias and clamp apply after the last chunk. Built with
// -mavx512f (per-file flags), called only when CPUID says so.

#include "kiln/cpu/MatmulF32.h"

#include "TileLoop.h"

#include <immintrin.h>

#include <algorithm>

namespace kiln::cpu {
namespace {

constexpr int kMr = 12;
constexpr size_t kKc = 512;

/// R rows x T adjacent packed tiles (T = 1 or 2, `cols` channels in all; the tiles are
/// `tileFloats` apart) over k in [k0, k1): starts from zero at k0 = 0, else from the
/// partial sums in dst; adds bias and clamps when k1 = K.
template <int R, int T>
void tile(const F32MatmulArgs &a, const float *lhs, float *dst, const float *w,
          size_t tileFloats, size_t n0, size_t cols, size_t k0, size_t k1) {
  __mmask16 masks[T];
  for (int t = 0; t < T; ++t)
    masks[t] = __mmask16((1u << std::min(kF32Nr, cols - t * kF32Nr)) - 1);
  __m512 acc[R][T];
  for (int r = 0; r < R; ++r)
    for (int t = 0; t < T; ++t)
      acc[r][t] = k0 == 0 ? _mm512_setzero_ps()
                          : _mm512_maskz_loadu_ps(masks[t], dst + r * a.dstStride + n0 + t * kF32Nr);
  for (size_t k = k0; k < k1; ++k) {
    __m512 wk[T];
    for (int t = 0; t < T; ++t)
      wk[t] = _mm512_loadu_ps(w + t * tileFloats + k * kF32Nr);
    for (int r = 0; r < R; ++r) {
      __m512 x = _mm512_set1_ps(lhs[r * a.lhsStride + k]);
      for (int t = 0; t < T; ++t)
        acc[r][t] = _mm512_fmadd_ps(x, wk[t], acc[r][t]);
    }
  }
  const bool last = k1 == a.k;
  for (int t = 0; t < T; ++t) {
    const size_t first = n0 + t * kF32Nr;
    const __mmask16 mask = masks[t];
    if (!last) {
      for (int r = 0; r < R; ++r)
        _mm512_mask_storeu_ps(dst + r * a.dstStride + first, mask, acc[r][t]);
      continue;
    }
    __m512 bias = a.bias ? _mm512_maskz_loadu_ps(mask, a.bias + first) : _mm512_setzero_ps();
    for (int r = 0; r < R; ++r) {
      __m512 y = a.bias ? _mm512_add_ps(acc[r][t], bias) : acc[r][t];
      // Operand order as std::min(std::max(y, lo), hi): equal values (+-0) keep y.
      y = _mm512_min_ps(_mm512_set1_ps(a.clampMax), _mm512_max_ps(_mm512_set1_ps(a.clampMin), y));
      _mm512_mask_storeu_ps(dst + r * a.dstStride + first, mask, y);
    }
  }
}

} // namespace

void kiln_matmul_clamp_f32_f32_f32p_12x32x1_avx512(const F32MatmulArgs &a) {
  const auto *packed = static_cast<const float *>(a.rhsPacked);
  const size_t tileFloats = a.k * kF32Nr;
  for (size_t k0 = 0; k0 < a.k; k0 += kKc) {
    const size_t k1 = std::min(a.k, k0 + kKc);
    forEachTile<2 * kF32Nr, kMr>(a.m, a.n, [&](size_t n0, size_t cols, size_t m0, auto rows) {
      constexpr int R = decltype(rows)::value;
      const float *lhs = a.lhs + m0 * a.lhsStride;
      float *dst = a.dst + m0 * a.dstStride;
      const float *w = packed + n0 / kF32Nr * tileFloats;
      if (cols > kF32Nr)
        tile<R, 2>(a, lhs, dst, w, tileFloats, n0, cols, k0, k1);
      else
        tile<R, 1>(a, lhs, dst, w, tileFloats, n0, cols, k0, k1);
    });
  }
}

} // namespace kiln::cpu
