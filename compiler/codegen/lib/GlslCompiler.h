#pragma once
/// GLSL compute shader -> validated SPIR-V 1.5 for Vulkan 1.2, in-process (glslang
/// and SPIRV-Tools libraries; no tool is executed).

#include "kiln/support/Status.h"

#include <cstdint>
#include <string>
#include <vector>

namespace kiln::codegen::detail {

/// Compiles `source` and runs spirv-val's Vulkan 1.2 rules on the result. Failures
/// are Internal errors (the generator wrote a shader that does not compile or
/// validate) carrying `kernelName` and glslang's or the validator's message.
Expected<std::vector<uint32_t>> compileComputeShader(const std::string &source,
                                                     const std::string &kernelName);

} // namespace kiln::codegen::detail
