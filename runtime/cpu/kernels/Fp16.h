#pragma once
/// fp16 <-> fp32 for the pf16 scheme, by bit manipulation so that the result does not
/// depend on the host compiler's _Float16 support. The shaders use the same
/// algorithm (compiler/codegen/shaders/common.glsl).

#include <cmath>
#include <cstdint>
#include <cstring>

namespace kiln::cpu::detail {

inline float bitsToFloat(uint32_t b) {
  float f;
  std::memcpy(&f, &b, sizeof f);
  return f;
}

inline uint32_t floatToBits(float f) {
  uint32_t b;
  std::memcpy(&b, &f, sizeof b);
  return b;
}

/// The exact fp32 value of fp16 bits.
inline float halfBitsToFloat(uint16_t h) {
  uint32_t sign = uint32_t(h & 0x8000u) << 16, e = (h >> 10) & 0x1Fu, f = h & 0x3FFu;
  if (e == 0) {
    float v = float(f) * 5.9604644775390625e-8f; // f * 2^-24, exact
    return sign ? -v : v;
  }
  if (e == 31)
    return bitsToFloat(sign | 0x7F800000u | (f << 13));
  return bitsToFloat(sign | ((e + 112) << 23) | (f << 13));
}

/// `x` rounded to the nearest fp16 value (ties to even), widened back to fp32;
/// overflow gives an infinity, NaN stays NaN (TOSA CAST f32 -> f16).
inline float roundToHalf(float x) {
  if (std::isnan(x))
    return x;
  if (std::fabs(x) < 6.103515625e-05f) // fp16 subnormals: quantum 2^-24
    return std::nearbyint(x * 16777216.0f) * 5.9604644775390625e-8f;
  uint32_t b = floatToBits(x);
  b += 0xFFFu + ((b >> 13) & 1u);
  b &= 0xFFFFE000u;
  float r = bitsToFloat(b);
  return std::fabs(r) > 65504.0f ? bitsToFloat((b & 0x80000000u) | 0x7F800000u) : r;
}

} // namespace kiln::cpu::detail
