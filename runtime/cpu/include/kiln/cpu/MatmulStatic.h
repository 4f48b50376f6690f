#pragma once
/// Micro-kernel of the static scheme (numerics.md's pqs8_qc8w), all integer:
///   matmul_clamp_qai8_qai8_qsi8cxp_<mr>x<16|32>x4_<isa>
///   acc[m,n] = Σ_k (x_q[m,k] - zp_x) · w_q[n,k] + b_q[n]                 (int32)
///   y_q[m,n] = clamp(apply_scale_32(acc, M[n], shift[n]) + zp_y, lo, hi)  (TOSA SINGLE_ROUND)
/// The LHS is the int8 activation the QuantizeStatic segment writes (not packed); the
/// RHS is packed by kiln_rhs_pack_nxk_qsi8cxp16x4_qsi8cx (kiln/cpu/MatmulDynamic.h)
/// with no scales. Bit-identical to the scalar kernel. Stateless; no allocation.

#include <cstddef>
#include <cstdint>

namespace kiln::cpu {

/// Rows [0, m) and channels [0, n) of one call; `rhsPacked`, `bias`, `multipliers`,
/// `shifts` and `dst` start at the call's first channel.
struct StaticMatmulArgs {
  size_t m = 0, n = 0, k = 0;
  const int8_t *lhs = nullptr;
  size_t lhsStride = 0; ///< bytes between rows
  int32_t lhsZeroPoint = 0;
  const void *rhsPacked = nullptr;
  const int32_t *bias = nullptr; ///< nullable
  const int32_t *multipliers = nullptr; ///< each >= 0
  const int32_t *shifts = nullptr;      ///< each in [2, 62] (apply_scale_32's REQUIRE)
  int32_t outZeroPoint = 0;
  int32_t outMin = -128, outMax = 127;
  int8_t *dst = nullptr;
  size_t dstStride = 0; ///< bytes between rows
};

/// Whether every channel's requantization parameters are inside apply_scale_32's
/// REQUIRE range (the kernels assume it; the scalar kernel reports the violation).
bool kiln_matmul_clamp_qai8_qai8_qsi8cxp_accepts(size_t n, const int32_t *multipliers,
                                                 const int32_t *shifts);

void kiln_matmul_clamp_qai8_qai8_qsi8cxp_2x16x4_avx2(const StaticMatmulArgs &args);
void kiln_matmul_clamp_qai8_qai8_qsi8cxp_8x32x4_avx512vnni(const StaticMatmulArgs &args);
void kiln_matmul_clamp_qai8_qai8_qsi8cxp_4x16x4_neondot(const StaticMatmulArgs &args);
/// The same on qsi8cxp16x8 weights (kiln/cpu/MatmulDynamic.h), for smmla.
void kiln_matmul_clamp_qai8_qai8_qsi8cxp_4x16x8_neoni8mm(const StaticMatmulArgs &args);

} // namespace kiln::cpu
