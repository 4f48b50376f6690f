#pragma once
/// Kernel descriptor -> SPIR-V: the GLSL compute shaders of compiler/codegen/shaders,
/// specialised for one descriptor (shapes, tiles, scheme), compiled in-process with
/// glslang and validated with SPIRV-Tools for Vulkan 1.2 / SPIR-V 1.5. No MLIR.
/// docs/codegen.md describes the kernels, the tiling and the buffer layouts.

#include "kiln/support/Status.h"
#include "kiln/vgf/KernelDescriptor.h"

#include <array>
#include <cstdint>
#include <vector>

namespace kiln::codegen {

/// Workgroup tiling for a GEMM descriptor's shape. Every invocation of the
/// register-tile kernel computes tileM rows x (tileN / workgroupSize) columns of the
/// output (all rows when M <= 8, as a GEMV; tiles of 8 rows beyond), reading K in chunks of tileK values (4, or 16 int8 / 8 or 32 int4 values
/// in one wide load where the alignment allows).
vgf::GemmTiling chooseGemmTiling(const vgf::GemmDesc &gemm);

/// One SPIR-V module and the device features it needs beyond the portable baseline
/// (Vulkan 1.2 with storageBuffer8BitAccess, storageBuffer16BitAccess, shaderInt8 and
/// shaderInt16). vgf::KernelFeature has no shaderInt64 bit: the 64-bit-load variant
/// declares the Int64 capability, which the runtime checks before choosing it.
struct KernelModule {
  std::vector<uint32_t> spirv;
  uint32_t requiredFeatures = vgf::kFeatureNone;
};

struct KernelBinary {
  /// [0] is portable; the faster variants follow, preferred first.
  std::vector<KernelModule> modules;
  /// Set-0 binding numbers the shader uses, ascending (a subset of the fixed layout).
  std::vector<uint32_t> bindings;
  /// Workgroup counts of the dispatch.
  std::array<uint32_t, 3> workgroups{1, 1, 1};
};

/// Generates, compiles and validates one kernel (every variant). A descriptor the
/// generator cannot serve (zero or oversized shapes, a tiling that is not one of the
/// two forms above or exceeds Vulkan's minimum limits, a qb4w block size that is not
/// a multiple of 4) fails with InvalidArgument naming the field.
Expected<KernelBinary> buildKernel(const vgf::KernelDescriptor &descriptor);

} // namespace kiln::codegen
