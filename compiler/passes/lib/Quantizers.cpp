#include "kiln/passes/Quantizers.h"

#include "kiln/support/FloatFormat.h"

#include <algorithm>
#include <cfloat>
#include <cmath>

namespace kiln {

uint16_t floatToF16Saturating(float value) {
  double limit = largestFinite(kFp16);
  double rounded = std::clamp(roundToFormat(value, kFp16), -limit, limit); // NaN stays
  return static_cast<uint16_t>(encodeFloat(rounded, kFp16));
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
      out.scales[row * blocks + j] =
          static_cast<uint16_t>(encodeFloat(roundToFormat(scale, kBf16), kBf16));
      for (int64_t i = 0; i < block; ++i) {
        float q = std::nearbyint(w[i] / scale);
        out.values[row * k + j * block + i] =
            static_cast<int8_t>(std::clamp(q, -8.0f, 7.0f));
      }
    }
  }
  return out;
}

std::vector<float> dequantize(const ChannelQuantized &q, int64_t n, int64_t k) {
  std::vector<float> out(n * k);
  for (int64_t i = 0; i < n * k; ++i)
    out[i] = static_cast<float>(q.values[i]) * q.scales[i / k];
  return out;
}

std::vector<float> dequantize(const BlockQuantized &q, int64_t n, int64_t k,
                              int64_t block) {
  std::vector<float> out(n * k);
  int64_t blocks = k / block;
  for (int64_t i = 0; i < n * k; ++i) {
    int64_t row = i / k, j = (i % k) / block;
    float scale = static_cast<float>(decodeFloat(q.scales[row * blocks + j], kBf16));
    out[i] = static_cast<float>(q.values[i]) * scale;
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

} // namespace kiln
