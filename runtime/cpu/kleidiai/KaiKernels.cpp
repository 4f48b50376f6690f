#include "KaiKernels.h"

#include "kai/ukernels/matmul/matmul_clamp_f32_f32_f32p/kai_matmul_clamp_f32_f32_f32p16x1b_6x16_neon_mla.h"
#include "kai/ukernels/matmul/matmul_clamp_f32_qai8dxp_qsi4c32p/kai_matmul_clamp_f32_qai8dxp4x4_qsi4c32p4x4_16x4_neon_dotprod.h"
#include "kai/ukernels/matmul/matmul_clamp_f32_qai8dxp_qsi4c32p/kai_matmul_clamp_f32_qai8dxp4x8_qsi4c32p4x8_16x4x32_neon_i8mm.h"
#include "kai/ukernels/matmul/matmul_clamp_f32_qai8dxp_qsi8cxp/kai_matmul_clamp_f32_qai8dxp4x4_qsi8cxp4x4_16x4_neon_dotprod.h"
#include "kai/ukernels/matmul/matmul_clamp_f32_qai8dxp_qsi8cxp/kai_matmul_clamp_f32_qai8dxp4x8_qsi8cxp4x8_16x4_neon_i8mm.h"

namespace kiln::cpu::kleidiai {
namespace {

// One interface struct per kernel, filled from its functions' common suffix (the
// member order of KleidiAI's *_interface.h; the fp32 family has no mr).
#define KILN_KAI_UKERNEL(name)                                                                     \
  {                                                                                                \
    kai_get_m_step_##name, kai_get_n_step_##name, kai_get_mr_##name, kai_get_nr_##name,            \
        kai_get_kr_##name, kai_get_sr_##name, kai_get_lhs_packed_offset_##name,                    \
        kai_get_rhs_packed_offset_##name, kai_get_dst_offset_##name, kai_get_dst_size_##name,      \
        kai_run_##name                                                                             \
  }
#define KILN_KAI_F32_UKERNEL(name)                                                                 \
  {                                                                                                \
    kai_get_m_step_##name, kai_get_n_step_##name, kai_get_nr_##name, kai_get_kr_##name,            \
        kai_get_sr_##name, kai_get_lhs_offset_##name, kai_get_rhs_packed_offset_##name,            \
        kai_get_dst_offset_##name, kai_get_dst_size_##name, kai_run_##name                         \
  }

// The int8 kernels take 16 rows by 4 channels per call on both tiers: the multi-row
// kernels, since a QuantizeRows segment feeds every row of the GEMM at once. pf32 is
// KleidiAI's one Advanced SIMD fp32 kernel on nxk weights (6 rows by 16 channels).
#define KILN_KAI_PF32 KILN_KAI_F32_UKERNEL(matmul_clamp_f32_f32_f32p16x1b_6x16_neon_mla)
const Kernels kNeon = {{}, {}, KILN_KAI_PF32};
const Kernels kDotprod = {
    KILN_KAI_UKERNEL(matmul_clamp_f32_qai8dxp4x4_qsi8cxp4x4_16x4_neon_dotprod),
    KILN_KAI_UKERNEL(matmul_clamp_f32_qai8dxp4x4_qsi4c32p4x4_16x4_neon_dotprod), KILN_KAI_PF32};
const Kernels kI8mm = {KILN_KAI_UKERNEL(matmul_clamp_f32_qai8dxp4x8_qsi8cxp4x8_16x4_neon_i8mm),
                       KILN_KAI_UKERNEL(matmul_clamp_f32_qai8dxp4x8_qsi4c32p4x8_16x4x32_neon_i8mm),
                       KILN_KAI_PF32};

#undef KILN_KAI_PF32
#undef KILN_KAI_F32_UKERNEL
#undef KILN_KAI_UKERNEL

} // namespace

const Kernels *kernelsFor(CpuIsa isa) {
  switch (isa) {
  case CpuIsa::NeonI8mm:
    return &kI8mm;
  case CpuIsa::NeonDot:
    return &kDotprod;
  case CpuIsa::Neon:
    return &kNeon;
  default:
    return nullptr;
  }
}

} // namespace kiln::cpu::kleidiai
