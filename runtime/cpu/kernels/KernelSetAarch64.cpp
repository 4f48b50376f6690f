// The aarch64 kernels by ISA tier, each tier adding to the one below. The dot-product
// and matrix-multiply kernels live in files compiled with +dotprod or +i8mm; this table
// is only consulted after selectCpuIsa() has checked the hwcaps.
// The fp32 kernels and the element-wise (de)quantizers need only Advanced SIMD, so
// every tier has them.

#include "KernelSet.h"

#ifdef KILN_CPU_HAVE_KLEIDIAI
#include "kleidiai/KaiKernels.h"
#endif

#include "kiln/cpu/LhsQuant.h"
#include "kiln/cpu/StaticQuant.h"

namespace kiln::cpu::detail {

KernelSet kernelSetFor(CpuIsa isa) {
  KernelSet set;
  const bool i8mm = isa == CpuIsa::NeonI8mm;
  const bool dot = i8mm || isa == CpuIsa::NeonDot;
  if (dot || isa == CpuIsa::Neon) {
    set.pf32 = kiln_matmul_clamp_f32_f32_f32p_4x16x1_neon;
    set.pf16 = kiln_matmul_clamp_f32_f32_f16p_4x16x1_neon;
    set.quantizeRows = kiln_lhs_quant_qai8dx_f32_neon;
    set.quantizeStatic = kiln_quant_qai8_f32_neon;
    set.dequantize = kiln_dequant_f32_qai8_neon;
  }
  if (dot) {
    set.qc8w = kiln_matmul_clamp_f32_qai8dx_qsi8cxp_4x16x4_neondot;
    set.qb4w = kiln_matmul_clamp_f32_qai8dx_qsi4c32p_4x16x8_neondot;
    set.pqs8 = kiln_matmul_clamp_qai8_qai8_qsi8cxp_4x16x4_neondot;
  }
  // smmla does twice sdot's multiply-adds per instruction; qb4w keeps sdot.
  if (i8mm) {
    set.qc8w = kiln_matmul_clamp_f32_qai8dx_qsi8cxp_4x16x8_neoni8mm;
    set.pqs8 = kiln_matmul_clamp_qai8_qai8_qsi8cxp_4x16x8_neoni8mm;
    set.int8Kr = 8;
  }
#ifdef KILN_CPU_HAVE_KLEIDIAI
  set.kleidiai = kleidiai::kernelsFor(isa);
#endif
  return set;
}

} // namespace kiln::cpu::detail
