#pragma once
/// Checks of a GEMM tiling against the two kernel forms and Vulkan's minimum limits.

#include "kiln/support/Status.h"
#include "kiln/vgf/KernelDescriptor.h"

namespace kiln::codegen::detail {

/// Vulkan 1.2's guaranteed minimums (maxComputeWorkGroupInvocations,
/// maxComputeSharedMemorySize, maxComputeWorkGroupCount[i]): the portable module
/// must run on any conformant device, so tilings stay within them.
inline constexpr uint32_t kMaxWorkgroupInvocations = 128;
inline constexpr uint32_t kMaxSharedBytes = 16384;
inline constexpr uint32_t kMaxWorkgroupCount = 65535;

/// Bytes of one staged k4 in shared memory (a vec4 or ivec4; the SDot variant's
/// packed uint is smaller, so the portable size bounds both).
inline constexpr uint32_t kStagedK4Bytes = 16;

/// Whether `gemm` runs as the GEMV kernel (gemv.comp) rather than gemm_tiled.comp.
bool isGemvForm(const vgf::GemmDesc &gemm);

/// InvalidArgument naming the field when `gemm.tiling` is not a tiling the kernels
/// implement for `gemm`'s shape.
Status checkGemmTiling(const vgf::GemmDesc &gemm);

} // namespace kiln::codegen::detail
