//===- Session.cpp - run a Kiln .vgf on a Vulkan device -------------------===//
//
// Load: decode the container, allocate one buffer per model input/output, per bound
// constant (uploaded once) and per intermediate alias group, build one compute
// pipeline per segment (the best module variant the device supports) and record
// one command buffer for the whole model: per segment a timestamp pair around the
// dispatch and a compute-to-compute barrier. Run: submit, wait, read timestamps.
// The execution contract is docs/runtime.md.
//
//===----------------------------------------------------------------------===//

#include "kiln/runtime/Session.h"

#include "Context.h"

#include "kiln/vgf/Decoder.h"
#include "kiln/vgf/KernelDescriptor.h"
#include "kiln/vgf/Metadata.h"

#include <chrono>
#include <cstring>
#include <map>

namespace kiln::rt {
namespace {

using vk::check;

/// Buffers are host-visible and coherent so inputs and outputs are plain copies;
/// device-local memory is preferred when it is also host-visible (integrated GPUs,
/// lavapipe, resizable BAR).
struct Buffer {
  VkBuffer buffer = VK_NULL_HANDLE;
  VkDeviceMemory memory = VK_NULL_HANDLE;
  void *mapped = nullptr;
  VkDeviceSize size = 0;
};

} // namespace

struct Session::Impl {
  std::unique_ptr<vk::Context> context;
  vgf::DecodedVgf decoded;
  std::vector<Buffer> buffers;
  std::vector<int> bufferOf; ///< MRT index -> buffers index, -1 when unbound
  std::vector<TensorInfo> inputs, outputs;
  std::vector<uint32_t> inputBuffers, outputBuffers;
  std::vector<VkShaderModule> shaders;
  std::vector<VkDescriptorSetLayout> setLayouts;
  std::vector<VkPipelineLayout> pipelineLayouts;
  std::vector<VkPipeline> pipelines;
  VkDescriptorPool descriptorPool = VK_NULL_HANDLE;
  std::vector<VkDescriptorSet> sets;
  VkCommandPool commandPool = VK_NULL_HANDLE;
  VkCommandBuffer commands = VK_NULL_HANDLE;
  VkFence fence = VK_NULL_HANDLE;
  VkQueryPool queries = VK_NULL_HANDLE;
  std::vector<SegmentTiming> timings; ///< names, operations and bytes; times per run

  ~Impl();
  Status load();
  Status allocateBuffers();
  Expected<uint32_t> createBuffer(VkDeviceSize size);
  Status buildPipelines();
  Status buildSegment(size_t index);
  Status recordCommands();
  Status describeInterface();
};

Session::Impl::~Impl() {
  if (!context)
    return;
  VkDevice device = context->device();
  vkDeviceWaitIdle(device);
  if (queries)
    vkDestroyQueryPool(device, queries, nullptr);
  if (fence)
    vkDestroyFence(device, fence, nullptr);
  if (commandPool)
    vkDestroyCommandPool(device, commandPool, nullptr);
  if (descriptorPool)
    vkDestroyDescriptorPool(device, descriptorPool, nullptr);
  for (VkPipeline p : pipelines)
    vkDestroyPipeline(device, p, nullptr);
  for (VkPipelineLayout l : pipelineLayouts)
    vkDestroyPipelineLayout(device, l, nullptr);
  for (VkDescriptorSetLayout l : setLayouts)
    vkDestroyDescriptorSetLayout(device, l, nullptr);
  for (VkShaderModule s : shaders)
    if (s)
      vkDestroyShaderModule(device, s, nullptr);
  for (Buffer &b : buffers) {
    vkDestroyBuffer(device, b.buffer, nullptr);
    vkFreeMemory(device, b.memory, nullptr);
  }
}

Expected<uint32_t> Session::Impl::createBuffer(VkDeviceSize size) {
  VkDevice device = context->device();
  Buffer b;
  b.size = std::max<VkDeviceSize>(4, (size + 3) & ~VkDeviceSize(3));
  VkBufferCreateInfo info{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
  info.size = b.size;
  info.usage = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT;
  KILN_RETURN_IF_ERROR(check(vkCreateBuffer(device, &info, nullptr, &b.buffer), "vkCreateBuffer"));
  buffers.push_back(b); // owned from here on, even if a later step fails
  Buffer &owned = buffers.back();
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
    return Status(StatusCode::Unsupported, "out of device memory allocating " +
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
  bufferOf.assign(model.resources.size(), -1);
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
  return Status::ok();
}

Status Session::Impl::buildSegment(size_t index) {
  VkDevice device = context->device();
  const vgf::Model &model = decoded.model;
  const vgf::Segment &segment = model.segments[index];
  std::string where = "segment " + std::to_string(index) + " '" + segment.name + "'";
  if (!segment.pushConstantRanges.empty())
    return unsupported(where + ": push constants are not supported (a VGF carries no "
                               "push-constant values; Kiln's kernels bake their shapes)");
  if (segment.descriptorSets.size() > 1 ||
      (!segment.descriptorSets.empty() && segment.descriptorSets[0].setIndex != 0))
    return unsupported(where + ": Kiln runs compute segments with one descriptor set 0");

  // The module: the segment's own, or the first variant whose features the device has.
  uint32_t moduleIndex = segment.moduleIndex;
  SegmentTiming timing;
  timing.name = segment.name;
  Expected<std::optional<vgf::ByteView>> blob = vgf::segmentMetadata(model, index);
  if (!blob)
    return blob.takeStatus().withContext(where + ": ");
  if (blob->has_value()) {
    Expected<vgf::KernelDescriptor> descriptor =
        vgf::decodeKernelDescriptor((*blob)->data, (*blob)->size);
    if (!descriptor)
      return descriptor.takeStatus().withContext(where + ": ");
    for (const vgf::ModuleVariant &v : descriptor->variants)
      if ((v.requiredFeatures & ~context->features()) == 0 && v.moduleIndex < model.modules.size()) {
        moduleIndex = v.moduleIndex;
        break;
      }
    if (descriptor->kind == vgf::KernelKind::Gemm) {
      const vgf::GemmDesc &g = descriptor->gemm;
      timing.operations = 2ull * g.m * g.n * g.k;
    }
  }

  if (!shaders[moduleIndex]) {
    const vgf::Module &module = model.modules[moduleIndex];
    VkShaderModuleCreateInfo info{VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO};
    info.codeSize = module.spirv.size() * sizeof(uint32_t);
    info.pCode = module.spirv.data();
    KILN_RETURN_IF_ERROR(check(vkCreateShaderModule(device, &info, nullptr, &shaders[moduleIndex]),
                               "vkCreateShaderModule").withContext(where + ": "));
  }

  std::vector<VkDescriptorSetLayoutBinding> layoutBindings;
  std::vector<VkDescriptorBufferInfo> infos;
  const std::vector<vgf::BindingSlot> noBindings;
  const auto &slots = segment.descriptorSets.empty() ? noBindings : segment.descriptorSets[0].bindings;
  infos.reserve(slots.size());
  for (const vgf::BindingSlot &slot : slots) {
    layoutBindings.push_back({slot.binding, VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, 1,
                              VK_SHADER_STAGE_COMPUTE_BIT, nullptr});
    const Buffer &b = buffers[bufferOf[slot.mrtIndex]];
    infos.push_back({b.buffer, 0, VK_WHOLE_SIZE});
    timing.bytes += resourceBytes(model.resources[slot.mrtIndex]);
  }
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
  pipelineInfo.stage.module = shaders[moduleIndex];
  pipelineInfo.stage.pName = model.modules[moduleIndex].entryPoint.c_str();
  pipelineInfo.layout = pipelineLayout;
  VkPipeline pipeline;
  KILN_RETURN_IF_ERROR(check(vkCreateComputePipelines(device, context->pipelineCache(), 1,
                                                      &pipelineInfo, nullptr, &pipeline),
                             "vkCreateComputePipelines").withContext(where + ": "));
  pipelines.push_back(pipeline);

  VkDescriptorSetAllocateInfo allocInfo{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO};
  allocInfo.descriptorPool = descriptorPool;
  allocInfo.descriptorSetCount = 1;
  allocInfo.pSetLayouts = &setLayout;
  VkDescriptorSet set;
  KILN_RETURN_IF_ERROR(check(vkAllocateDescriptorSets(device, &allocInfo, &set), "vkAllocateDescriptorSets"));
  sets.push_back(set);
  std::vector<VkWriteDescriptorSet> writes;
  for (size_t i = 0; i < slots.size(); ++i) {
    VkWriteDescriptorSet write{VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET};
    write.dstSet = set;
    write.dstBinding = slots[i].binding;
    write.descriptorCount = 1;
    write.descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
    write.pBufferInfo = &infos[i];
    writes.push_back(write);
  }
  vkUpdateDescriptorSets(device, static_cast<uint32_t>(writes.size()), writes.data(), 0, nullptr);
  timings.push_back(timing);
  return Status::ok();
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
  return Status::ok();
}

Status Session::Impl::recordCommands() {
  VkDevice device = context->device();
  VkCommandPoolCreateInfo poolInfo{VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
  poolInfo.queueFamilyIndex = context->queueFamily();
  KILN_RETURN_IF_ERROR(check(vkCreateCommandPool(device, &poolInfo, nullptr, &commandPool), "vkCreateCommandPool"));
  VkCommandBufferAllocateInfo allocInfo{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
  allocInfo.commandPool = commandPool;
  allocInfo.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
  allocInfo.commandBufferCount = 1;
  KILN_RETURN_IF_ERROR(check(vkAllocateCommandBuffers(device, &allocInfo, &commands), "vkAllocateCommandBuffers"));
  VkFenceCreateInfo fenceInfo{VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
  KILN_RETURN_IF_ERROR(check(vkCreateFence(device, &fenceInfo, nullptr, &fence), "vkCreateFence"));
  const auto &segments = decoded.model.segments;
  bool timestamps = context->timestampsSupported() && !segments.empty();
  if (timestamps) {
    VkQueryPoolCreateInfo queryInfo{VK_STRUCTURE_TYPE_QUERY_POOL_CREATE_INFO};
    queryInfo.queryType = VK_QUERY_TYPE_TIMESTAMP;
    queryInfo.queryCount = static_cast<uint32_t>(2 * segments.size());
    KILN_RETURN_IF_ERROR(check(vkCreateQueryPool(device, &queryInfo, nullptr, &queries), "vkCreateQueryPool"));
  }

  VkCommandBufferBeginInfo begin{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
  KILN_RETURN_IF_ERROR(check(vkBeginCommandBuffer(commands, &begin), "vkBeginCommandBuffer"));
  if (timestamps)
    vkCmdResetQueryPool(commands, queries, 0, static_cast<uint32_t>(2 * segments.size()));
  // Each dispatch's writes are visible to the next one's reads and writes (buffers of
  // an alias group are rewritten by later segments).
  VkMemoryBarrier between{VK_STRUCTURE_TYPE_MEMORY_BARRIER};
  between.srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_SHADER_READ_BIT;
  between.dstAccessMask = VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT;
  for (size_t i = 0; i < segments.size(); ++i) {
    const vgf::Segment &segment = segments[i];
    vkCmdBindPipeline(commands, VK_PIPELINE_BIND_POINT_COMPUTE, pipelines[i]);
    vkCmdBindDescriptorSets(commands, VK_PIPELINE_BIND_POINT_COMPUTE, pipelineLayouts[i], 0, 1,
                            &sets[i], 0, nullptr);
    if (timestamps)
      vkCmdWriteTimestamp(commands, VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT, queries, 2 * i);
    vkCmdDispatch(commands, segment.dispatchShape[0], segment.dispatchShape[1],
                  segment.dispatchShape[2]);
    if (timestamps)
      vkCmdWriteTimestamp(commands, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, queries, 2 * i + 1);
    if (i + 1 < segments.size())
      vkCmdPipelineBarrier(commands, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT,
                           VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, 0, 1, &between, 0, nullptr, 0,
                           nullptr);
  }
  VkMemoryBarrier toHost{VK_STRUCTURE_TYPE_MEMORY_BARRIER};
  toHost.srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT;
  toHost.dstAccessMask = VK_ACCESS_HOST_READ_BIT;
  vkCmdPipelineBarrier(commands, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, VK_PIPELINE_STAGE_HOST_BIT,
                       0, 1, &toHost, 0, nullptr, 0, nullptr);
  return check(vkEndCommandBuffer(commands), "vkEndCommandBuffer");
}

Status Session::Impl::describeInterface() {
  const vgf::Model &model = decoded.model;
  Expected<std::vector<TensorInfo>> in = modelInputs(model);
  if (!in)
    return in.takeStatus();
  Expected<std::vector<TensorInfo>> out = modelOutputs(model);
  if (!out)
    return out.takeStatus();
  inputs = std::move(*in);
  outputs = std::move(*out);
  for (const vgf::BindingSlot &slot : model.inputs)
    inputBuffers.push_back(static_cast<uint32_t>(bufferOf[slot.mrtIndex]));
  for (const vgf::BindingSlot &slot : model.outputs)
    outputBuffers.push_back(static_cast<uint32_t>(bufferOf[slot.mrtIndex]));
  return Status::ok();
}

Status Session::Impl::load() {
  for (size_t i = 0; i < decoded.model.segments.size(); ++i)
    if (!decoded.model.segments[i].pushConstantRanges.empty())
      return unsupported("segment " + std::to_string(i) + " '" + decoded.model.segments[i].name +
                         "': push constants are not supported (a VGF carries no push-constant "
                         "values; Kiln's kernels bake their shapes)");
  KILN_RETURN_IF_ERROR(allocateBuffers());
  KILN_RETURN_IF_ERROR(describeInterface());
  KILN_RETURN_IF_ERROR(buildPipelines());
  KILN_RETURN_IF_ERROR(recordCommands());
  std::string validation = context->takeValidationError();
  if (!validation.empty())
    return internalError("Vulkan validation error while loading: " + validation);
  return Status::ok();
}

Session::Session(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Session::~Session() = default;

namespace {

Expected<std::unique_ptr<Session::Impl>> openDecoded(Expected<vgf::DecodedVgf> decoded,
                                                     const DeviceOptions &options) {
  if (!decoded)
    return decoded.takeStatus();
  auto impl = std::make_unique<Session::Impl>();
  impl->decoded = std::move(*decoded);
  Expected<std::unique_ptr<vk::Context>> context = vk::Context::create(options);
  if (!context)
    return context.takeStatus();
  impl->context = std::move(*context);
  KILN_RETURN_IF_ERROR(impl->load());
  return impl;
}

} // namespace

Expected<std::unique_ptr<Session>> Session::open(const std::string &path,
                                                 const DeviceOptions &options) {
  Expected<std::unique_ptr<Impl>> impl = openDecoded(vgf::decodeVgfFile(path), options);
  if (!impl)
    return impl.takeStatus().withContext(path + ": ");
  return std::unique_ptr<Session>(new Session(std::move(*impl)));
}

Expected<std::unique_ptr<Session>> Session::openBytes(const std::vector<uint8_t> &bytes,
                                                      const DeviceOptions &options) {
  // The decoder needs 8-byte alignment; the copy also outlives the caller's vector.
  auto words = std::make_shared<std::vector<uint64_t>>((bytes.size() + 7) / 8);
  std::memcpy(words->data(), bytes.data(), bytes.size());
  Expected<std::unique_ptr<Impl>> impl = openDecoded(
      vgf::decodeVgf(reinterpret_cast<const uint8_t *>(words->data()), bytes.size(), words),
      options);
  if (!impl)
    return impl.takeStatus();
  return std::unique_ptr<Session>(new Session(std::move(*impl)));
}

const std::vector<TensorInfo> &Session::inputs() const { return impl_->inputs; }
const std::vector<TensorInfo> &Session::outputs() const { return impl_->outputs; }
const std::string &Session::deviceName() const { return impl_->context->deviceName(); }

Status Session::setInput(size_t index, const void *data, size_t size) {
  if (index >= impl_->inputs.size())
    return invalidArgument("input " + std::to_string(index) + " out of range: the model has " +
                           std::to_string(impl_->inputs.size()) + " input(s)");
  const TensorInfo &info = impl_->inputs[index];
  if (size != info.byteSize)
    return invalidArgument("input " + std::to_string(index) + " '" + info.name + "': expected " +
                           std::to_string(info.byteSize) + " bytes, got " + std::to_string(size));
  std::memcpy(impl_->buffers[impl_->inputBuffers[index]].mapped, data, size);
  return Status::ok();
}

Status Session::readOutput(size_t index, void *data, size_t size) const {
  if (index >= impl_->outputs.size())
    return invalidArgument("output " + std::to_string(index) + " out of range: the model has " +
                           std::to_string(impl_->outputs.size()) + " output(s)");
  const TensorInfo &info = impl_->outputs[index];
  if (size != info.byteSize)
    return invalidArgument("output " + std::to_string(index) + " '" + info.name + "': expected " +
                           std::to_string(info.byteSize) + " bytes, got " + std::to_string(size));
  std::memcpy(data, impl_->buffers[impl_->outputBuffers[index]].mapped, size);
  return Status::ok();
}

Status Session::run(RunStats *stats) {
  Impl &impl = *impl_;
  VkDevice device = impl.context->device();
  VkSubmitInfo submit{VK_STRUCTURE_TYPE_SUBMIT_INFO};
  submit.commandBufferCount = 1;
  submit.pCommandBuffers = &impl.commands;
  auto start = std::chrono::steady_clock::now();
  KILN_RETURN_IF_ERROR(check(vkQueueSubmit(impl.context->queue(), 1, &submit, impl.fence), "vkQueueSubmit"));
  VkResult waited = vkWaitForFences(device, 1, &impl.fence, VK_TRUE, UINT64_MAX);
  if (waited == VK_ERROR_DEVICE_LOST)
    return internalError("Vulkan device '" + impl.context->deviceName() + "' was lost while running");
  KILN_RETURN_IF_ERROR(check(waited, "vkWaitForFences"));
  auto end = std::chrono::steady_clock::now();
  KILN_RETURN_IF_ERROR(check(vkResetFences(device, 1, &impl.fence), "vkResetFences"));
  std::string validation = impl.context->takeValidationError();
  if (!validation.empty())
    return internalError("Vulkan validation error: " + validation);
  if (!stats)
    return Status::ok();
  stats->wallMicroseconds = std::chrono::duration<double, std::micro>(end - start).count();
  stats->segments = impl.timings;
  if (impl.queries) {
    std::vector<uint64_t> ticks(2 * impl.timings.size());
    KILN_RETURN_IF_ERROR(check(vkGetQueryPoolResults(device, impl.queries, 0,
                                                     static_cast<uint32_t>(ticks.size()),
                                                     ticks.size() * sizeof(uint64_t), ticks.data(),
                                                     sizeof(uint64_t),
                                                     VK_QUERY_RESULT_64_BIT | VK_QUERY_RESULT_WAIT_BIT),
                               "vkGetQueryPoolResults"));
    for (size_t i = 0; i < stats->segments.size(); ++i)
      stats->segments[i].microseconds =
          double(ticks[2 * i + 1] - ticks[2 * i]) * impl.context->timestampPeriodNs() / 1000.0;
  }
  return Status::ok();
}

} // namespace kiln::rt
