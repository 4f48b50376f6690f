// matmul_clamp_f32_f32_f32p_4x16x1_avx2 (pf32) and matmul_clamp_f32_f32_f16p_4x16x1_avx2
// (pf16): 4 rows x 16 channels (two ymm) per step, eight independent FMA chains. pf16
// widens its weights with vcvtph2ps (exact) and walks K in chunks whose activations it
// first rounds to fp16 values on the stack (1/16 of the multiply-adds they feed), then
// rounds each result once. Built with -mavx2 -mfma -mf16c (per-file flags), called only
// when CPUID says so.

#include "kiln/cpu/MatmulF32.h"

#include "TileLoop.h"

#include <immintrin.h>

#include <algorithm>
#include <cstring>
#include <type_traits>

namespace kiln::cpu {
namespace {

constexpr int kMr = 4;
constexpr size_t kKc = 512;

/// 8 packed weights as fp32: f32p16x1 as is, f16p16x1 widened.
__m256 load8(const float *w) { return _mm256_loadu_ps(w); }
__m256 load8(const uint16_t *w) {
  return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i *>(w)));
}

/// pf16's rounding: nearest fp16 value, ties to even, overflow to infinity.
constexpr int kNearest = _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC;
__m256 roundToHalf(__m256 v) { return _mm256_cvtph_ps(_mm256_cvtps_ph(v, kNearest)); }
float roundToHalf(float v) { return _cvtsh_ss(_cvtss_sh(v, kNearest)); }

/// acc += lhs[R rows, width] · w[width][16]; with Prefetch, also fetches the same k of
/// the tile computed next (`next`), which its first row block would otherwise wait for
/// from memory (only a tile's first row block does: in every block, the extra load cost
/// more than it saved at M = 128).
template <int R, bool Prefetch, typename Weight>
void accumulate(__m256 (&acc)[R][2], const float *lhs, size_t lhsStride, const Weight *w,
                const Weight *next, size_t width) {
  for (size_t k = 0; k < width; ++k) {
    __m256 w0 = load8(w + k * kF32Nr), w1 = load8(w + k * kF32Nr + 8);
    if constexpr (Prefetch)
      _mm_prefetch(reinterpret_cast<const char *>(next + k * kF32Nr), _MM_HINT_T0);
    for (int r = 0; r < R; ++r) {
      __m256 x = _mm256_set1_ps(lhs[r * lhsStride + k]);
      acc[r][0] = _mm256_fmadd_ps(x, w0, acc[r][0]);
      acc[r][1] = _mm256_fmadd_ps(x, w1, acc[r][1]);
    }
  }
}

template <int R, bool Prefetch, typename Weight>
void tile(const F32MatmulArgs &a, const float *lhs, float *dst, const Weight *w,
          const Weight *next, size_t n0, size_t cols) {
  constexpr bool half = std::is_same_v<Weight, uint16_t>;
  __m256 acc[R][2];
  for (int r = 0; r < R; ++r)
    acc[r][0] = acc[r][1] = _mm256_setzero_ps();
  if constexpr (half) {
    float rounded[R * kKc];
    for (size_t k0 = 0; k0 < a.k; k0 += kKc) {
      const size_t width = std::min(kKc, a.k - k0);
      for (int r = 0; r < R; ++r) {
        const float *row = lhs + r * a.lhsStride + k0;
        size_t k = 0;
        for (; k + 8 <= width; k += 8)
          _mm256_storeu_ps(rounded + r * kKc + k, roundToHalf(_mm256_loadu_ps(row + k)));
        for (; k < width; ++k)
          rounded[r * kKc + k] = roundToHalf(row[k]);
      }
      accumulate<R, Prefetch>(acc, rounded, kKc, w + k0 * kF32Nr, next + k0 * kF32Nr, width);
    }
  } else {
    accumulate<R, Prefetch>(acc, lhs, a.lhsStride, w, next, a.k);
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
      if constexpr (half)
        y = roundToHalf(y);
      _mm256_storeu_ps(out + 8 * h, y);
    }
    std::memcpy(dst + r * a.dstStride + n0, out, cols * sizeof(float));
  }
}

template <typename Weight> void matmul(const F32MatmulArgs &a) {
  const auto *packed = static_cast<const Weight *>(a.rhsPacked);
  const size_t tileElems = a.k * kF32Nr;
  forEachTile<kF32Nr, kMr>(a.m, a.n, [&](size_t n0, size_t cols, size_t m0, auto rows) {
    const Weight *w = packed + n0 / kF32Nr * tileElems;
    // The last tile prefetches itself again.
    const Weight *next = n0 + kF32Nr < a.n ? w + tileElems : w;
    constexpr int R = decltype(rows)::value;
    const float *lhs = a.lhs + m0 * a.lhsStride;
    float *dst = a.dst + m0 * a.dstStride;
    if (m0 == 0)
      tile<R, true>(a, lhs, dst, w, next, n0, cols);
    else
      tile<R, false>(a, lhs, dst, w, next, n0, cols);
  });
}

} // namespace

void kiln_matmul_clamp_f32_f32_f32p_4x16x1_avx2(const F32MatmulArgs &a) { matmul<float>(a); }

void kiln_matmul_clamp_f32_f32_f16p_4x16x1_avx2(const F32MatmulArgs &a) { matmul<uint16_t>(a); }

} // namespace kiln::cpu
