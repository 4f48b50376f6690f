// matmul_clamp_qai8_qai8_qsi8cxp_4x16x8_neoni8mm: pqs8_qc8w on the smmla dot loop
// (DotInt8I8mm.h, 4 rows x 16 channels, qsi8cxp16x8 weights) with the shared loop
// nest and exact int8 epilogue of StaticTileNeon.h. Built with -march=armv8.2-a+i8mm
// (per-file flags), called only when the hwcaps say so.

#include "kiln/cpu/MatmulStatic.h"

#include "DotInt8I8mm.h"
#include "StaticTileNeon.h"

namespace kiln::cpu {

void kiln_matmul_clamp_qai8_qai8_qsi8cxp_4x16x8_neoni8mm(const StaticMatmulArgs &a) {
  staticMatmul<SmmlaCore>(a, kiln_rhs_pack_nxk_qsi8cxp16x8_qsi8cx_tile_size(a.k));
}

} // namespace kiln::cpu
