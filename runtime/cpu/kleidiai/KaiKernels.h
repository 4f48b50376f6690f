#pragma once
/// KleidiAI's matmul micro-kernels for the dynamic schemes, by ISA tier: what a
/// KILN_CPU_KLEIDIAI build runs for qp8_f32_qc8w and qp8_f32_qb4w instead of Kiln's own
/// kernels (docs/cpu-aarch64.md §6). The tier comes from the same hwcaps as the kernel
/// table (selectCpuIsa, or KILN_CPU_ISA), so a forced tier is honoured here too.

#include "kiln/cpu/Isa.h"

#include "kai/ukernels/matmul/matmul_clamp_f32_qai8dxp_qsi4c32p/kai_matmul_clamp_f32_qai8dxp_qsi4c32p_interface.h"
#include "kai/ukernels/matmul/matmul_clamp_f32_qai8dxp_qsi8cxp/kai_matmul_clamp_f32_qai8dxp_qsi8cxp_interface.h"

namespace kiln::cpu::kleidiai {

struct Kernels {
  kai_matmul_clamp_f32_qai8dxp_qsi8cxp_ukernel qc8w;  ///< int8 weights, per-channel scales
  kai_matmul_clamp_f32_qai8dxp_qsi4c32p_ukernel qb4w; ///< int4 weights, bf16 block scales
};

/// The kernels of `isa`: the dotprod ones on neondot, the i8mm ones on neoni8mm; null
/// below (KleidiAI's int8 matmuls all need FEAT_DotProd).
const Kernels *kernelsFor(CpuIsa isa);

} // namespace kiln::cpu::kleidiai
