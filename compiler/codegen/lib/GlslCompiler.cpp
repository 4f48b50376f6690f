#include "GlslCompiler.h"

#include <glslang/Public/ResourceLimits.h>
#include <glslang/Public/ShaderLang.h>
#include <glslang/SPIRV/GlslangToSpv.h>
#include <spirv-tools/libspirv.hpp>

#include <mutex>

namespace kiln::codegen::detail {
namespace {

/// glslang keeps process-wide tables; they are set up once and never torn down
/// (other libraries in the process may use glslang too).
void initializeGlslang() {
  static std::once_flag once;
  std::call_once(once, [] { glslang::InitializeProcess(); });
}

Status validate(const std::vector<uint32_t> &spirv, const std::string &kernelName) {
  spvtools::SpirvTools tools(SPV_ENV_VULKAN_1_2);
  std::string messages;
  tools.SetMessageConsumer([&](spv_message_level_t, const char *, const spv_position_t &pos,
                               const char *message) {
    messages += "word " + std::to_string(pos.index) + ": " + message + "\n";
  });
  if (!tools.Validate(spirv))
    return internalError(kernelName + ": generated SPIR-V fails spirv-val (vulkan1.2):\n" +
                         messages);
  return Status::ok();
}

} // namespace

Expected<std::vector<uint32_t>> compileComputeShader(const std::string &source,
                                                     const std::string &kernelName) {
  initializeGlslang();
  glslang::TShader shader(EShLangCompute);
  const char *text = source.c_str();
  const char *name = kernelName.c_str();
  shader.setStringsWithLengthsAndNames(&text, nullptr, &name, 1);
  shader.setEnvInput(glslang::EShSourceGlsl, EShLangCompute, glslang::EShClientVulkan, 100);
  shader.setEnvClient(glslang::EShClientVulkan, glslang::EShTargetVulkan_1_2);
  shader.setEnvTarget(glslang::EShTargetSpv, glslang::EShTargetSpv_1_5);
  auto messages = static_cast<EShMessages>(EShMsgSpvRules | EShMsgVulkanRules);
  if (!shader.parse(GetDefaultResources(), 450, false, messages))
    return internalError(kernelName + ": generated GLSL does not compile:\n" +
                         shader.getInfoLog());
  glslang::TProgram program;
  program.addShader(&shader);
  if (!program.link(messages))
    return internalError(kernelName + ": generated GLSL does not link:\n" +
                         program.getInfoLog());
  std::vector<uint32_t> spirv;
  glslang::SpvOptions options;
  options.disableOptimizer = true; // see docs/codegen.md: spirv-opt measured no gain
  glslang::GlslangToSpv(*program.getIntermediate(EShLangCompute), spirv, &options);
  KILN_RETURN_IF_ERROR(validate(spirv, kernelName));
  return spirv;
}

} // namespace kiln::codegen::detail
