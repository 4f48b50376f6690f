#include "KaiKernels.h"

#include "kai/ukernels/matmul/matmul_clamp_f32_qai8dxp_qsi4c32p/kai_matmul_clamp_f32_qai8dxp4x4_qsi4c32p4x4_16x4_neon_dotprod.h"
#include "kai/ukernels/matmul/matmul_clamp_f32_qai8dxp_qsi4c32p/kai_matmul_clamp_f32_qai8dxp4x8_qsi4c32p4x8_16x4x32_neon_i8mm.h"
#include "kai/ukernels/matmul/matmul_clamp_f32_qai8dxp_qsi8cxp/kai_matmul_clamp_f32_qai8dxp4x4_qsi8cxp4x4_16x4_neon_dotprod.h"
#include "kai/ukernels/matmul/matmul_clamp_f32_qai8dxp_qsi8cxp/kai_matmul_clamp_f32_qai8dxp4x8_qsi8cxp4x8_16x4_neon_i8mm.h"

namespace kiln::cpu::kleidiai {
namespace {

// One interface struct per kernel, filled from its functions' common suffix (the
// member order of KleidiAI's *_interface.h).
#define KILN_KAI_UKERNEL(name)                                                                     \
  {                                                                                                \
    kai_get_m_step_##name, kai_get_n_step_##name, kai_get_mr_##name, kai_get_nr_##name,            \
        kai_get_kr_##name, kai_get_sr_##name, kai_get_lhs_packed_offset_##name,                    \
        kai_get_rhs_packed_offset_##name, kai_get_dst_offset_##name, kai_get_dst_size_##name,      \
        kai_run_##name                                                                             \
  }

// 16 rows by 4 channels per call on both tiers: the multi-row kernels, since a
// QuantizeRows segment feeds every row of the GEMM at once.
const Kernels kDotprod = {
    KILN_KAI_UKERNEL(matmul_clamp_f32_qai8dxp4x4_qsi8cxp4x4_16x4_neon_dotprod),
    KILN_KAI_UKERNEL(matmul_clamp_f32_qai8dxp4x4_qsi4c32p4x4_16x4_neon_dotprod)};
const Kernels kI8mm = {KILN_KAI_UKERNEL(matmul_clamp_f32_qai8dxp4x8_qsi8cxp4x8_16x4_neon_i8mm),
                       KILN_KAI_UKERNEL(matmul_clamp_f32_qai8dxp4x8_qsi4c32p4x8_16x4x32_neon_i8mm)};

#undef KILN_KAI_UKERNEL

} // namespace

const Kernels *kernelsFor(CpuIsa isa) {
  switch (isa) {
  case CpuIsa::NeonI8mm:
    return &kI8mm;
  case CpuIsa::NeonDot:
    return &kDotprod;
  default:
    return nullptr;
  }
}

} // namespace kiln::cpu::kleidiai
