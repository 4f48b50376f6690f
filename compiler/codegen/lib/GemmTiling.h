#pragma once
/// Checks of a GEMM tiling against the register-tile kernel and Vulkan's minimum limits.

#include "kiln/support/Status.h"
#include "kiln/vgf/KernelDescriptor.h"

namespace kiln::codegen::detail {

/// Vulkan 1.2's guaranteed minimums (maxComputeWorkGroupInvocations,
/// maxComputeWorkGroupCount[i]): the portable module must run on any conformant
/// device, so tilings stay within them. The kernel uses no shared memory.
inline constexpr uint32_t kMaxWorkgroupInvocations = 128;
inline constexpr uint32_t kMaxWorkgroupCount = 65535;

/// Bounds of one invocation's register tile (rows x columns of accumulators).
inline constexpr uint32_t kMaxTileRows = 8;
inline constexpr uint32_t kMaxTileColumns = 8;

/// InvalidArgument naming the field when `gemm.tiling` is not a tiling the kernel
/// implements for `gemm`'s shape and scheme.
Status checkGemmTiling(const vgf::GemmDesc &gemm);

} // namespace kiln::codegen::detail
