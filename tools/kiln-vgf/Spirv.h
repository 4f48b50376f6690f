#pragma once
/// SPIR-V disassembly and validation of VGF modules through the SPIRV-Tools library.

#include "kiln/support/Status.h"
#include "kiln/vgf/Model.h"

#include <cstddef>
#include <string>

namespace kiln::vgf {

/// Friendly-name disassembly of a module's words.
Expected<std::string> disassembleModule(const Module &module, size_t index);

/// spirv-val for the Vulkan 1.2 target environment; the message quotes SPIRV-Tools.
Status validateModule(const Module &module, size_t index);

} // namespace kiln::vgf
