#pragma once
/// The GLSL sources of compiler/codegen/shaders, embedded at build time
/// (cmake/EmbedShaders.cmake generates the definition).

#include <string_view>

namespace kiln::codegen::detail {

/// The text of shaders/<name> ("gemm_register_tiles.comp"); empty when there is no such file.
std::string_view shaderSource(std::string_view name);

} // namespace kiln::codegen::detail
