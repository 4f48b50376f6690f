#pragma once
/// The scalar kernels behind runKernelScalar, on typed pointers whose sizes the
/// caller (RunKernelScalar.cpp) has checked against the descriptor.

#include "kiln/support/Status.h"
#include "kiln/vgf/KernelDescriptor.h"

#include <cstdint>

namespace kiln::cpu::detail {

/// The GEMM bindings (kiln/vgf/KernelDescriptor.h); null where the scheme has none.
struct GemmBuffers {
  const void *lhs = nullptr;          ///< 0: f32 [M,K] or i8 [M,K]
  const void *weights = nullptr;      ///< 1: f32/f16/i8 [N,K] or int4 nibbles [N,K/2]
  const float *weightScales = nullptr; ///< 2: [N] or [N,G]
  const void *bias = nullptr;         ///< 3: f32 [N] or i32 [N] (pqs8)
  const int32_t *weightSums = nullptr; ///< 4: [N] or [N,G]
  const float *rowScales = nullptr;   ///< 5: [M]
  const int32_t *rowZeroPoints = nullptr; ///< 6: [M]
  const int32_t *multipliers = nullptr;   ///< 7: [N]
  const int32_t *shifts = nullptr;        ///< 8: [N]
  void *output = nullptr;                 ///< 9: f32 [M,N] or i8 [M,N] (pqs8)
};

/// InvalidArgument when a pqs8 multiplier or shift is outside apply_scale_32's
/// REQUIRE (multiplier >= 0, 2 <= shift <= 62); nothing is written then.
Status gemmScalar(const vgf::GemmDesc &gemm, const GemmBuffers &buffers);

/// numerics.md's qai8dx row parameters from the row's lo = min(0, min x) and
/// hi = max(0, max x): the reciprocal scale, the scale kept for the output, the zero
/// point. Shared by every variant so the order of these fp32 operations is one.
struct RowQuantParams {
  float inv;
  float scale;
  int32_t zeroPoint;
};
RowQuantParams qai8dxRowParams(float lo, float hi);
/// One value: clamp(round_half_away(x * inv) + zp, -128, 127).
int8_t qai8dxValue(float x, const RowQuantParams &p);

void quantizeRowsScalar(const vgf::QuantizeRowsDesc &desc, const float *input, int8_t *output,
                        float *rowScales, int32_t *rowZeroPoints);
void quantizeStaticScalar(const vgf::QuantizeStaticDesc &desc, const float *input,
                          int8_t *output);
void dequantizeScalar(const vgf::DequantizeDesc &desc, const int8_t *input, float *output);

} // namespace kiln::cpu::detail
