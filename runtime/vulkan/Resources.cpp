//===- Resources.cpp - the buffers of a Vulkan session --------------------===//
//
// One storage buffer per model input and output, per bound CONSTANT (uploaded once
// at load: Kiln's documented divergence from Arm's VGF, docs/vgf.md section 3.2) and
// per INTERMEDIATE alias group (sized for its largest member, the compiler's memory
// plan); an intermediate without a group gets its own buffer.
//
//===----------------------------------------------------------------------===//

#include "SessionImpl.h"

#include "kiln/runtime/Interface.h"

#include <algorithm>
#include <cstring>
#include <map>

namespace kiln::rt {

using vk::check;

Expected<uint32_t> Session::Impl::createBuffer(VkDeviceSize size) {
  VkDevice device = context->device();
  DeviceBuffer b;
  // Vulkan forbids zero-sized buffers, and 4-byte multiples keep whole-word shader
  // accesses to the last element in range.
  b.size = std::max<VkDeviceSize>(4, (size + 3) & ~VkDeviceSize(3));
  VkBufferCreateInfo info{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
  info.size = b.size;
  info.usage = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT;
  KILN_RETURN_IF_ERROR(check(vkCreateBuffer(device, &info, nullptr, &b.buffer), "vkCreateBuffer"));
  buffers.push_back(b); // owned from here on, even if a later step fails
  DeviceBuffer &owned = buffers.back();
  VkMemoryRequirements req;
  vkGetBufferMemoryRequirements(device, owned.buffer, &req);
  Expected<uint32_t> type = context->memoryType(
      req.memoryTypeBits, VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT,
      VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT);
  if (!type)
    return type.takeStatus();
  VkMemoryAllocateInfo alloc{VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO};
  alloc.allocationSize = req.size;
  alloc.memoryTypeIndex = *type;
  VkResult result = vkAllocateMemory(device, &alloc, nullptr, &owned.memory);
  if (result == VK_ERROR_OUT_OF_DEVICE_MEMORY || result == VK_ERROR_OUT_OF_HOST_MEMORY)
    return Status(StatusCode::OutOfMemory, "out of device memory allocating " +
                                               std::to_string(size) + " bytes on '" +
                                               context->deviceName() + "'");
  KILN_RETURN_IF_ERROR(check(result, "vkAllocateMemory"));
  KILN_RETURN_IF_ERROR(check(vkBindBufferMemory(device, owned.buffer, owned.memory, 0),
                             "vkBindBufferMemory"));
  KILN_RETURN_IF_ERROR(check(vkMapMemory(device, owned.memory, 0, VK_WHOLE_SIZE, 0, &owned.mapped),
                             "vkMapMemory"));
  return static_cast<uint32_t>(buffers.size() - 1);
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
    Expected<uint32_t> buffer = createBuffer(bytes);
    if (!buffer)
      return buffer.takeStatus();
    groupBuffer[group] = *buffer;
  }
  std::vector<const vgf::Constant *> constantOf(model.resources.size(), nullptr);
  for (const vgf::Constant &c : model.constants)
    constantOf[c.mrtIndex] = &c;

  for (size_t i = 0; i < model.resources.size(); ++i) {
    const vgf::Resource &r = model.resources[i];
    if (!bound[i])
      continue;
    if (r.category == vgf::ResourceCategory::Intermediate && r.aliasGroupId != vgf::kUnset) {
      bufferOf[i] = static_cast<int>(groupBuffer[r.aliasGroupId]);
      continue;
    }
    Expected<uint32_t> buffer = createBuffer(resourceBytes(r));
    if (!buffer)
      return buffer.takeStatus();
    bufferOf[i] = static_cast<int>(*buffer);
    if (r.category == vgf::ResourceCategory::Constant) {
      const vgf::Constant *c = constantOf[i];
      if (!c || !c->data)
        return invalidFile("resource " + std::to_string(i) +
                           " is a bound CONSTANT without a CONST00 record");
      std::memcpy(buffers[*buffer].mapped, c->data, c->size);
    }
  }

  bindingOf.assign(model.resources.size(), VkDescriptorBufferInfo{VK_NULL_HANDLE, 0, 0});
  for (size_t i = 0; i < model.resources.size(); ++i)
    if (bufferOf[i] >= 0)
      bindingOf[i] = {buffers[bufferOf[i]].buffer, 0, VK_WHOLE_SIZE};
  for (const vgf::BindingSlot &slot : model.inputs)
    inputBuffers.push_back(bufferOf[slot.mrtIndex]);
  for (const vgf::BindingSlot &slot : model.outputs)
    outputBuffers.push_back(bufferOf[slot.mrtIndex]);
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
