// The five GEMM schemes as plain loops (numerics.md): every output accumulates over
// k in ascending order, and the epilogues run unfused in the contract's order.

#include "Fp16.h"
#include "Kernels.h"
#include "Requantize.h"

#include "kiln/cpu/MatmulStatic.h"

#include <algorithm>
#include <string>

namespace kiln::cpu::detail {
namespace {

using vgf::GemmScheme;

float clampOutput(const vgf::GemmDesc &g, float y) {
  return std::min(std::max(y, g.clampMin), g.clampMax);
}

/// Weight k of row n of a qb4w tensor: two's complement nibbles, k = 2j in the low
/// nibble of byte j.
int32_t int4Weight(const uint8_t *rows, uint32_t k, uint32_t n, uint32_t col) {
  uint8_t byte = rows[size_t(n) * (k / 2) + col / 2];
  uint8_t nibble = col % 2 == 0 ? byte & 0x0F : byte >> 4;
  return int32_t(nibble) - (nibble & 0x8 ? 16 : 0);
}

/// pf32 and pf16: fp32 accumulation; pf16 operands are fp16 values (activations
/// rounded on load), its result is rounded to fp16 once, at the end.
void floatGemm(const vgf::GemmDesc &g, const GemmBuffers &b) {
  bool half = g.scheme == GemmScheme::Pf16;
  const auto *lhs = static_cast<const float *>(b.lhs);
  const auto *bias = static_cast<const float *>(b.bias);
  auto *out = static_cast<float *>(b.output);
  for (uint32_t m = 0; m < g.m; ++m)
    for (uint32_t n = 0; n < g.n; ++n) {
      float acc = 0.0f;
      for (uint32_t k = 0; k < g.k; ++k) {
        float x = lhs[size_t(m) * g.k + k];
        size_t wi = size_t(n) * g.k + k;
        float w = half ? halfBitsToFloat(static_cast<const uint16_t *>(b.weights)[wi])
                       : static_cast<const float *>(b.weights)[wi];
        acc += (half ? roundToHalf(x) : x) * w;
      }
      float y = g.hasBias ? acc + bias[n] : acc;
      y = clampOutput(g, y);
      out[size_t(m) * g.n + n] = half ? roundToHalf(y) : y;
    }
}

/// sum_{k in [k0, k1)} x_q[m,k] * w_q[n,k] for the int8 and int4 weight layouts.
int32_t dotRange(const vgf::GemmDesc &g, const GemmBuffers &b, uint32_t m, uint32_t n,
                 uint32_t k0, uint32_t k1) {
  const auto *lhs = static_cast<const int8_t *>(b.lhs) + size_t(m) * g.k;
  int32_t acc = 0;
  if (g.scheme == GemmScheme::Qp8F32Qb4w) {
    const auto *w = static_cast<const uint8_t *>(b.weights);
    for (uint32_t k = k0; k < k1; ++k)
      acc += int32_t(lhs[k]) * int4Weight(w, g.k, n, k);
  } else {
    const auto *w = static_cast<const int8_t *>(b.weights) + size_t(n) * g.k;
    for (uint32_t k = k0; k < k1; ++k)
      acc += int32_t(lhs[k]) * int32_t(w[k]);
  }
  return acc;
}

void dynamicGemm(const vgf::GemmDesc &g, const GemmBuffers &b) {
  bool blocked = g.scheme == GemmScheme::Qp8F32Qb4w;
  uint32_t block = blocked ? g.blockSize : g.k;
  uint32_t groups = g.k / block;
  const auto *bias = static_cast<const float *>(b.bias);
  auto *out = static_cast<float *>(b.output);
  for (uint32_t m = 0; m < g.m; ++m)
    for (uint32_t n = 0; n < g.n; ++n) {
      const int32_t zp = b.rowZeroPoints[m];
      float y;
      if (blocked) {
        // Per block, in ascending order: f32(int32 block sum) * block scale.
        float facc = 0.0f;
        for (uint32_t j = 0; j < groups; ++j) {
          size_t gi = size_t(n) * groups + j;
          int32_t iacc = dotRange(g, b, m, n, j * block, (j + 1) * block) - zp * b.weightSums[gi];
          facc = facc + float(iacc) * b.weightScales[gi];
        }
        y = facc * b.rowScales[m];
      } else {
        int32_t iacc = dotRange(g, b, m, n, 0, g.k) - zp * b.weightSums[n];
        y = (float(iacc) * b.weightScales[n]) * b.rowScales[m];
      }
      if (g.hasBias)
        y = y + bias[n];
      out[size_t(m) * g.n + n] = clampOutput(g, y);
    }
}

Status staticGemm(const vgf::GemmDesc &g, const GemmBuffers &b) {
  for (uint32_t n = 0; n < g.n; ++n)
    if (!kiln_matmul_clamp_qai8_qai8_qsi8cxp_accepts(1, b.multipliers + n, b.shifts + n))
      return invalidArgument("pqs8 gemm: channel " + std::to_string(n) + " has multiplier " +
                             std::to_string(b.multipliers[n]) + " and shift " +
                             std::to_string(b.shifts[n]) +
                             ", expected multiplier >= 0 and 2 <= shift <= 62 "
                             "(apply_scale_32 REQUIRE)");
  const auto *lhs = static_cast<const int8_t *>(b.lhs);
  const auto *weights = static_cast<const int8_t *>(b.weights);
  const auto *bias = static_cast<const int32_t *>(b.bias);
  auto *out = static_cast<int8_t *>(b.output);
  for (uint32_t m = 0; m < g.m; ++m)
    for (uint32_t n = 0; n < g.n; ++n) {
      int32_t acc = 0;
      for (uint32_t k = 0; k < g.k; ++k)
        acc += (int32_t(lhs[size_t(m) * g.k + k]) - g.lhsZeroPoint) *
               int32_t(weights[size_t(n) * g.k + k]);
      if (g.hasBias)
        acc += bias[n];
      out[size_t(m) * g.n + n] = requantize(acc, b.multipliers[n], b.shifts[n], g.outZeroPoint,
                                            g.outMin, g.outMax);
    }
  return Status::ok();
}

} // namespace

Status gemmScalar(const vgf::GemmDesc &gemm, const GemmBuffers &buffers) {
  switch (gemm.scheme) {
  case GemmScheme::Pf32:
  case GemmScheme::Pf16:
    floatGemm(gemm, buffers);
    return Status::ok();
  case GemmScheme::Qp8F32Qc8w:
  case GemmScheme::Qp8F32Qb4w:
    dynamicGemm(gemm, buffers);
    return Status::ok();
  case GemmScheme::Pqs8Qc8w:
    return staticGemm(gemm, buffers);
  }
  return invalidArgument("gemm: unknown scheme " +
                         std::to_string(static_cast<uint32_t>(gemm.scheme)));
}

} // namespace kiln::cpu::detail

namespace kiln::cpu {

bool kiln_matmul_clamp_qai8_qai8_qsi8cxp_accepts(size_t n, const int32_t *multipliers,
                                                 const int32_t *shifts) {
  for (size_t i = 0; i < n; ++i)
    if (multipliers[i] < 0 || shifts[i] < 2 || shifts[i] > 62)
      return false;
  return true;
}

} // namespace kiln::cpu
