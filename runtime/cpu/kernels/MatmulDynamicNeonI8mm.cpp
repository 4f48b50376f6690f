// matmul_clamp_f32_qai8dx_qsi8cxp_4x16x8_neoni8mm: qp8_f32_qc8w with smmla (FEAT_I8MM),
// 4 rows x 16 channels per step on qsi8cxp16x8 weights. Built with
// -march=armv8.2-a+i8mm (per-file flags), called only when the hwcaps say so.
//
// The smmla dot loop is DotInt8I8mm.h's; Σ x·w is exact in int32, so the epilogue
// (zero-point correction, scales in numerics.md's order) is the sdot kernel's and the
// outputs are bit-identical to the scalar kernel's.

#include "kiln/cpu/MatmulDynamic.h"

#include "DotInt8I8mm.h"
#include "DynamicEpilogueNeon.h"
#include "TileLoop.h"

#include <arm_neon.h>

namespace kiln::cpu {
namespace {

constexpr int kMr = 4;

template <int R>
void tile(const DynamicMatmulArgs &a, const uint8_t *p, size_t n0, size_t cols) {
  int32x4_t dot[R][4];
  const uint8_t *trailer = dotInt8I8mm<R>(a.lhs, a.lhsStride, a.k, p, dot);
  finishInt8Tile<R>(a, dot, trailer, n0, cols);
}

} // namespace

void kiln_matmul_clamp_f32_qai8dx_qsi8cxp_4x16x8_neoni8mm(const DynamicMatmulArgs &args) {
  forEachDynamicTile<kDynamicNr, kMr>(
      args, kiln_rhs_pack_nxk_qsi8cxp16x8_qsi8cx_tile_size(args.k),
      [](const DynamicMatmulArgs &a, const uint8_t *p, size_t n0, size_t cols, auto rows) {
        tile<decltype(rows)::value>(a, p, n0, cols);
      });
}

} // namespace kiln::cpu
