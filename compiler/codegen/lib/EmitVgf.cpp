#include "kiln/codegen/EmitVgf.h"

#include "kiln/codegen/KernelModules.h"
#include "kiln/vgf/Metadata.h"

#include "spirv-tools/libspirv.hpp"

#include <set>

namespace kiln::codegen {
namespace {

vgf::Format formatOf(ElementType type) {
  switch (type) {
  case ElementType::F32: return vgf::Format::R32Sfloat;
  case ElementType::F16: return vgf::Format::R16Sfloat;
  case ElementType::I8: return vgf::Format::R8Sint;
  case ElementType::I32: return vgf::Format::R32Sint;
  }
  return vgf::Format::R8Uint;
}

/// Resource entries for every tensor (same indexes) and constant records for the
/// constant tensors; returns tensor index -> constant index (kUnset for others).
std::vector<uint32_t> addResources(const KernelGraph &graph, const VgfOptions &options,
                                   vgf::Model &model) {
  std::vector<uint32_t> constantOf(graph.tensors.size(), vgf::kUnset);
  for (uint32_t t = 0; t < graph.tensors.size(); ++t) {
    const GraphTensor &tensor = graph.tensors[t];
    vgf::Resource resource;
    resource.category = tensor.category;
    resource.format = static_cast<uint32_t>(formatOf(tensor.type));
    resource.shape = tensor.shape;
    if (tensor.category == vgf::ResourceCategory::Constant && options.weightsAsInputs) {
      resource.category = vgf::ResourceCategory::Input;
    } else if (tensor.category == vgf::ResourceCategory::Constant) {
      resource.descriptorType = vgf::kDescriptorTypeNone;
      constantOf[t] = static_cast<uint32_t>(model.constants.size());
      model.constants.push_back(vgf::Constant::view(t, tensor.data->data(), tensor.data->size(),
                                                    tensor.data));
    } else if (tensor.category == vgf::ResourceCategory::Intermediate) {
      resource.aliasGroupId = tensor.aliasGroup;
    }
    model.resources.push_back(std::move(resource));
  }
  return constantOf;
}

/// A generic-path kernel as a KernelBinary: its one module and its bindings.
KernelBinary genericBinary(const Kernel &kernel) {
  KernelBinary binary;
  binary.modules.push_back({kernel.spirv, vgf::kFeatureNone});
  for (const KernelBinding &b : kernel.bindings)
    binary.bindings.push_back(b.binding);
  binary.workgroups = kernel.workgroups;
  return binary;
}

Status addSegment(const Kernel &kernel, const std::vector<uint32_t> &constantOf,
                  vgf::Model &model) {
  Expected<KernelBinary> binary =
      kernel.generic ? Expected<KernelBinary>(genericBinary(kernel)) : buildKernel(kernel.descriptor);
  if (!binary)
    return Status(binary.status().code(),
                  kernel.name + " (" + kernel.location + "): " + binary.status().message());
  std::set<uint32_t> expected, generated(binary->bindings.begin(), binary->bindings.end());
  for (const KernelBinding &b : kernel.bindings)
    expected.insert(b.binding);
  if (expected != generated)
    return internalError(kernel.name + ": the generated shader's bindings differ from the "
                                       "kernel's (formation and codegen disagree)");

  vgf::KernelDescriptor descriptor = kernel.descriptor;
  uint32_t firstModule = static_cast<uint32_t>(model.modules.size());
  for (size_t i = 0; i < binary->modules.size(); ++i) {
    vgf::Module module;
    module.name = i == 0 ? kernel.name : kernel.name + ".variant" + std::to_string(i);
    module.spirv = std::move(binary->modules[i].spirv);
    module.entryPoint = kernel.entryPoint;
    model.modules.push_back(std::move(module));
    if (i > 0)
      descriptor.variants.push_back({firstModule + static_cast<uint32_t>(i),
                                     binary->modules[i].requiredFeatures});
  }

  vgf::Segment segment;
  segment.name = kernel.name;
  segment.moduleIndex = firstModule;
  vgf::DescriptorSet set;
  set.setIndex = 0;
  for (const KernelBinding &b : kernel.bindings) {
    set.bindings.push_back({b.binding, b.tensor});
    bool isResult = std::find(kernel.results.begin(), kernel.results.end(), b.tensor) !=
                    kernel.results.end();
    if (isResult)
      segment.outputs.push_back({b.binding, b.tensor});
    else if (constantOf[b.tensor] != vgf::kUnset)
      segment.constants.push_back(constantOf[b.tensor]);
    else
      segment.inputs.push_back({b.binding, b.tensor});
  }
  segment.descriptorSets.push_back(std::move(set));
  segment.dispatchShape.assign(binary->workgroups.begin(), binary->workgroups.end());
  model.segments.push_back(std::move(segment));
  if (kernel.generic)
    return Status::ok();
  std::vector<uint8_t> blob = vgf::encodeKernelDescriptor(descriptor);
  return vgf::addSegmentMetadata(model, model.segments.size() - 1, blob.data(), blob.size());
}

} // namespace

Expected<vgf::Model> buildVgfModel(const KernelGraph &graph, const VgfOptions &options) {
  vgf::Model model;
  std::vector<uint32_t> constantOf = addResources(graph, options, model);
  for (const Kernel &kernel : graph.kernels)
    KILN_RETURN_IF_ERROR(addSegment(kernel, constantOf, model));
  // Model interface: binding numbers are positions, unique across inputs and outputs.
  uint32_t binding = 0;
  for (uint32_t t : graph.inputs) {
    model.inputs.push_back({binding++, t});
    model.inputNames.push_back(graph.tensors[t].name);
  }
  if (options.weightsAsInputs)
    for (uint32_t t = 0; t < graph.tensors.size(); ++t)
      if (graph.tensors[t].category == vgf::ResourceCategory::Constant) {
        model.inputs.push_back({binding++, t});
        model.inputNames.push_back(graph.tensors[t].name);
      }
  for (uint32_t t : graph.outputs) {
    model.outputs.push_back({binding++, t});
    model.outputNames.push_back(graph.tensors[t].name);
  }
  KILN_RETURN_IF_ERROR(vgf::checkModel(model));
  return model;
}

Expected<std::string> disassembleModules(const vgf::Model &model) {
  spvtools::SpirvTools tools(SPV_ENV_VULKAN_1_2);
  std::string text;
  for (size_t i = 0; i < model.modules.size(); ++i) {
    const vgf::Module &module = model.modules[i];
    std::string listing;
    if (!tools.Disassemble(module.spirv, &listing, SPV_BINARY_TO_TEXT_OPTION_FRIENDLY_NAMES))
      return internalError("cannot disassemble module " + std::to_string(i) + " '" +
                           module.name + "'");
    text += "; module " + std::to_string(i) + " " + module.name + "\n" + listing;
  }
  return text;
}

} // namespace kiln::codegen
