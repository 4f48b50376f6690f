// matmul_clamp_f32_f32_f32p_12x32x1_avx512 (pf32) and matmul_clamp_f32_f32_f16p_12x32x1_avx512
// (pf16): 12 rows x 32 channels (two packed 16-channel tiles) per step, 24 zmm
// accumulators: each k loads two weight vectors and broadcasts twelve activations for
// 24 FMAs, so the two FMA ports, not the loads, set the pace (an 8x16 step issued nine
// loads for eight FMAs). K is walked in chunks of kKc so a tile pair's weights (kKc x 32
// floats, 64 KiB; half that in fp16) stay in L2 while every row block reuses them;
// without it a K = 8192 pair (1 MiB) fell out of L2 between row blocks. Partial sums go
// through dst, and bias and clamp apply after the last chunk. pf16 differs only in the
// weight load (vcvtph2ps, exact), its activations rounded to fp16 values per row block
// and chunk, and the final rounding of each result. Built with -mavx512f (per-file
// flags), called only when CPUID says so.

#include "kiln/cpu/MatmulF32.h"

#include "TileLoop.h"

#include <immintrin.h>

#include <algorithm>
#include <type_traits>

namespace kiln::cpu {
namespace {

constexpr int kMr = 12;
constexpr size_t kKc = 512;

/// 16 packed weights as fp32: f32p16x1 as is, f16p16x1 widened.
__m512 load16(const float *w) { return _mm512_loadu_ps(w); }
__m512 load16(const uint16_t *w) {
  return _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i *>(w)));
}

/// pf16's rounding: to the nearest fp16 value, ties to even, overflow to infinity,
/// subnormals kept (vcvtps2ph with an explicit rounding mode; MXCSR's FTZ/DAZ are off).
__m512 roundToHalf(__m512 v) {
  return _mm512_cvtph_ps(_mm512_cvtps_ph(v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
}

/// R rows x T adjacent packed tiles (T = 1 or 2, `cols` channels in all; the tiles are
/// `tileElems` apart) over k in [k0, k1), with `lhs` at column k0 of the block's first
/// row: starts from zero at k0 = 0, else from the partial sums in dst; adds bias,
/// clamps (and for fp16 weights rounds) when k1 = K.
template <int R, int T, typename Weight>
void tile(const F32MatmulArgs &a, const float *lhs, size_t lhsStride, float *dst,
          const Weight *w, size_t tileElems, size_t n0, size_t cols, size_t k0, size_t k1) {
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
      wk[t] = load16(w + t * tileElems + k * kF32Nr);
    for (int r = 0; r < R; ++r) {
      __m512 x = _mm512_set1_ps(lhs[r * lhsStride + (k - k0)]);
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
      if constexpr (std::is_same_v<Weight, uint16_t>)
        y = roundToHalf(y);
      _mm512_mask_storeu_ps(dst + r * a.dstStride + first, mask, y);
    }
  }
}

/// R rows of `width` activations rounded to fp16 values into `out` (row stride kKc).
template <int R>
void roundRowsToHalf(const float *lhs, size_t lhsStride, size_t width, float *out) {
  for (int r = 0; r < R; ++r)
    for (size_t k = 0; k < width; k += 16) {
      const __mmask16 mask = __mmask16((1u << std::min<size_t>(16, width - k)) - 1);
      __m512 x = _mm512_maskz_loadu_ps(mask, lhs + r * lhsStride + k);
      _mm512_mask_storeu_ps(out + r * kKc + k, mask, roundToHalf(x));
    }
}

template <typename Weight> void matmul(const F32MatmulArgs &a) {
  const auto *packed = static_cast<const Weight *>(a.rhsPacked);
  const size_t tileElems = a.k * kF32Nr;
  for (size_t k0 = 0; k0 < a.k; k0 += kKc) {
    const size_t k1 = std::min(a.k, k0 + kKc);
    forEachTile<2 * kF32Nr, kMr>(a.m, a.n, [&](size_t n0, size_t cols, size_t m0, auto rows) {
      constexpr int R = decltype(rows)::value;
      const float *lhs = a.lhs + m0 * a.lhsStride + k0;
      float *dst = a.dst + m0 * a.dstStride;
      const Weight *w = packed + n0 / kF32Nr * tileElems;
      auto run = [&](const float *x, size_t stride) {
        if (cols > kF32Nr)
          tile<R, 2>(a, x, stride, dst, w, tileElems, n0, cols, k0, k1);
        else
          tile<R, 1>(a, x, stride, dst, w, tileElems, n0, cols, k0, k1);
      };
      if constexpr (std::is_same_v<Weight, uint16_t>) {
        // Once per tile pair: 1/32 of the multiply-adds it feeds.
        float rounded[R * kKc];
        roundRowsToHalf<R>(lhs, a.lhsStride, k1 - k0, rounded);
        run(rounded, kKc);
      } else {
        run(lhs, a.lhsStride);
      }
    });
  }
}

} // namespace

void kiln_matmul_clamp_f32_f32_f32p_12x32x1_avx512(const F32MatmulArgs &a) { matmul<float>(a); }

void kiln_matmul_clamp_f32_f32_f16p_12x32x1_avx512(const F32MatmulArgs &a) {
  matmul<uint16_t>(a);
}

} // namespace kiln::cpu
