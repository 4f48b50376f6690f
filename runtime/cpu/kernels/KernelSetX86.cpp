// The x86-64 kernels by ISA tier. Each kernel lives in a file compiled with its own
// ISA flags; this table is only consulted after selectCpuIsa() has checked CPUID.

#include "KernelSet.h"

#include "kiln/cpu/LhsQuant.h"
#include "kiln/cpu/StaticQuant.h"

namespace kiln::cpu::detail {

KernelSet kernelSetFor(CpuIsa isa) {
  KernelSet set;
  switch (isa) {
  case CpuIsa::Avx2:
    set.qc8w = kiln_matmul_clamp_f32_qai8dx_qsi8cxp_2x16x4_avx2;
    set.qb4w = kiln_matmul_clamp_f32_qai8dx_qsi4c32p_2x16x8_avx2;
    set.pf32 = kiln_matmul_clamp_f32_f32_f32p_4x16x1_avx2;
    set.pqs8 = kiln_matmul_clamp_qai8_qai8_qsi8cxp_2x16x4_avx2;
    set.pf16 = kiln_matmul_clamp_f32_f32_f16p_4x16x1_avx2;
    set.quantizeRows = kiln_lhs_quant_qai8dx_f32_avx2;
    set.quantizeStatic = kiln_quant_qai8_f32_avx2;
    set.dequantize = kiln_dequant_f32_qai8_avx2;
    break;
  case CpuIsa::Avx512:
    set.qc8w = kiln_matmul_clamp_f32_qai8dx_qsi8cxp_8x32x4_avx512vnni;
    set.qb4w = kiln_matmul_clamp_f32_qai8dx_qsi4c32p_4x16x8_avx512vnni;
    set.qc8wPackedLhs = kiln_matmul_clamp_f32_qai8dxp_qsi8cxp_8x32x4_avx512vnni;
    set.qb4wPackedLhs = kiln_matmul_clamp_f32_qai8dxp_qsi4c32p_8x16x8_avx512vnni;
    set.pf32 = kiln_matmul_clamp_f32_f32_f32p_12x32x1_avx512;
    set.pf16 = kiln_matmul_clamp_f32_f32_f16p_12x32x1_avx512;
    set.pf32PackedLhs = {kiln_lhs_pack_f32p12x1_f32_avx512,
                         kiln_matmul_clamp_f32_f32p_f32p_12x32x1_avx512};
    set.pf16PackedLhs = {kiln_lhs_pack_f32p12x1_f32_round_f16_avx512,
                         kiln_matmul_clamp_f32_f32p_f16p_12x32x1_avx512};
    set.pqs8 = kiln_matmul_clamp_qai8_qai8_qsi8cxp_8x32x4_avx512vnni;
    // The quantizers are O(M·K) against the GEMM's O(M·N·K); AVX2 is enough.
    set.quantizeRows = kiln_lhs_quant_qai8dx_f32_avx2;
    set.quantizeStatic = kiln_quant_qai8_f32_avx2;
    set.dequantize = kiln_dequant_f32_qai8_avx2;
    break;
  case CpuIsa::Scalar:
    break;
  }
  return set;
}

} // namespace kiln::cpu::detail
