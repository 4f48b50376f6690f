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

namespace kiln::cpu {

void kiln_matmul_clamp_f32_qai8dx_qsi8cxp_4x16x8_neoni8mm(const DynamicMatmulArgs &args) {
  qc8wMatmul<SmmlaCore>(args, kiln_rhs_pack_nxk_qsi8cxp16x8_qsi8cx_tile_size(args.k));
}

} // namespace kiln::cpu
