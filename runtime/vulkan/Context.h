#pragma once
/// The Vulkan instance, the chosen physical device and the logical device with the
/// features Kiln's kernels use (internal to the Vulkan backend). Either Kiln creates
/// them, or it adopts an application's (VulkanInterop.h) and never destroys those.

#include "kiln/runtime/Session.h"
#include "kiln/runtime/VulkanInterop.h"

#include <vulkan/vulkan.h>

#include <string>
#include <vector>

namespace kiln::rt::vk {

/// Turns a VkResult into a Status naming the call.
Status check(VkResult result, const char *what);

class Context {
public:
  static Expected<std::unique_ptr<Context>> create(const DeviceOptions &options);
  static Expected<std::unique_ptr<Context>> adopt(const VulkanDevice &device,
                                                  const DeviceOptions &options);
  ~Context();

  VkDevice device() const { return device_; }
  VkPhysicalDevice physicalDevice() const { return physical_; }
  VkQueue queue() const { return queue_; }
  uint32_t queueFamily() const { return queueFamily_; }
  const std::string &deviceName() const { return deviceName_; }
  /// The DeviceFeature bits (Features.h) enabled on the device.
  uint32_t features() const { return features_; }
  const VkPhysicalDeviceLimits &limits() const { return limits_; }
  /// Bits of a timestamp on the queue (0: no timestamps); counters wrap at 2^bits.
  uint32_t timestampValidBits() const { return timestampValidBits_; }
  VkPipelineCache pipelineCache() const { return pipelineCache_; }
  /// A memory type with `required` flags among `typeBits`, preferring `preferred`.
  Expected<uint32_t> memoryType(uint32_t typeBits, VkMemoryPropertyFlags required,
                                VkMemoryPropertyFlags preferred) const;
  /// The first validation error reported since the last call (with the number of
  /// errors when there were several), and clears it; empty when there was none.
  std::string takeValidationError();
  /// Writes the pipeline cache to disk (atomically) when a cache directory is set.
  Status savePipelineCache() const;

  /// What the debug messenger collects.
  struct ValidationLog {
    std::string first;
    uint32_t errors = 0;
  };

private:
  Context() = default;
  Status createInstance(bool validation);
  Status installMessenger();
  Status pickPhysicalDevice(const std::string &selector);
  /// Name, limits and API version of `physical_`; rejects devices below Vulkan 1.2.
  Status describePhysicalDevice();
  /// The first compute queue family of `physical_`, or checks `family` when adopting.
  Status chooseQueueFamily(int family);
  Status createDevice();
  void loadPipelineCache(const std::string &directory);

  bool owned_ = true; ///< false: the instance and device belong to the application
  VkInstance instance_ = VK_NULL_HANDLE;
  VkDebugUtilsMessengerEXT messenger_ = VK_NULL_HANDLE;
  VkPhysicalDevice physical_ = VK_NULL_HANDLE;
  VkDevice device_ = VK_NULL_HANDLE;
  VkQueue queue_ = VK_NULL_HANDLE;
  uint32_t queueFamily_ = 0;
  std::string deviceName_;
  uint32_t apiVersion_ = 0;      ///< of the physical device
  uint32_t instanceVersion_ = 0; ///< the apiVersion Kiln's instance asked for
  uint32_t features_ = 0;
  VkPhysicalDeviceLimits limits_{};
  uint32_t timestampValidBits_ = 0;
  VkPipelineCache pipelineCache_ = VK_NULL_HANDLE;
  std::string pipelineCachePath_;
  ValidationLog validation_;
};

} // namespace kiln::rt::vk
