#pragma once
/// The Vulkan instance, the chosen physical device and the logical device with the
/// features Kiln's kernels use (internal to the Vulkan backend).

#include "kiln/runtime/Session.h"

#include <vulkan/vulkan.h>

#include <string>
#include <vector>

namespace kiln::rt::vk {

/// Turns a VkResult into a Status naming the call.
Status check(VkResult result, const char *what);

class Context {
public:
  static Expected<std::unique_ptr<Context>> create(const DeviceOptions &options);
  ~Context();

  VkDevice device() const { return device_; }
  VkPhysicalDevice physicalDevice() const { return physical_; }
  VkQueue queue() const { return queue_; }
  uint32_t queueFamily() const { return queueFamily_; }
  const std::string &deviceName() const { return deviceName_; }
  /// The kiln/vgf KernelFeature bits this device has (and that are enabled).
  uint32_t features() const { return features_; }
  double timestampPeriodNs() const { return timestampPeriodNs_; }
  bool timestampsSupported() const { return timestampsSupported_; }
  VkPipelineCache pipelineCache() const { return pipelineCache_; }
  /// A memory type with `required` flags among `typeBits`, preferring `preferred`.
  Expected<uint32_t> memoryType(uint32_t typeBits, VkMemoryPropertyFlags required,
                                VkMemoryPropertyFlags preferred) const;
  /// The first validation error reported since the last call, and clears it.
  std::string takeValidationError();
  /// Writes the pipeline cache to disk (atomically) when a cache directory is set.
  Status savePipelineCache() const;

private:
  Context() = default;
  Status createInstance(bool validation);
  Status pickPhysicalDevice(const std::string &selector);
  Status createDevice();
  void loadPipelineCache(const std::string &directory);

  VkInstance instance_ = VK_NULL_HANDLE;
  VkDebugUtilsMessengerEXT messenger_ = VK_NULL_HANDLE;
  VkPhysicalDevice physical_ = VK_NULL_HANDLE;
  VkDevice device_ = VK_NULL_HANDLE;
  VkQueue queue_ = VK_NULL_HANDLE;
  uint32_t queueFamily_ = 0;
  std::string deviceName_;
  uint32_t features_ = 0;
  double timestampPeriodNs_ = 1;
  bool timestampsSupported_ = false;
  VkPipelineCache pipelineCache_ = VK_NULL_HANDLE;
  std::string pipelineCachePath_;
  std::string firstValidationError_;
};

} // namespace kiln::rt::vk
