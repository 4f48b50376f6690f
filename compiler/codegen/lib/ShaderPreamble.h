#pragma once
/// The GLSL text of one kernel variant: a generated preamble (#version, extensions,
/// the descriptor's shapes, tiles and scheme flags as #defines) followed by the
/// embedded shader files the kernel kind needs.

#include "kiln/support/Status.h"
#include "kiln/vgf/KernelDescriptor.h"

#include <string>

namespace kiln::codegen::detail {

/// Workgroup size and count of the elementwise kernels (QuantizeStatic, Dequantize):
/// each invocation strides over the elements, so any count fits one dispatch.
inline constexpr uint32_t kElementwiseWorkgroupSize = 128;
uint32_t elementwiseWorkgroups(uint32_t count);

/// Workgroup size of QuantizeRows (one workgroup per row; a power of two for the
/// reduction tree).
inline constexpr uint32_t kQuantizeRowsWorkgroupSize = 64;

/// The complete source; `integerDot` selects the SDot variant of an integer GEMM.
/// Internal error when an embedded shader file is missing (a build problem).
Expected<std::string> kernelSource(const vgf::KernelDescriptor &descriptor, bool integerDot);

} // namespace kiln::codegen::detail
