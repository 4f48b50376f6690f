#include "Spirv.h"

#include <spirv-tools/libspirv.hpp>

namespace kiln::vgf {
namespace {

/// Vulkan 1.2 is Kiln's minimum device (DESIGN.md), so modules are checked against it.
constexpr spv_target_env kTargetEnv = SPV_ENV_VULKAN_1_2;

std::string where(const Module &module, size_t index) {
  return "module " + std::to_string(index) + " '" + module.name + "'";
}

} // namespace

Expected<std::string> disassembleModule(const Module &module, size_t index) {
  spvtools::SpirvTools tools(kTargetEnv);
  std::string diagnostic;
  tools.SetMessageConsumer([&](spv_message_level_t, const char *, const spv_position_t &,
                               const char *message) { diagnostic = message; });
  std::string text;
  if (!tools.Disassemble(module.spirv, &text,
                         SPV_BINARY_TO_TEXT_OPTION_FRIENDLY_NAMES |
                             SPV_BINARY_TO_TEXT_OPTION_INDENT))
    return invalidFile(where(module, index) + ": cannot disassemble SPIR-V: " + diagnostic);
  return text;
}

Status validateModule(const Module &module, size_t index) {
  spvtools::SpirvTools tools(kTargetEnv);
  std::string diagnostic;
  tools.SetMessageConsumer([&](spv_message_level_t, const char *, const spv_position_t &position,
                               const char *message) {
    if (!diagnostic.empty())
      return;
    // SPIRV-Tools appends the offending instruction on a new line; keep one line.
    diagnostic = "word " + std::to_string(position.index) + ": " + message;
    for (char &c : diagnostic)
      if (c == '\n')
        c = ' ';
    while (!diagnostic.empty() && diagnostic.back() == ' ')
      diagnostic.pop_back();
  });
  if (!tools.Validate(module.spirv))
    return invalidFile(where(module, index) + ": spirv-val (vulkan1.2) failed: " + diagnostic);
  return Status::ok();
}

} // namespace kiln::vgf
