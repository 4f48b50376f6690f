#pragma once
/// The fast kernels one ISA offers, by job: what PackedGemm and the executor call
/// instead of the scalar reference. Each architecture's build defines kernelSetFor()
/// in its own file (KernelSetX86.cpp, KernelSetPortable.cpp for the rest), so adding
/// an architecture or an ISA touches that file alone. A null entry keeps the scalar
/// kernel for that job.

#include "kiln/cpu/Isa.h"
#include "kiln/cpu/MatmulDynamic.h"
#include "kiln/cpu/MatmulF32.h"
#include "kiln/cpu/MatmulPackedLhs.h"
#include "kiln/cpu/MatmulStatic.h"

#include <cstddef>
#include <cstdint>

namespace kiln::cpu::kleidiai {
struct Kernels;
} // namespace kiln::cpu::kleidiai

namespace kiln::cpu::detail {

using DynamicKernel = void (*)(const DynamicMatmulArgs &);
using PackedLhsKernel = void (*)(const PackedLhsMatmulArgs &);
using F32Kernel = void (*)(const F32MatmulArgs &);
using F32PackedLhsKernel = void (*)(const F32PackedLhsMatmulArgs &);
/// lhs_pack_f32p12x1: [M,K] fp32 rows (`lhsStride` floats apart) to f32p12x1 blocks.
using F32LhsPacker = void (*)(size_t m, size_t k, const float *lhs, size_t lhsStride,
                              float *packed);

/// A pf32 or pf16 GEMM on an LHS packed per run: the packer and the kernel that reads
/// its layout.
struct F32PackedLhs {
  F32LhsPacker pack = nullptr;
  F32PackedLhsKernel matmul = nullptr;
};
using StaticKernel = void (*)(const StaticMatmulArgs &);
/// lhs_quant_qai8dx_f32: [M,K] fp32 rows to int8 rows, row scales and zero points.
using QuantizeRowsKernel = void (*)(size_t m, size_t k, const float *lhs, int8_t *out,
                                    float *rowScales, int32_t *rowZeroPoints);
/// quant_qai8_f32 and dequant_f32_qai8 (kiln/cpu/StaticQuant.h).
using QuantizeStaticKernel = void (*)(size_t count, float invScale, int32_t zeroPoint,
                                      const float *input, int8_t *output);
using DequantizeKernel = void (*)(size_t count, float scale, int32_t zeroPoint,
                                  const int8_t *input, float *output);

struct KernelSet {
  DynamicKernel qc8w = nullptr;  ///< qp8_f32_qc8w on qsi8cxp16x4 weights
  DynamicKernel qb4w = nullptr;  ///< qp8_f32_qb4w on qsu4c32p16x8 weights
  F32Kernel pf32 = nullptr;      ///< pf32 on f32p16x1 weights
  StaticKernel pqs8 = nullptr;   ///< pqs8_qc8w on qsi8cxp16x4 weights without scales
  F32Kernel pf16 = nullptr;      ///< pf16 on f16p16x1 weights
  /// k per channel in the int8 weight packing of qc8w and pqs8: 4 (qsi8cxp16x4), or 8
  /// (qsi8cxp16x8) for smmla.
  size_t int8Kr = 4;
  QuantizeRowsKernel quantizeRows = nullptr;
  QuantizeStaticKernel quantizeStatic = nullptr;
  DequantizeKernel dequantize = nullptr;
  /// qp8_f32_qc8w and qp8_f32_qb4w on a qai8dxp8x4 LHS packed per run; where set,
  /// they run instead of qc8w and qb4w for M >= 8 (PackedGemm).
  PackedLhsKernel qc8wPackedLhs = nullptr;
  PackedLhsKernel qb4wPackedLhs = nullptr;
  /// pf32 and pf16 on an f32p12x1 LHS packed per run; where set, they run instead of
  /// pf32 and pf16 for M >= 2 (PackedGemm).
  F32PackedLhs pf32PackedLhs;
  F32PackedLhs pf16PackedLhs;
  /// KleidiAI's micro-kernels (KILN_CPU_KLEIDIAI builds, docs/cpu-aarch64.md §6);
  /// where set, PackedGemm runs qc8w, qb4w and pf32 with those the tier has.
  const kleidiai::Kernels *kleidiai = nullptr;
};

/// The kernels of `isa` in this build; empty for CpuIsa::Scalar.
KernelSet kernelSetFor(CpuIsa isa);

} // namespace kiln::cpu::detail
