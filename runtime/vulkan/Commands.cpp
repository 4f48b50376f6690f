//===- Commands.cpp - the command buffer that runs a whole model ----------===//
//
// One primary command buffer, recorded once and resubmitted by every run (the same
// sequence, without the timestamps, goes into an application's command buffer through
// kiln::rt::recordInto):
//   copies   staging -> device for staged inputs
//   barrier  earlier work on the queue (those copies, the application's shaders) and
//            host writes -> this model's shader reads and writes
//   per segment: bind, timestamp, dispatch, timestamp, compute -> compute barrier
//   copies   device -> staging for staged outputs (after a compute -> transfer barrier)
//   barrier  shader and transfer writes -> host reads and any later command on the queue
// It is re-recorded only after a descriptor set changed (an application buffer bound).
//
//===----------------------------------------------------------------------===//

#include "SessionImpl.h"

#include <algorithm>

namespace kiln::rt {

using vk::check;

Status Session::Impl::createCommandObjects() {
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
  if (context->timestampValidBits() > 0 && !segments.empty()) {
    VkQueryPoolCreateInfo queryInfo{VK_STRUCTURE_TYPE_QUERY_POOL_CREATE_INFO};
    queryInfo.queryType = VK_QUERY_TYPE_TIMESTAMP;
    queryInfo.queryCount = static_cast<uint32_t>(2 * segments.size());
    KILN_RETURN_IF_ERROR(check(vkCreateQueryPool(device, &queryInfo, nullptr, &queries), "vkCreateQueryPool"));
  }
  return Status::ok();
}

void Session::Impl::copy(VkCommandBuffer cmd, uint32_t from, uint32_t to) {
  VkBufferCopy region{0, 0, std::min(buffers[from].size, buffers[to].size)};
  vkCmdCopyBuffer(cmd, buffers[from].buffer, buffers[to].buffer, 1, &region);
}

Status Session::Impl::submitAndWait() {
  if (deviceLost)
    return Status(StatusCode::DeviceLost, "Vulkan device '" + context->deviceName() +
                                              "' was lost earlier; this session cannot run "
                                              "again: open a new one");
  VkSubmitInfo submit{VK_STRUCTURE_TYPE_SUBMIT_INFO};
  submit.commandBufferCount = 1;
  submit.pCommandBuffers = &commands;
  Status status = check(vkQueueSubmit(context->queue(), 1, &submit, fence), "vkQueueSubmit");
  if (status)
    status = check(vkWaitForFences(context->device(), 1, &fence, VK_TRUE, UINT64_MAX), "vkWaitForFences");
  if (status)
    return check(vkResetFences(context->device(), 1, &fence), "vkResetFences");
  // A lost device stays lost (Vulkan spec, "Lost Device"): every later run fails fast
  // instead of submitting again. The session can still be destroyed.
  if (status.code() == StatusCode::DeviceLost) {
    deviceLost = true;
    return Status(StatusCode::DeviceLost, "Vulkan device '" + context->deviceName() +
                                              "' was lost while running (" + status.message() + ")");
  }
  return status;
}

Status Session::Impl::uploadConstants(std::vector<std::pair<DeviceBuffer, uint32_t>> &staged) {
  if (staged.empty())
    return Status::ok();
  auto upload = [&]() -> Status {
    KILN_RETURN_IF_ERROR(check(vkResetCommandPool(context->device(), commandPool, 0), "vkResetCommandPool"));
    VkCommandBufferBeginInfo begin{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
    begin.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
    KILN_RETURN_IF_ERROR(check(vkBeginCommandBuffer(commands, &begin), "vkBeginCommandBuffer"));
    for (auto &[staging, device] : staged) {
      VkBufferCopy region{0, 0, std::min(staging.size, buffers[device].size)};
      vkCmdCopyBuffer(commands, staging.buffer, buffers[device].buffer, 1, &region);
    }
    // The run's leading barrier (all commands' writes -> shader reads) orders these
    // copies before the first dispatch; the fence below only frees the staging memory.
    KILN_RETURN_IF_ERROR(check(vkEndCommandBuffer(commands), "vkEndCommandBuffer"));
    return submitAndWait();
  };
  Status status = upload();
  for (auto &entry : staged)
    destroyBuffer(entry.first);
  staged.clear();
  return status;
}

Status Session::Impl::recordCommands() {
  KILN_RETURN_IF_ERROR(check(vkResetCommandPool(context->device(), commandPool, 0), "vkResetCommandPool"));
  VkCommandBufferBeginInfo begin{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
  KILN_RETURN_IF_ERROR(check(vkBeginCommandBuffer(commands, &begin), "vkBeginCommandBuffer"));
  recordModel(commands, queries);
  KILN_RETURN_IF_ERROR(check(vkEndCommandBuffer(commands), "vkEndCommandBuffer"));
  commandsRecorded = true;
  return Status::ok();
}

void Session::Impl::recordModel(VkCommandBuffer cmd, VkQueryPool timestamps) {
  const auto &segments = decoded.model.segments;
  if (timestamps)
    vkCmdResetQueryPool(cmd, timestamps, 0, static_cast<uint32_t>(2 * segments.size()));
  for (const std::optional<StagedCopy> &staged : stagedInputs)
    if (staged)
      copy(cmd, staged->staging, staged->device);

  // Host writes are made visible by the submission itself; this barrier covers device
  // writes submitted earlier to the same queue (an application filling a bound input).
  VkMemoryBarrier before{VK_STRUCTURE_TYPE_MEMORY_BARRIER};
  before.srcAccessMask = VK_ACCESS_MEMORY_WRITE_BIT;
  before.dstAccessMask = VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT;
  vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_ALL_COMMANDS_BIT,
                       VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, 0, 1, &before, 0, nullptr, 0, nullptr);

  // Each dispatch's writes are visible to the next one's reads and writes (buffers of
  // an alias group are rewritten by later segments: write-after-read as well).
  VkMemoryBarrier between{VK_STRUCTURE_TYPE_MEMORY_BARRIER};
  between.srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_SHADER_READ_BIT;
  between.dstAccessMask = VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT;
  for (size_t i = 0; i < segments.size(); ++i) {
    const vgf::Segment &segment = segments[i];
    size_t p = pipelineOf[i];
    vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_COMPUTE, pipelines[p]);
    vkCmdBindDescriptorSets(cmd, VK_PIPELINE_BIND_POINT_COMPUTE, pipelineLayouts[p], 0, 1,
                            &sets[i], 0, nullptr);
    // Both timestamps wait for earlier compute work: a top-of-pipe start could be
    // written while the previous dispatch still runs and count its tail.
    if (timestamps)
      vkCmdWriteTimestamp(cmd, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, timestamps, 2 * i);
    vkCmdDispatch(cmd, segment.dispatchShape[0], segment.dispatchShape[1],
                  segment.dispatchShape[2]);
    if (timestamps)
      vkCmdWriteTimestamp(cmd, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, timestamps, 2 * i + 1);
    if (i + 1 < segments.size())
      vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT,
                           VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, 0, 1, &between, 0, nullptr, 0,
                           nullptr);
  }
  bool stagedOutput = false;
  for (const std::optional<StagedCopy> &staged : stagedOutputs)
    stagedOutput |= staged.has_value();
  if (stagedOutput) {
    VkMemoryBarrier toTransfer{VK_STRUCTURE_TYPE_MEMORY_BARRIER};
    toTransfer.srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT;
    toTransfer.dstAccessMask = VK_ACCESS_TRANSFER_READ_BIT;
    vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT,
                         VK_PIPELINE_STAGE_TRANSFER_BIT, 0, 1, &toTransfer, 0, nullptr, 0, nullptr);
    for (const std::optional<StagedCopy> &staged : stagedOutputs)
      if (staged)
        copy(cmd, staged->device, staged->staging);
  }
  // Outputs are read by the host (readOutput after the fence) or by the application's
  // later commands on the queue (bound output buffers).
  VkMemoryBarrier after{VK_STRUCTURE_TYPE_MEMORY_BARRIER};
  after.srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_WRITE_BIT;
  after.dstAccessMask = VK_ACCESS_HOST_READ_BIT | VK_ACCESS_MEMORY_READ_BIT;
  vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT,
                       VK_PIPELINE_STAGE_HOST_BIT | VK_PIPELINE_STAGE_ALL_COMMANDS_BIT, 0, 1, &after,
                       0, nullptr, 0, nullptr);
}

} // namespace kiln::rt
