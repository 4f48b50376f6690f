// The aarch64 kernels by ISA tier. The dot-product kernels live in files compiled with
// +dotprod; this table is only consulted after selectCpuIsa() has checked the hwcaps.
// No tier has a vector quantizer: QuantizeRows keeps the scalar kernel (O(M·K)
// against the GEMM's O(M·N·K)).

#include "KernelSet.h"

namespace kiln::cpu::detail {

KernelSet kernelSetFor(CpuIsa isa) {
  KernelSet set;
  if (isa == CpuIsa::Neon || isa == CpuIsa::NeonDot)
    set.pf32 = kiln_matmul_clamp_f32_f32_f32p_4x16x1_neon;
  if (isa == CpuIsa::NeonDot) {
    set.qc8w = kiln_matmul_clamp_f32_qai8dx_qsi8cxp_4x16x4_neondot;
    set.qb4w = kiln_matmul_clamp_f32_qai8dx_qsi4c32p_4x16x8_neondot;
    set.pqs8 = kiln_matmul_clamp_qai8_qai8_qsi8cxp_4x16x4_neondot;
  }
  return set;
}

} // namespace kiln::cpu::detail
