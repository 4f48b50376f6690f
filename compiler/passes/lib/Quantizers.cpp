#include "kiln/passes/Quantizers.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <limits>

namespace kiln {

uint16_t floatToBf16(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  if (std::isnan(value))
    return static_cast<uint16_t>((bits >> 16) | 0x40); // keep it a quiet NaN
  uint32_t roundingBias = 0x7FFF + ((bits >> 16) & 1);
  return static_cast<uint16_t>((bits + roundingBias) >> 16);
}

float bf16ToFloat(uint16_t bits) {
  uint32_t wide = static_cast<uint32_t>(bits) << 16;
  float value;
  std::memcpy(&value, &wide, sizeof value);
  return value;
}

uint16_t floatToF16Saturating(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  uint16_t sign = static_cast<uint16_t>((bits >> 16) & 0x8000);
  if (std::isnan(value))
    return sign | 0x7E00;
  float magnitude = std::fabs(value);
  if (magnitude >= 65504.0f) // saturate (numerics.md: pf16 weights)
    return sign | 0x7BFF;
  if (magnitude < 0x1p-14f) {
    // Subnormal half: value = m·2^-24; nearbyint rounds ties to even.
    return sign | static_cast<uint16_t>(std::nearbyint(magnitude * 0x1p24f));
  }
  int exponent;
  float mantissa = std::frexp(magnitude, &exponent); // [0.5, 1)
  // 11 significant bits: scale to [1024, 2048) and round to nearest even.
  uint32_t significand = static_cast<uint32_t>(std::nearbyint(mantissa * 2048.0f));
  if (significand == 2048) { // rounded up to the next binade
    significand = 1024;
    ++exponent;
  }
  uint32_t biased = static_cast<uint32_t>(exponent - 1 + 15);
  if (biased >= 31)
    return sign | 0x7BFF;
  return sign | static_cast<uint16_t>((biased << 10) | (significand - 1024));
}

ChannelQuantized quantizePerChannelInt8(const float *weight, int64_t n, int64_t k) {
  ChannelQuantized out;
  out.values.resize(n * k);
  out.scales.resize(n);
  for (int64_t row = 0; row < n; ++row) {
    const float *w = weight + row * k;
    float amax = 0.0f;
    for (int64_t i = 0; i < k; ++i)
      amax = std::max(amax, std::fabs(w[i]));
    float scale = std::max(amax, FLT_EPSILON * 127.0f) / 127.0f;
    out.scales[row] = scale;
    for (int64_t i = 0; i < k; ++i) {
      float q = std::nearbyint(w[i] / scale);
      out.values[row * k + i] = static_cast<int8_t>(std::clamp(q, -127.0f, 127.0f));
    }
  }
  return out;
}

BlockQuantized quantizeBlockwiseInt4(const float *weight, int64_t n, int64_t k,
                                     int64_t block) {
  BlockQuantized out;
  int64_t blocks = k / block;
  out.values.resize(n * k);
  out.scales.resize(n * blocks);
  for (int64_t row = 0; row < n; ++row) {
    for (int64_t j = 0; j < blocks; ++j) {
      const float *w = weight + row * k + j * block;
      float amax = 0.0f;
      for (int64_t i = 0; i < block; ++i)
        amax = std::max(amax, std::fabs(w[i]));
      // torchao's symmetric int4: the largest magnitude maps to ±7.5.
      float scale = std::max(amax, FLT_EPSILON) / 7.5f;
      out.scales[row * blocks + j] = floatToBf16(scale);
      for (int64_t i = 0; i < block; ++i) {
        float q = std::nearbyint(w[i] / scale);
        out.values[row * k + j * block + i] =
            static_cast<int8_t>(std::clamp(q, -8.0f, 7.0f));
      }
    }
  }
  return out;
}

AffineParams affineParamsFromRange(float lo, float hi) {
  lo = std::min(lo, 0.0f);
  hi = std::max(hi, 0.0f);
  AffineParams p;
  p.scale = std::max((hi - lo) / 255.0f, FLT_EPSILON);
  float zp = -128.0f - std::nearbyint(lo / p.scale);
  p.zeroPoint = static_cast<int32_t>(std::clamp(zp, -128.0f, 127.0f));
  return p;
}

bool computeFixedPointScale(double value, FixedPointScale &out) {
  if (!(value > 0.0) || !std::isfinite(value))
    return false;
  int exponent;
  double mantissa = std::frexp(value, &exponent); // value = mantissa·2^exponent
  int64_t multiplier = static_cast<int64_t>(std::nearbyint(mantissa * 0x1p31));
  if (multiplier == (int64_t(1) << 31)) {
    multiplier >>= 1;
    ++exponent;
  }
  int shift = 31 - exponent;
  if (shift < 2 || shift > 62)
    return false;
  out.multiplier = static_cast<int32_t>(multiplier);
  out.shift = static_cast<int8_t>(shift);
  return true;
}

double sqnrDb(const float *reference, const float *approx, int64_t count) {
  double signal = 0.0, noise = 0.0;
  for (int64_t i = 0; i < count; ++i) {
    double r = reference[i], d = r - static_cast<double>(approx[i]);
    signal += r * r;
    noise += d * d;
  }
  if (noise == 0.0)
    return std::numeric_limits<double>::infinity();
  return 10.0 * std::log10(signal / noise);
}

} // namespace kiln
