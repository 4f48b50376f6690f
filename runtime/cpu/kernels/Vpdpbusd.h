#pragma once
/// vpdpbusd through inline assembly. GCC 12 does not coalesce the accumulator of
/// _mm512_dpbusd_epi32 with its result in a loop: an 8x32 tile's step compiled to 34
/// register copies (and spills) around its 16 vpdpbusd, which left the AVX-512 int8
/// kernels front-end bound at about 60% of the VNNI peak. The asm operand ties the
/// accumulator to the destination, so the loop keeps every accumulator in place.
/// Included only by files built with the VNNI flags; internal linkage.

#include <immintrin.h>

#include <cstdint>

namespace kiln::cpu {
namespace {

/// acc + Σ_4 u8(a)·s8(b) per int32 lane, as _mm512_dpbusd_epi32(acc, a, b).
inline __m512i dpbusd(__m512i acc, __m512i a, __m512i b) {
  asm("vpdpbusd %2, %1, %0" : "+v"(acc) : "v"(a), "v"(b));
  return acc;
}

/// acc + Σ_4 u8(a)·s8(word at p) per int32 lane, the signed 4-byte word broadcast
/// from memory by the instruction itself ({1to16}): no broadcast instruction, no
/// register for it.
inline __m512i dpbusdBroadcast(__m512i acc, __m512i a, const void *p) {
  asm("vpdpbusd %2%{1to16%}, %1, %0"
      : "+v"(acc)
      : "v"(a), "m"(*static_cast<const int32_t *>(p)));
  return acc;
}

} // namespace
} // namespace kiln::cpu
