// lhs_quant_qai8dx_f32_avx2, 8 values per step. Built with -mavx2 (per-file flags),
// called only when CPUID says so; the AVX-512 tier uses it too, since the pass is
// O(M·K) beside the GEMM's O(M·N·K).

#include "kiln/cpu/LhsQuant.h"

#include "Kernels.h"

#include <immintrin.h>

#include <algorithm>
#include <cstring>

namespace kiln::cpu {
namespace {

/// The min (Max = false) or max of the 8 lanes. A template, not a function pointer:
/// the intrinsics are always-inline and have no address in an unoptimised build.
template <bool Max> __m128 minOrMax(__m128 a, __m128 b) {
  return Max ? _mm_max_ps(a, b) : _mm_min_ps(a, b);
}
template <bool Max> float horizontal(__m256 v) {
  __m128 x = minOrMax<Max>(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  x = minOrMax<Max>(x, _mm_movehl_ps(x, x));
  x = minOrMax<Max>(x, _mm_shuffle_ps(x, x, 1));
  return _mm_cvtss_f32(x);
}

/// round half away from zero, exactly: v - trunc(v) is exact in fp32, so comparing
/// its magnitude with 0.5 decides the step away from zero.
__m256i roundHalfAway(__m256 v) {
  const __m256 sign = _mm256_set1_ps(-0.0f);
  __m256 t = _mm256_round_ps(v, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
  __m256 frac = _mm256_andnot_ps(sign, _mm256_sub_ps(v, t));
  __m256 away = _mm256_and_ps(_mm256_cmp_ps(frac, _mm256_set1_ps(0.5f), _CMP_GE_OQ),
                              _mm256_or_ps(_mm256_set1_ps(1.0f), _mm256_and_ps(sign, v)));
  return _mm256_cvttps_epi32(_mm256_add_ps(t, away));
}

} // namespace

void kiln_lhs_quant_qai8dx_f32_avx2(size_t m, size_t k, const float *lhs, int8_t *out,
                                    float *rowScales, int32_t *rowZeroPoints) {
  for (size_t r = 0; r < m; ++r) {
    const float *row = lhs + r * k;
    int8_t *q = out + r * k;
    // min/max are order-independent (a -0 against +0 changes no later value).
    __m256 lo8 = _mm256_setzero_ps(), hi8 = _mm256_setzero_ps();
    size_t i = 0;
    for (; i + 8 <= k; i += 8) {
      __m256 x = _mm256_loadu_ps(row + i);
      lo8 = _mm256_min_ps(lo8, x);
      hi8 = _mm256_max_ps(hi8, x);
    }
    float lo = horizontal<false>(lo8), hi = horizontal<true>(hi8);
    for (; i < k; ++i) {
      lo = std::min(lo, row[i]);
      hi = std::max(hi, row[i]);
    }
    const detail::RowQuantParams p = detail::qai8dxRowParams(lo, hi);
    const __m256 inv = _mm256_set1_ps(p.inv);
    const __m256i zp = _mm256_set1_epi32(p.zeroPoint);
    for (i = 0; i + 8 <= k; i += 8) {
      __m256i v = _mm256_add_epi32(roundHalfAway(_mm256_mul_ps(_mm256_loadu_ps(row + i), inv)), zp);
      // Saturating packs are the clamp to [-128, 127]; they interleave 128-bit lanes,
      // so bytes 0-3 come from the low lane and 4-7 from the high one.
      __m256i b = _mm256_packs_epi16(_mm256_packs_epi32(v, v), _mm256_setzero_si256());
      int32_t low = _mm_cvtsi128_si32(_mm256_castsi256_si128(b));
      int32_t high = _mm_cvtsi128_si32(_mm256_extracti128_si256(b, 1));
      std::memcpy(q + i, &low, 4);
      std::memcpy(q + i + 4, &high, 4);
    }
    for (; i < k; ++i)
      q[i] = detail::qai8dxValue(row[i], p);
    rowScales[r] = p.scale;
    rowZeroPoints[r] = p.zeroPoint;
  }
}

} // namespace kiln::cpu
