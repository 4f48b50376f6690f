#pragma once
/// The pqs8_qc8w kernels' loop nest and int8 epilogue on aarch64, whichever instruction
/// makes their int32 dot products: `Core::dot<R>(lhs, lhsStride, k, tile, acc)` fills
/// acc[r][q] (channels 4q..4q+3) with Σ x·w over the whole K and returns where the
/// packed tile's sums start (DotInt8Neon.h's sdot, DotInt8I8mm.h's smmla). Then
/// Σ x·w − zp_x·Σw + b = Σ(x − zp_x)·w + b, numerics.md's accumulator exactly, is
/// requantized lane by lane through the scalar kernel's own function (Requantize.h),
/// so the int8 outputs are bit-identical. Internal linkage, like TileLoop.h.

#include "kiln/cpu/MatmulDynamic.h"
#include "kiln/cpu/MatmulStatic.h"

#include "Requantize.h"
#include "TileLoop.h"

#include <arm_neon.h>

#include <cstring>

namespace kiln::cpu {
namespace {

/// R rows of the 16-channel tile at channel n0 (`cols` of them real).
template <typename Core, int R>
void staticTile(const StaticMatmulArgs &a, const int8_t *lhs, int8_t *dst, const uint8_t *p,
                size_t n0, size_t cols) {
  int32x4_t dot[R][4];
  const auto *sums =
      reinterpret_cast<const int32_t *>(Core::template dot<R>(lhs, a.lhsStride, a.k, p, dot));
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

/// The whole call: 4-row blocks of every 16-channel tile (`tileBytes` apart).
template <typename Core> void staticMatmul(const StaticMatmulArgs &a, size_t tileBytes) {
  const auto *packed = static_cast<const uint8_t *>(a.rhsPacked);
  forEachTile<kDynamicNr, 4>(a.m, a.n, [&](size_t n0, size_t cols, size_t m0, auto rows) {
    staticTile<Core, decltype(rows)::value>(a, a.lhs + m0 * a.lhsStride,
                                            a.dst + m0 * a.dstStride,
                                            packed + n0 / kDynamicNr * tileBytes, n0, cols);
  });
}

} // namespace
} // namespace kiln::cpu
