#pragma once
/// KleidiAI's matmul micro-kernels by ISA tier: what a KILN_CPU_KLEIDIAI build runs for
/// qp8_f32_qc8w, qp8_f32_qb4w and pf32 instead of Kiln's own kernels
/// (docs/cpu-aarch64.md §6). The tier comes from the same hwcaps as the kernel
/// table (selectCpuIsa, or KILN_CPU_ISA), so a forced tier is honoured here too.

#include "kiln/cpu/Isa.h"

#include "kai/ukernels/matmul/matmul_clamp_f32_f32_f32p/kai_matmul_clamp_f32_f32_f32p_interface.h"
#include "kai/ukernels/matmul/matmul_clamp_f32_qai8dxp_qsi4c32p/kai_matmul_clamp_f32_qai8dxp_qsi4c32p_interface.h"
#include "kai/ukernels/matmul/matmul_clamp_f32_qai8dxp_qsi8cxp/kai_matmul_clamp_f32_qai8dxp_qsi8cxp_interface.h"

namespace kiln::cpu::kleidiai {

/// A kernel a tier lacks is all null (run_matmul == nullptr): Kiln's runs instead.
struct Kernels {
  kai_matmul_clamp_f32_qai8dxp_qsi8cxp_ukernel qc8w;  ///< int8 weights, per-channel scales
  kai_matmul_clamp_f32_qai8dxp_qsi4c32p_ukernel qb4w; ///< int4 weights, bf16 block scales
  kai_matmul_clamp_f32_f32_f32p_ukernel pf32;         ///< fp32 weights, unpacked fp32 rows
};

/// The kernels of `isa`: pf32 from neon up (Advanced SIMD fmla), qc8w and qb4w with
/// the dotprod kernels on neondot and the i8mm ones on neoni8mm (KleidiAI's int8
/// matmuls all need FEAT_DotProd); null on scalar.
const Kernels *kernelsFor(CpuIsa isa);

} // namespace kiln::cpu::kleidiai
