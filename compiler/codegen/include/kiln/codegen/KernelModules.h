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

/// Lhs rows up to which a GEMM runs as a GEMV (one invocation per output column over
/// all rows) instead of the shared-memory tiled kernel.
inline constexpr uint32_t kGemvMaxRows = 8;

/// Workgroup tiling for a GEMM descriptor's shape: M <= kGemvMaxRows gets the GEMV
/// form (tileM = M, tileN = workgroupSize, tileK = the lhs slice staged per step);
/// larger M the tiled form (a tileM x tileN output block per workgroup, 4 columns and
/// tileM*tileN/(4*workgroupSize) rows per invocation, tileK-wide slices staged).
vgf::GemmTiling chooseGemmTiling(const vgf::GemmDesc &gemm);

/// One SPIR-V module and the device features it needs beyond the portable baseline
/// (Vulkan 1.2 with storageBuffer8BitAccess, storageBuffer16BitAccess, shaderInt8 and
/// shaderInt16).
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
