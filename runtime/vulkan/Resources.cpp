//===- Resources.cpp - the buffers of a Vulkan session --------------------===//
//
// One storage buffer per model input and output, per bound CONSTANT (uploaded once
// at load: Kiln's documented divergence from Arm's VGF, docs/vgf.md section 3.2) and
// per INTERMEDIATE alias group (sized for its largest member, the compiler's memory
// plan); an intermediate without a group gets its own buffer. Every buffer prefers
// device-local memory; the host reaches a non-mappable one through a staging buffer.
//
//===----------------------------------------------------------------------===//

#include "SessionImpl.h"

#include "kiln/runtime/Interface.h"

#include <algorithm>
#include <cstring>
#include <map>

namespace kiln::rt {

using vk::check;

Expected<DeviceBuffer> Session::Impl::makeBuffer(VkDeviceSize size, Placement placement) {
  VkDevice device = context->device();
  DeviceBuffer b;
  // Vulkan forbids zero-sized buffers, and 4-byte multiples keep whole-word shader
  // accesses to the last element in range.
  b.size = std::max<VkDeviceSize>(4, (size + 3) & ~VkDeviceSize(3));
  VkBufferCreateInfo info{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
  info.size = b.size;
  info.usage = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | VK_BUFFER_USAGE_TRANSFER_SRC_BIT |
               VK_BUFFER_USAGE_TRANSFER_DST_BIT;
  KILN_RETURN_IF_ERROR(check(vkCreateBuffer(device, &info, nullptr, &b.buffer), "vkCreateBuffer"));
  auto fail = [&](Status status) {
    destroyBuffer(b);
    return status;
  };
  VkMemoryRequirements req;
  vkGetBufferMemoryRequirements(device, b.buffer, &req);
  constexpr VkMemoryPropertyFlags kMappable =
      VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
  Expected<uint32_t> type =
      placement == Placement::Host
          ? context->memoryType(req.memoryTypeBits, kMappable, VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT)
          : context->memoryType(req.memoryTypeBits, 0, VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT);
  if (!type)
    return fail(type.takeStatus());
  VkMemoryAllocateInfo alloc{VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO};
  alloc.allocationSize = req.size;
  alloc.memoryTypeIndex = *type;
  VkResult result = vkAllocateMemory(device, &alloc, nullptr, &b.memory);
  if (result == VK_ERROR_OUT_OF_DEVICE_MEMORY || result == VK_ERROR_OUT_OF_HOST_MEMORY)
    return fail(Status(StatusCode::OutOfMemory, "out of device memory allocating " +
                                                    std::to_string(size) + " bytes on '" +
                                                    context->deviceName() + "'"));
  if (Status s = check(result, "vkAllocateMemory"); !s)
    return fail(std::move(s));
  if (Status s = check(vkBindBufferMemory(device, b.buffer, b.memory, 0), "vkBindBufferMemory"); !s)
    return fail(std::move(s));
  VkPhysicalDeviceMemoryProperties memory;
  vkGetPhysicalDeviceMemoryProperties(context->physicalDevice(), &memory);
  if ((memory.memoryTypes[*type].propertyFlags & kMappable) == kMappable)
    if (Status s = check(vkMapMemory(device, b.memory, 0, VK_WHOLE_SIZE, 0, &b.mapped), "vkMapMemory"); !s)
      return fail(std::move(s));
  return b;
}

void Session::Impl::destroyBuffer(DeviceBuffer &b) {
  VkDevice device = context->device();
  vkDestroyBuffer(device, b.buffer, nullptr); // unmaps implicitly with the free below
  vkFreeMemory(device, b.memory, nullptr);
  b = {};
}

Expected<uint32_t> Session::Impl::createBuffer(VkDeviceSize size, Placement placement) {
  Expected<DeviceBuffer> b = makeBuffer(size, placement);
  if (!b)
    return b.takeStatus();
  buffers.push_back(*b);
  return static_cast<uint32_t>(buffers.size() - 1);
}

Expected<std::pair<uint32_t, std::optional<StagedCopy>>>
Session::Impl::createHostReachable(VkDeviceSize bytes) {
  Expected<uint32_t> device = createBuffer(bytes, Placement::Device);
  if (!device)
    return device.takeStatus();
  if (buffers[*device].mapped && !forceStaging)
    return std::make_pair(*device, std::optional<StagedCopy>());
  Expected<uint32_t> staging = createBuffer(bytes, Placement::Host);
  if (!staging)
    return staging.takeStatus();
  return std::make_pair(*device, std::optional<StagedCopy>(StagedCopy{*device, *staging}));
}

Status Session::Impl::allocateBuffers() {
  const vgf::Model &model = decoded.model;
  std::vector<int> bufferOf(model.resources.size(), -1);
  std::vector<bool> bound(model.resources.size(), false);
  for (const vgf::Segment &segment : model.segments)
    for (const vgf::DescriptorSet &set : segment.descriptorSets)
      for (const vgf::BindingSlot &slot : set.bindings)
        bound[slot.mrtIndex] = true;
  for (const auto *slots : {&model.inputs, &model.outputs})
    for (const vgf::BindingSlot &slot : *slots)
      bound[slot.mrtIndex] = true;

  // Intermediates of one alias group share the largest member's buffer.
  std::map<uint32_t, uint64_t> groupBytes;
  for (size_t i = 0; i < model.resources.size(); ++i) {
    const vgf::Resource &r = model.resources[i];
    if (bound[i] && r.category == vgf::ResourceCategory::Intermediate && r.aliasGroupId != vgf::kUnset)
      groupBytes[r.aliasGroupId] = std::max(groupBytes[r.aliasGroupId], resourceBytes(r));
  }
  std::map<uint32_t, uint32_t> groupBuffer;
  for (auto [group, bytes] : groupBytes) {
    Expected<uint32_t> buffer = createBuffer(bytes, Placement::Device);
    if (!buffer)
      return buffer.takeStatus();
    groupBuffer[group] = *buffer;
  }
  std::vector<const vgf::Constant *> constantOf(model.resources.size(), nullptr);
  for (const vgf::Constant &c : model.constants)
    constantOf[c.mrtIndex] = &c;

  // Inputs and outputs are reached by the host; a staged one is copied in the run.
  std::vector<std::optional<StagedCopy>> stagedOf(model.resources.size());
  std::vector<std::pair<DeviceBuffer, uint32_t>> constantUploads;
  for (size_t i = 0; i < model.resources.size(); ++i) {
    const vgf::Resource &r = model.resources[i];
    if (!bound[i])
      continue;
    if (r.category == vgf::ResourceCategory::Intermediate) {
      Expected<uint32_t> buffer = r.aliasGroupId != vgf::kUnset
                                      ? Expected<uint32_t>(groupBuffer[r.aliasGroupId])
                                      : createBuffer(resourceBytes(r), Placement::Device);
      if (!buffer)
        return buffer.takeStatus();
      bufferOf[i] = static_cast<int>(*buffer);
      continue;
    }
    if (r.category != vgf::ResourceCategory::Constant) {
      auto buffer = createHostReachable(resourceBytes(r));
      if (!buffer)
        return buffer.takeStatus();
      bufferOf[i] = static_cast<int>(buffer->first);
      stagedOf[i] = buffer->second;
      continue;
    }
    const vgf::Constant *c = constantOf[i];
    if (!c || !c->data)
      return invalidFile("resource " + std::to_string(i) +
                         " is a bound CONSTANT without a CONST00 record");
    Expected<uint32_t> buffer = createBuffer(resourceBytes(r), Placement::Device);
    if (!buffer)
      return buffer.takeStatus();
    bufferOf[i] = static_cast<int>(*buffer);
    if (buffers[*buffer].mapped && !forceStaging) {
      std::memcpy(buffers[*buffer].mapped, c->data, c->size);
      continue;
    }
    Expected<DeviceBuffer> staging = makeBuffer(c->size, Placement::Host);
    if (!staging)
      return staging.takeStatus();
    std::memcpy(staging->mapped, c->data, c->size);
    constantUploads.emplace_back(*staging, *buffer);
  }
  KILN_RETURN_IF_ERROR(uploadConstants(constantUploads));

  bindingOf.assign(model.resources.size(), VkDescriptorBufferInfo{VK_NULL_HANDLE, 0, 0});
  for (size_t i = 0; i < model.resources.size(); ++i)
    if (bufferOf[i] >= 0)
      bindingOf[i] = {buffers[bufferOf[i]].buffer, 0, VK_WHOLE_SIZE};
  for (const vgf::BindingSlot &slot : model.inputs) {
    const std::optional<StagedCopy> &staged = stagedOf[slot.mrtIndex];
    inputBuffers.push_back(staged ? static_cast<int>(staged->staging) : bufferOf[slot.mrtIndex]);
    stagedInputs.push_back(staged);
  }
  for (const vgf::BindingSlot &slot : model.outputs) {
    const std::optional<StagedCopy> &staged = stagedOf[slot.mrtIndex];
    outputBuffers.push_back(staged ? static_cast<int>(staged->staging) : bufferOf[slot.mrtIndex]);
    stagedOutputs.push_back(staged);
  }
  return Status::ok();
}

Status Session::Impl::describeInterface() {
  Expected<std::vector<TensorInfo>> in = modelInputs(decoded.model);
  if (!in)
    return in.takeStatus();
  Expected<std::vector<TensorInfo>> out = modelOutputs(decoded.model);
  if (!out)
    return out.takeStatus();
  inputs = std::move(*in);
  outputs = std::move(*out);
  return Status::ok();
}

} // namespace kiln::rt
