#pragma once
/// The fp32 epilogue of the NEON dynamic-scheme kernels, whichever instruction made
/// their int32 dot products (sdot or smmla): the zero-point correction with the packed
/// weight sums, the scales in numerics.md's order, bias and clamp; and the qc8w loop
/// nest templated on the dot loop. Internal linkage,
/// like TileLoop.h, since the kernel files including it are built with different
/// -march flags.

#include "kiln/cpu/MatmulDynamic.h"

#include "EpilogueNeon.h"
#include "TileLoop.h"

#include <arm_neon.h>

namespace kiln::cpu {
namespace {

/// y = facc · s_x (+ b), clamped, for R rows of the tile at channel n0.
template <int R>
void storeTile(const DynamicMatmulArgs &a, const float32x4_t (&facc)[R][4], size_t n0,
               size_t cols) {
  float biasTile[16];
  const float *bias = tileBias(a.bias, n0, cols, biasTile);
  for (int r = 0; r < R; ++r) {
    const float32x4_t scale = vdupq_n_f32(a.lhsScales[r]);
    float32x4_t y[4];
    for (int q = 0; q < 4; ++q)
      y[q] = vmulq_f32(facc[r][q], scale);
    storeRow(a.dst + r * a.dstStride + n0, y, bias, a.clampMin, a.clampMax, cols);
  }
}

/// qc8w: facc = (float)(Σ x·w − zp·Σw) · s_w, one block over the whole K, from the
/// dot products `dot[r][q]` (channels 4q..4q+3) and the tile's `trailer` (int32
/// sums[16], then f32 scales[16]); then the output as storeTile.
template <int R>
void finishInt8Tile(const DynamicMatmulArgs &a, const int32x4_t (&dot)[R][4],
                    const uint8_t *trailer, size_t n0, size_t cols) {
  const auto *sums = reinterpret_cast<const int32_t *>(trailer);
  const auto *scales = reinterpret_cast<const float *>(trailer + kDynamicNr * 4);
  float32x4_t facc[R][4];
  for (int r = 0; r < R; ++r) {
    const int32x4_t zp = vdupq_n_s32(a.lhsZeroPoints[r]);
    for (int q = 0; q < 4; ++q) {
      int32x4_t iacc = vsubq_s32(dot[r][q], vmulq_s32(vld1q_s32(sums + 4 * q), zp));
      facc[r][q] = vmulq_f32(vcvtq_f32_s32(iacc), vld1q_f32(scales + 4 * q));
    }
  }
  storeTile<R>(a, facc, n0, cols);
}

/// A whole qc8w call: 4-row blocks of every 16-channel tile (`tileBytes` apart), the
/// dot products from `Core` (DotInt8Neon.h's SdotCore, DotInt8I8mm.h's SmmlaCore).
template <typename Core> void qc8wMatmul(const DynamicMatmulArgs &args, size_t tileBytes) {
  forEachDynamicTile<kDynamicNr, 4>(
      args, tileBytes,
      [](const DynamicMatmulArgs &a, const uint8_t *p, size_t n0, size_t cols, auto rows) {
        constexpr int R = decltype(rows)::value;
        int32x4_t dot[R][4];
        const uint8_t *trailer = Core::template dot<R>(a.lhs, a.lhsStride, a.k, p, dot);
        finishInt8Tile<R>(a, dot, trailer, n0, cols);
      });
}

} // namespace
} // namespace kiln::cpu
