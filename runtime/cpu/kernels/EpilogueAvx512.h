#pragma once
/// The pieces the AVX-512 VNNI dynamic-scheme kernels share, whatever their LHS layout
/// (qai8dx rows or qai8dxp blocks): int4 unpacking with the block's nibble sums, the
/// zero-point correction and weight scale, and the fp32 epilogue, all in the scalar
/// kernel's order. Included only by files built with the VNNI flags; internal linkage.

#include "Vpdpbusd.h"

#include <immintrin.h>

#include <cstddef>
#include <cstdint>

namespace kiln::cpu {
namespace {

/// One 64-byte qsu4c32p16x8 load as two 4-k steps of unsigned bytes u = w + 8: u0 holds
/// the low nibbles (k = 8g+i), u1 the high ones (k = 8g+4+i). Adds both steps to the
/// block's per-channel nibble sums Σu: u0 + u1 <= 30 fits a byte, and (u0 + u1)·1
/// over 4 bytes sums 8 k per channel.
inline void unpackInt4(__m512i v, __m512i &u0, __m512i &u1, __m512i &nibbleSums) {
  const __m512i low = _mm512_set1_epi8(0x0F);
  u0 = _mm512_and_si512(v, low);
  u1 = _mm512_and_si512(_mm512_srli_epi16(v, 4), low);
  nibbleSums = dpbusd(nibbleSums, _mm512_add_epi8(u0, u1), _mm512_set1_epi8(1));
}

/// A block's weight sums Σw = Σu − 8·bl from its nibble sums.
inline __m512i weightSums(__m512i nibbleSums, size_t bl) {
  return _mm512_sub_epi32(nibbleSums, _mm512_set1_epi32(int32_t(8 * bl)));
}

/// A block's 16 bf16 scales at p, widened to f32 (a 16-bit shift, exact).
inline __m512 bf16Scales(const uint8_t *p) {
  __m256i bf16 = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(p));
  return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(bf16), 16));
}

/// A qsi8cxp16x4 tile's tail (after its data): the 16 weight sums, then the scales.
struct Int8Tail {
  __m512i sums;
  __m512 scales;
  explicit Int8Tail(const uint8_t *tail)
      : sums(_mm512_loadu_si512(tail)),
        scales(_mm512_loadu_ps(reinterpret_cast<const float *>(tail) + 16)) {}
};

/// ((float)iacc) · s_w with iacc = acc − offset·Σw, where acc summed (x + 128)·w and
/// offset = 128 + zp: numerics.md's int32 iacc, exact.
inline __m512 scaledBlock(__m512i acc, __m512i sums, int32_t offset, __m512 scales) {
  __m512i corr = _mm512_mullo_epi32(sums, _mm512_set1_epi32(offset));
  return _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_sub_epi32(acc, corr)), scales);
}

/// y = facc · s_x + b, clamped, for rows [0, R) of one 16-channel group at n0 (`count`
/// channels stored); `rowScales` and `dst` at row 0.
template <int R>
void storeRows(const __m512 (&facc)[R], const float *rowScales, const float *bias,
               float clampMin, float clampMax, float *dst, size_t dstStride, size_t n0,
               size_t count) {
  const __mmask16 mask = __mmask16((1u << count) - 1);
  __m512 b = bias ? _mm512_maskz_loadu_ps(mask, bias + n0) : _mm512_setzero_ps();
  for (int r = 0; r < R; ++r) {
    __m512 y = _mm512_mul_ps(facc[r], _mm512_set1_ps(rowScales[r]));
    if (bias)
      y = _mm512_add_ps(y, b);
    // Operand order as std::min(std::max(y, lo), hi): equal values (+-0) keep y.
    y = _mm512_min_ps(_mm512_set1_ps(clampMax), _mm512_max_ps(_mm512_set1_ps(clampMin), y));
    _mm512_mask_storeu_ps(dst + r * dstStride + n0, mask, y);
  }
}

} // namespace
} // namespace kiln::cpu
