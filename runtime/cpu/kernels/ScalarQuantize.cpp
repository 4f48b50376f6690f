// The quantization kernels: qai8dx rows (numerics.md), static quantization and
// dequantization (the TOSA op sequences of docs/lowering.md), unfused fp32.

#include "Kernels.h"

#include <algorithm>
#include <cmath>

namespace kiln::cpu::detail {

RowQuantParams qai8dxRowParams(float lo, float hi) {
  const float inv = lo == hi ? 1.0f : 255.0f / (hi - lo);
  const float zfMin = -128.0f + lo * inv;
  const float zfMax = 127.0f + hi * inv;
  float zf = zfMin + zfMax > 0.0f ? -128.0f - lo * inv : 127.0f - hi * inv;
  const int32_t zp = int32_t(std::nearbyint(std::min(std::max(zf, -128.0f), 127.0f)));
  return {inv, inv != 0.0f ? 1.0f / inv : 0.0f, zp};
}

int8_t qai8dxValue(float x, const RowQuantParams &p) {
  // std::round: half away from zero, KleidiAI's rounding of the values.
  int32_t q = int32_t(std::round(x * p.inv)) + p.zeroPoint;
  return int8_t(std::min(std::max(q, -128), 127));
}

void quantizeRowsScalar(const vgf::QuantizeRowsDesc &desc, const float *input, int8_t *output,
                        float *rowScales, int32_t *rowZeroPoints) {
  for (uint32_t m = 0; m < desc.m; ++m) {
    const float *row = input + size_t(m) * desc.k;
    int8_t *out = output + size_t(m) * desc.k;
    float lo = 0.0f, hi = 0.0f;
    for (uint32_t k = 0; k < desc.k; ++k) {
      lo = std::min(lo, row[k]);
      hi = std::max(hi, row[k]);
    }
    const RowQuantParams p = qai8dxRowParams(lo, hi);
    for (uint32_t k = 0; k < desc.k; ++k)
      out[k] = qai8dxValue(row[k], p);
    rowScales[m] = p.scale;
    rowZeroPoints[m] = p.zeroPoint;
  }
}

void quantizeStaticScalar(const vgf::QuantizeStaticDesc &desc, const float *input,
                          int8_t *output) {
  for (uint32_t i = 0; i < desc.count; ++i) {
    float v = std::min(std::max(input[i] * desc.invScale, -256.0f), 256.0f);
    int32_t q = int32_t(std::nearbyint(v)) + desc.zeroPoint; // CAST: ties to even
    output[i] = int8_t(std::min(std::max(q, -128), 127));    // RESCALE saturates
  }
}

void dequantizeScalar(const vgf::DequantizeDesc &desc, const int8_t *input, float *output) {
  for (uint32_t i = 0; i < desc.count; ++i)
    output[i] = (float(input[i]) - float(desc.zeroPoint)) * desc.scale;
}

} // namespace kiln::cpu::detail
