// quant_qai8_f32_avx2 and dequant_f32_qai8_avx2, 32 values per step; the remainder
// runs the scalar kernels themselves, so there is one definition of the arithmetic
// to agree with. Built with -mavx2 (per-file flags), called only when CPUID says so.

#include "kiln/cpu/StaticQuant.h"

#include "Kernels.h"

#include <immintrin.h>

namespace kiln::cpu {
namespace {

/// Eight values to int32: clamp to ±256 with std::min(std::max(v, lo), hi)'s NaN
/// behaviour (maxps/minps return their second operand for a NaN, so v goes second),
/// then round half to even (the default MXCSR mode, as std::nearbyint) and add zp.
__m256i quantize8(const float *x, __m256 invScale, __m256i zeroPoint) {
  __m256 v = _mm256_mul_ps(_mm256_loadu_ps(x), invScale);
  v = _mm256_min_ps(_mm256_set1_ps(256.0f), _mm256_max_ps(_mm256_set1_ps(-256.0f), v));
  v = _mm256_round_ps(v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  return _mm256_add_epi32(_mm256_cvtps_epi32(v), zeroPoint);
}

} // namespace

void kiln_quant_qai8_f32_avx2(size_t count, float invScale, int32_t zeroPoint,
                              const float *input, int8_t *output) {
  const __m256 inv = _mm256_set1_ps(invScale);
  const __m256i zp = _mm256_set1_epi32(zeroPoint);
  // The saturating packs are the clamp to [-128, 127]; they work within 128-bit lanes,
  // so the packed bytes come out as dwords a0 b0 c0 d0 a1 b1 c1 d1 and the permute
  // restores a0 a1 b0 b1 c0 c1 d0 d1.
  const __m256i order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
  size_t i = 0;
  for (; i + 32 <= count; i += 32) {
    __m256i ab = _mm256_packs_epi32(quantize8(input + i, inv, zp),
                                    quantize8(input + i + 8, inv, zp));
    __m256i cd = _mm256_packs_epi32(quantize8(input + i + 16, inv, zp),
                                    quantize8(input + i + 24, inv, zp));
    __m256i bytes = _mm256_permutevar8x32_epi32(_mm256_packs_epi16(ab, cd), order);
    _mm256_storeu_si256(reinterpret_cast<__m256i *>(output + i), bytes);
  }
  vgf::QuantizeStaticDesc rest{uint32_t(count - i), invScale, zeroPoint};
  detail::quantizeStaticScalar(rest, input + i, output + i);
}

void kiln_dequant_f32_qai8_avx2(size_t count, float scale, int32_t zeroPoint,
                                const int8_t *input, float *output) {
  const __m256 s = _mm256_set1_ps(scale);
  const __m256 zp = _mm256_set1_ps(float(zeroPoint));
  size_t i = 0;
  for (; i + 8 <= count; i += 8) {
    __m128i q = _mm_loadl_epi64(reinterpret_cast<const __m128i *>(input + i));
    __m256 x = _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(q));
    _mm256_storeu_ps(output + i, _mm256_mul_ps(_mm256_sub_ps(x, zp), s));
  }
  vgf::DequantizeDesc rest{uint32_t(count - i), zeroPoint, scale};
  detail::dequantizeScalar(rest, input + i, output + i);
}

} // namespace kiln::cpu
