#pragma once
/// Embedding Kiln in an application's own Vulkan pipeline: open a model on the
/// application's instance, device and queue, and bind the application's buffers as
/// model inputs and outputs so that no copy goes through host memory. Include this
/// header only where vulkan.h is wanted; kiln/runtime/Session.h stays Vulkan-free.
/// Rules (docs/runtime.md, "Interop"):
///   - Kiln never destroys the adopted handles; they must outlive the Session.
///   - Session::run() submits to `queue` and waits on its own fence; the application
///     must not use the queue from another thread meanwhile (Vulkan's external
///     synchronization rule for vkQueueSubmit).
///   - Work the application submitted earlier to the same queue is ordered before the
///     model by a full memory barrier at the start of Kiln's command buffer; a bound
///     output is available to commands submitted after run() returns.
///   - recordInto() puts the same commands, barriers included, into the application's
///     own command buffer instead, between its own commands; the application submits
///     and waits.

#include "kiln/runtime/Session.h"

#include <vulkan/vulkan.h>

namespace kiln::rt {

/// The application's Vulkan objects. The device must be Vulkan 1.2 or newer.
struct VulkanDevice {
  VkInstance instance = VK_NULL_HANDLE;
  VkPhysicalDevice physicalDevice = VK_NULL_HANDLE;
  VkDevice device = VK_NULL_HANDLE;
  VkQueue queue = VK_NULL_HANDLE; ///< supports compute
  uint32_t queueFamily = 0;
  /// The VkDeviceCreateInfo::pNext chain (and pEnabledFeatures, if used) the device
  /// was created with: Kiln reads which features are enabled from it (shaderInt8,
  /// storageBuffer8BitAccess, ...) to pick module variants and to reject a module
  /// that needs a disabled feature. Only read during open.
  const void *enabledFeatureChain = nullptr;
  const VkPhysicalDeviceFeatures *enabledFeatures = nullptr;
};

/// Opens a `.vgf` file on the application's device. Of `options`, `pipelineCacheDir`
/// is used, and `validation` installs a debug messenger on `device.instance` (the
/// application must have enabled VK_LAYER_KHRONOS_validation and VK_EXT_debug_utils);
/// `device` selection is ignored.
Expected<std::unique_ptr<Session>> openOnDevice(const std::string &path, const VulkanDevice &device,
                                                const DeviceOptions &options = {});
/// Same, from an in-memory container (copied).
Expected<std::unique_ptr<Session>> openBytesOnDevice(const std::vector<uint8_t> &bytes,
                                                     const VulkanDevice &device,
                                                     const DeviceOptions &options = {});

/// Binds the application's storage buffer (created with VK_BUFFER_USAGE_STORAGE_BUFFER_BIT
/// on the session's device) to input `index`, from `offset` for inputs()[index].byteSize
/// bytes. From then on the model reads it directly and Session::setInput for that
/// input is an error. The buffer must outlive its use by run().
Status bindInputBuffer(Session &session, size_t index, VkBuffer buffer, VkDeviceSize offset = 0);
/// The same for output `index`; Session::readOutput for it is then an error.
Status bindOutputBuffer(Session &session, size_t index, VkBuffer buffer, VkDeviceSize offset = 0);

/// Records the whole model into the application's command buffer `commands`, which
/// must be in the recording state and be submitted to a queue of the session's queue
/// family: the copies of staged inputs, a barrier ordering every earlier write
/// (the application's commands before it in the same buffer or queue) before the
/// model's reads, the dispatches with their barriers, the copies of staged outputs,
/// and a barrier making the outputs visible to every later command and to the host.
/// No timestamps are written (Session::run's statistics stay those of its own runs).
/// The recorded commands use the session's descriptor sets and buffers, so:
///   - binding a buffer (bindInputBuffer/bindOutputBuffer) after recording
///     invalidates `commands` (re-record it);
///   - the session must outlive the execution of `commands`, and neither run() nor
///     another recorded copy of the model may execute at the same time (they share the
///     intermediate buffers);
///   - inputs set with setInput must be set before `commands` is submitted, and
///     readOutput is valid once it has completed.
Status recordInto(Session &session, VkCommandBuffer commands);

} // namespace kiln::rt
