//===- Pipelines.cpp - module choice, pipelines and descriptor sets -------===//
//
// Each segment runs the first module variant (from its kernel descriptor) whose
// features the device has enabled, else its own module. A module that declares a
// SPIR-V capability whose Vulkan feature is not enabled is rejected here, naming the
// feature and the segment, before the driver sees it. Segments that share a module
// and a binding layout share one pipeline (lavapipe JITs each pipeline, ~30 ms).
//
//===----------------------------------------------------------------------===//

#include "Features.h"
#include "SessionImpl.h"

#include "kiln/runtime/Interface.h"
#include "kiln/vgf/KernelDescriptor.h"
#include "kiln/vgf/Metadata.h"

#include <algorithm>
#include <map>

namespace kiln::rt {

using vk::check;

namespace {

std::string segmentLabel(const vgf::Model &model, size_t index) {
  return "segment " + std::to_string(index) + " '" + model.segments[index].name + "'";
}

const std::vector<vgf::BindingSlot> &setZero(const vgf::Segment &segment) {
  static const std::vector<vgf::BindingSlot> none;
  return segment.descriptorSets.empty() ? none : segment.descriptorSets[0].bindings;
}

} // namespace

Expected<uint32_t> Session::Impl::chooseModule(size_t index, SegmentTiming &timing) {
  const vgf::Model &model = decoded.model;
  const vgf::Segment &segment = model.segments[index];
  std::string where = segmentLabel(model, index);
  uint32_t enabled = context->features();
  auto missingOf = [&](uint32_t moduleIndex) -> Expected<uint32_t> {
    Expected<uint32_t> needs = vk::moduleFeatures(model.modules[moduleIndex].spirv);
    if (!needs)
      return needs.takeStatus().withContext(where + ": module " + std::to_string(moduleIndex) + ": ");
    return *needs & ~enabled;
  };

  Expected<std::optional<vgf::ByteView>> blob = vgf::segmentMetadata(model, index);
  if (!blob)
    return blob.takeStatus().withContext(where + ": ");
  if (blob->has_value()) {
    Expected<vgf::KernelDescriptor> descriptor =
        vgf::decodeKernelDescriptor((*blob)->data, (*blob)->size);
    if (!descriptor)
      return descriptor.takeStatus().withContext(where + ": ");
    if (descriptor->kind == vgf::KernelKind::Gemm) {
      const vgf::GemmDesc &g = descriptor->gemm;
      timing.operations = 2ull * g.m * g.n * g.k;
    }
    for (const vgf::ModuleVariant &v : descriptor->variants) {
      if (v.moduleIndex >= model.modules.size())
        return invalidFile(where + ": module variant " + std::to_string(v.moduleIndex) +
                           " out of range: the file has " + std::to_string(model.modules.size()) +
                           " module(s)");
      if ((v.requiredFeatures & ~vk::kernelFeatures(enabled)) != 0)
        continue;
      Expected<uint32_t> missing = missingOf(v.moduleIndex);
      if (!missing)
        return missing.takeStatus();
      if (*missing == 0)
        return v.moduleIndex;
    }
  }
  Expected<uint32_t> missing = missingOf(segment.moduleIndex);
  if (!missing)
    return missing.takeStatus();
  if (*missing != 0)
    return Status(StatusCode::Unavailable,
                  where + ": module " + std::to_string(segment.moduleIndex) + " '" +
                      model.modules[segment.moduleIndex].name + "' needs " +
                      vk::featureNames(*missing) + ", which Vulkan device '" +
                      context->deviceName() + "' does not have enabled");
  return segment.moduleIndex;
}

Status Session::Impl::buildSegment(size_t index) {
  VkDevice device = context->device();
  const vgf::Model &model = decoded.model;
  const vgf::Segment &segment = model.segments[index];
  std::string where = segmentLabel(model, index);
  if (segment.descriptorSets.size() > 1 ||
      (!segment.descriptorSets.empty() && segment.descriptorSets[0].setIndex != 0))
    return unsupported(where + ": Kiln runs compute segments with one descriptor set 0, got " +
                       std::to_string(segment.descriptorSets.size()) + " set(s)");

  SegmentTiming timing;
  timing.name = segment.name;
  Expected<uint32_t> moduleIndex = chooseModule(index, timing);
  if (!moduleIndex)
    return moduleIndex.takeStatus();
  const std::vector<vgf::BindingSlot> &slots = setZero(segment);
  for (const vgf::BindingSlot &slot : slots)
    timing.bytes += resourceBytes(model.resources[slot.mrtIndex]);
  timings.push_back(timing);

  // The pipeline depends on the module and the binding numbers only.
  std::vector<uint32_t> numbers;
  for (const vgf::BindingSlot &slot : slots)
    numbers.push_back(slot.binding);
  std::sort(numbers.begin(), numbers.end());
  if (std::adjacent_find(numbers.begin(), numbers.end()) != numbers.end())
    return invalidFile(where + ": descriptor set 0 binds one binding number twice");
  std::vector<uint32_t> key = numbers;
  key.push_back(*moduleIndex);
  size_t existing = std::find(pipelineKeys.begin(), pipelineKeys.end(), key) - pipelineKeys.begin();
  if (existing == pipelineKeys.size()) {
    if (!shaders[*moduleIndex]) {
      const vgf::Module &module = model.modules[*moduleIndex];
      VkShaderModuleCreateInfo info{VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO};
      info.codeSize = module.spirv.size() * sizeof(uint32_t);
      info.pCode = module.spirv.data();
      KILN_RETURN_IF_ERROR(check(vkCreateShaderModule(device, &info, nullptr, &shaders[*moduleIndex]),
                                 "vkCreateShaderModule").withContext(where + ": "));
    }
    std::vector<VkDescriptorSetLayoutBinding> layoutBindings;
    for (uint32_t binding : numbers)
      layoutBindings.push_back({binding, VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, 1,
                                VK_SHADER_STAGE_COMPUTE_BIT, nullptr});
    VkDescriptorSetLayoutCreateInfo layoutInfo{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO};
    layoutInfo.bindingCount = static_cast<uint32_t>(layoutBindings.size());
    layoutInfo.pBindings = layoutBindings.data();
    VkDescriptorSetLayout setLayout;
    KILN_RETURN_IF_ERROR(check(vkCreateDescriptorSetLayout(device, &layoutInfo, nullptr, &setLayout),
                               "vkCreateDescriptorSetLayout"));
    setLayouts.push_back(setLayout);
    VkPipelineLayoutCreateInfo pipelineLayoutInfo{VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO};
    pipelineLayoutInfo.setLayoutCount = 1;
    pipelineLayoutInfo.pSetLayouts = &setLayout;
    VkPipelineLayout pipelineLayout;
    KILN_RETURN_IF_ERROR(check(vkCreatePipelineLayout(device, &pipelineLayoutInfo, nullptr, &pipelineLayout),
                               "vkCreatePipelineLayout"));
    pipelineLayouts.push_back(pipelineLayout);

    VkComputePipelineCreateInfo pipelineInfo{VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO};
    pipelineInfo.stage.sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO;
    pipelineInfo.stage.stage = VK_SHADER_STAGE_COMPUTE_BIT;
    pipelineInfo.stage.module = shaders[*moduleIndex];
    pipelineInfo.stage.pName = model.modules[*moduleIndex].entryPoint.c_str();
    pipelineInfo.layout = pipelineLayout;
    VkPipeline pipeline;
    KILN_RETURN_IF_ERROR(check(vkCreateComputePipelines(device, context->pipelineCache(), 1,
                                                        &pipelineInfo, nullptr, &pipeline),
                               "vkCreateComputePipelines").withContext(where + ": "));
    pipelines.push_back(pipeline);
    pipelineKeys.push_back(key);
  }
  pipelineOf.push_back(existing);

  VkDescriptorSetAllocateInfo allocInfo{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO};
  allocInfo.descriptorPool = descriptorPool;
  allocInfo.descriptorSetCount = 1;
  allocInfo.pSetLayouts = &setLayouts[pipelineOf.back()];
  VkDescriptorSet set;
  KILN_RETURN_IF_ERROR(check(vkAllocateDescriptorSets(device, &allocInfo, &set), "vkAllocateDescriptorSets"));
  sets.push_back(set);
  return Status::ok();
}

void Session::Impl::writeDescriptors() {
  const vgf::Model &model = decoded.model;
  std::vector<VkWriteDescriptorSet> writes;
  for (size_t s = 0; s < sets.size(); ++s)
    for (const vgf::BindingSlot &slot : setZero(model.segments[s])) {
      VkWriteDescriptorSet write{VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET};
      write.dstSet = sets[s];
      write.dstBinding = slot.binding;
      write.descriptorCount = 1;
      write.descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
      write.pBufferInfo = &bindingOf[slot.mrtIndex];
      writes.push_back(write);
    }
  vkUpdateDescriptorSets(context->device(), static_cast<uint32_t>(writes.size()), writes.data(), 0,
                         nullptr);
  commandsRecorded = false;
}

Status Session::Impl::buildPipelines() {
  const vgf::Model &model = decoded.model;
  shaders.assign(model.modules.size(), VK_NULL_HANDLE);
  uint32_t descriptors = 0;
  for (const vgf::Segment &segment : model.segments)
    for (const vgf::DescriptorSet &set : segment.descriptorSets)
      descriptors += static_cast<uint32_t>(set.bindings.size());
  VkDescriptorPoolSize size{VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, std::max(1u, descriptors)};
  VkDescriptorPoolCreateInfo poolInfo{VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
  poolInfo.maxSets = std::max<uint32_t>(1, static_cast<uint32_t>(model.segments.size()));
  poolInfo.poolSizeCount = 1;
  poolInfo.pPoolSizes = &size;
  KILN_RETURN_IF_ERROR(check(vkCreateDescriptorPool(context->device(), &poolInfo, nullptr, &descriptorPool),
                             "vkCreateDescriptorPool"));
  for (size_t i = 0; i < model.segments.size(); ++i)
    KILN_RETURN_IF_ERROR(buildSegment(i));
  writeDescriptors();
  return Status::ok();
}

} // namespace kiln::rt
