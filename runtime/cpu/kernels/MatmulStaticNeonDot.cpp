// matmul_clamp_qai8_qai8_qsi8cxp_4x16x4_neondot: pqs8_qc8w on the qc8w kernel's sdot
// loop (DotInt8Neon.h, 4 rows x 16 channels). The int32 accumulator is numerics.md's
// exactly: Σ x·w − zp_x·Σw + b = Σ(x − zp_x)·w + b. The requantization (64-bit
// apply_scale_32, zero point, clamps) runs lane by lane through the scalar kernel's
// own function, so the int8 outputs are bit-identical. Built with
// -march=armv8.2-a+dotprod (per-file flags), called only when the hwcaps say so.

#include "kiln/cpu/MatmulDynamic.h"
#include "kiln/cpu/MatmulStatic.h"

#include "DotInt8Neon.h"
#include "Requantize.h"
#include "TileLoop.h"

#include <arm_neon.h>

namespace kiln::cpu {
namespace {

constexpr int kMr = 4;

/// R rows of the 16-channel tile at channel n0 (`cols` of them real).
template <int R>
void tile(const StaticMatmulArgs &a, const int8_t *lhs, int8_t *dst, const uint8_t *p,
          size_t n0, size_t cols) {
  int32x4_t dot[R][4];
  const auto *sums = reinterpret_cast<const int32_t *>(dotInt8<R>(lhs, a.lhsStride, a.k, p, dot));
  int32_t bias[kDynamicNr] = {};
  if (a.bias)
    std::memcpy(bias, a.bias + n0, cols * sizeof(int32_t));
  const int32x4_t zp = vdupq_n_s32(a.lhsZeroPoint);
  for (int r = 0; r < R; ++r) {
    int32_t acc[kDynamicNr];
    for (int q = 0; q < 4; ++q)
      vst1q_s32(acc + 4 * q, vaddq_s32(vsubq_s32(dot[r][q], vmulq_s32(vld1q_s32(sums + 4 * q), zp)),
                                       vld1q_s32(bias + 4 * q)));
    int8_t *out = dst + r * a.dstStride + n0;
    for (size_t c = 0; c < cols; ++c)
      out[c] = requantize(acc[c], a.multipliers[n0 + c], a.shifts[n0 + c], a.outZeroPoint,
                          a.outMin, a.outMax);
  }
}

} // namespace

void kiln_matmul_clamp_qai8_qai8_qsi8cxp_4x16x4_neondot(const StaticMatmulArgs &a) {
  const auto *packed = static_cast<const uint8_t *>(a.rhsPacked);
  const size_t tileBytes = kiln_rhs_pack_nxk_qsi8cxp16x4_qsi8cx_tile_size(a.k);
  forEachTile<kDynamicNr, kMr>(a.m, a.n, [&](size_t n0, size_t cols, size_t m0, auto rows) {
    tile<decltype(rows)::value>(a, a.lhs + m0 * a.lhsStride, a.dst + m0 * a.dstStride,
                                packed + n0 / kDynamicNr * tileBytes, n0, cols);
  });
}

} // namespace kiln::cpu
