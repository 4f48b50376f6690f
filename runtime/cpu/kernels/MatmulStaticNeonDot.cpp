// matmul_clamp_qai8_qai8_qsi8cxp_4x16x4_neondot: pqs8_qc8w on the qc8w kernel's sdot
// loop (DotInt8Neon.h, 4 rows x 16 channels), with the shared loop nest and exact
// int8 epilogue of StaticTileNeon.h. Built with -march=armv8.2-a+dotprod (per-file
// flags), called only when the hwcaps say so.

#include "kiln/cpu/MatmulStatic.h"

#include "DotInt8Neon.h"
#include "StaticTileNeon.h"

namespace kiln::cpu {

void kiln_matmul_clamp_qai8_qai8_qsi8cxp_4x16x4_neondot(const StaticMatmulArgs &a) {
  staticMatmul<SdotCore>(a, kiln_rhs_pack_nxk_qsi8cxp16x4_qsi8cx_tile_size(a.k));
}

} // namespace kiln::cpu
