//===- Interop.cpp - sessions on an application's Vulkan device -----------===//
//
// The entry points of kiln/runtime/VulkanInterop.h: open on adopted handles, point a
// model input or output at an application buffer by rewriting the descriptors that
// reference its MRT entry (the command buffer is re-recorded), and record the model
// into an application's command buffer.
//
//===----------------------------------------------------------------------===//

#include "kiln/runtime/VulkanInterop.h"

#include "SessionImpl.h"

namespace kiln::rt {
namespace {

Status bindBuffer(Session &session, size_t index, VkBuffer buffer, VkDeviceSize offset,
                  bool input) {
  Session::Impl &impl = SessionAccess::impl(session);
  const char *kind = input ? "input" : "output";
  const std::vector<TensorInfo> &infos = input ? impl.inputs : impl.outputs;
  if (index >= infos.size())
    return invalidArgument(std::string(kind) + " " + std::to_string(index) +
                           " out of range: the model has " + std::to_string(infos.size()) + " " +
                           kind + "(s)");
  std::string label = std::string(kind) + " " + std::to_string(index) + " '" + infos[index].name + "'";
  if (buffer == VK_NULL_HANDLE)
    return invalidArgument(label + ": the VkBuffer is VK_NULL_HANDLE");
  VkDeviceSize alignment = impl.context->limits().minStorageBufferOffsetAlignment;
  if (offset % alignment != 0)
    return invalidArgument(label + ": offset " + std::to_string(offset) +
                           " is not a multiple of minStorageBufferOffsetAlignment (" +
                           std::to_string(alignment) + ")");
  const vgf::BindingSlot &slot = (input ? impl.decoded.model.inputs : impl.decoded.model.outputs)[index];
  // Session::Impl::run() never runs concurrently with this (a Session is not thread-safe),
  // and the previous run's fence was waited for, so the sets are not in use.
  impl.bindingOf[slot.mrtIndex] = {buffer, offset, infos[index].byteSize};
  (input ? impl.inputBuffers : impl.outputBuffers)[index] = -1;
  (input ? impl.stagedInputs : impl.stagedOutputs)[index].reset();
  impl.writeDescriptors();
  return Status::ok();
}

} // namespace

Expected<std::unique_ptr<Session>> openOnDevice(const std::string &path, const VulkanDevice &device,
                                                const DeviceOptions &options) {
  Expected<vgf::DecodedVgf> decoded = vgf::decodeVgfFile(path);
  if (!decoded)
    return decoded.takeStatus();
  Expected<std::unique_ptr<Session::Impl>> impl =
      openSession(std::move(decoded), vk::Context::adopt(device, options));
  if (!impl)
    return impl.takeStatus().withContext(path + ": ");
  return SessionAccess::wrap(std::move(*impl));
}

Expected<std::unique_ptr<Session>> openBytesOnDevice(const std::vector<uint8_t> &bytes,
                                                     const VulkanDevice &device,
                                                     const DeviceOptions &options) {
  Expected<vgf::DecodedVgf> decoded = vgf::decodeVgfCopy(bytes.data(), bytes.size());
  if (!decoded)
    return decoded.takeStatus();
  Expected<std::unique_ptr<Session::Impl>> impl =
      openSession(std::move(decoded), vk::Context::adopt(device, options));
  if (!impl)
    return impl.takeStatus();
  return SessionAccess::wrap(std::move(*impl));
}

Status bindInputBuffer(Session &session, size_t index, VkBuffer buffer, VkDeviceSize offset) {
  return bindBuffer(session, index, buffer, offset, true);
}

Status bindOutputBuffer(Session &session, size_t index, VkBuffer buffer, VkDeviceSize offset) {
  return bindBuffer(session, index, buffer, offset, false);
}

Status recordInto(Session &session, VkCommandBuffer commands) {
  if (commands == VK_NULL_HANDLE)
    return invalidArgument("recordInto: the VkCommandBuffer is VK_NULL_HANDLE");
  SessionAccess::impl(session).recordModel(commands, VK_NULL_HANDLE);
  return Status::ok();
}

} // namespace kiln::rt
