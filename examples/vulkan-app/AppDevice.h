#pragma once
// What the application owns: its Vulkan instance, device, queue, buffers and command
// buffers. Kiln is handed these handles and never destroys them.

#include "kiln/runtime/VulkanInterop.h"

#include <vulkan/vulkan.h>

#include <functional>
#include <string>
#include <vector>

/// Throws std::runtime_error naming `what` and the VkResult when `result` is an error.
void check(VkResult result, const char *what);

struct AppBuffer {
  VkBuffer buffer = VK_NULL_HANDLE;
  VkDeviceMemory memory = VK_NULL_HANDLE;
  VkDeviceSize size = 0;
  void *mapped = nullptr; ///< host-visible buffers only
};

class AppDevice {
public:
  /// Picks the first physical device whose name contains `nameSubstring` (any device
  /// when empty) and creates a device with one compute queue and every feature Kiln's
  /// kernels can use (int8/fp16 arithmetic and storage, integer dot product) that the
  /// device supports, so that Kiln picks its fastest module variants.
  explicit AppDevice(const std::string &nameSubstring);
  ~AppDevice();
  AppDevice(const AppDevice &) = delete;
  AppDevice &operator=(const AppDevice &) = delete;

  /// The handles and the enabled features, as kiln::rt::openOnDevice wants them.
  kiln::rt::VulkanDevice kilnDevice() const;
  VkDevice device() const { return device_; }
  std::string name() const;

  /// A buffer of `size` bytes; host-visible and mapped when `hostVisible`, else in
  /// device-local memory where the device has it.
  AppBuffer createBuffer(VkDeviceSize size, VkBufferUsageFlags usage, bool hostVisible);
  /// Records a command buffer with `record` and submits it to the queue, without
  /// waiting: submission order plus barriers order it with Kiln's work.
  void submit(const std::function<void(VkCommandBuffer)> &record);
  /// Waits until everything submitted to the queue has finished.
  void waitIdle();

private:
  uint32_t memoryType(uint32_t allowed, VkMemoryPropertyFlags wanted) const;

  VkInstance instance_ = VK_NULL_HANDLE;
  VkPhysicalDevice physical_ = VK_NULL_HANDLE;
  VkDevice device_ = VK_NULL_HANDLE;
  VkQueue queue_ = VK_NULL_HANDLE;
  uint32_t queueFamily_ = 0;
  VkCommandPool pool_ = VK_NULL_HANDLE;
  // The feature chain the device was created with; Kiln reads it during open.
  VkPhysicalDeviceFeatures2 features2_{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2};
  VkPhysicalDeviceVulkan11Features features11_{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_1_FEATURES};
  VkPhysicalDeviceVulkan12Features features12_{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES};
  VkPhysicalDeviceVulkan13Features features13_{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_3_FEATURES};
  std::vector<AppBuffer> buffers_;
};
