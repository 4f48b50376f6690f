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

/// Which module of a GEMM kernel: the portable one, or a variant using device features.
struct GemmVariant {
  bool integerDot = false; ///< OpSDot on packed int8 (integer GEMMs, shaderIntegerDotProduct)
  bool load64 = false;     ///< 16- and 8-byte loads as 64-bit components (shaderInt64)
};

/// The complete source of `variant` (ignored by the other kernel kinds).
/// Internal error when an embedded shader file is missing (a build problem).
Expected<std::string> kernelSource(const vgf::KernelDescriptor &descriptor, GemmVariant variant);

} // namespace kiln::codegen::detail
