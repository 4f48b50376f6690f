#pragma once
/// The device features Kiln's modules may need, how they are read from a device (or
/// from the feature chain an application enabled) and which ones a SPIR-V module
/// needs, so that a module is rejected with the feature's name before the driver or
/// the validation layer sees it (VUID-VkShaderModuleCreateInfo-pCode-01091).

#include "kiln/support/Status.h"

#include <vulkan/vulkan.h>

#include <cstdint>
#include <string>
#include <vector>

namespace kiln::rt::vk {

/// One bit per Vulkan feature that a SPIR-V capability of a Kiln module depends on.
enum DeviceFeature : uint32_t {
  kShaderInt8 = 1u << 0,
  kShaderInt16 = 1u << 1,
  kShaderInt64 = 1u << 2,
  kShaderFloat16 = 1u << 3,
  kShaderFloat64 = 1u << 4,
  kStorageBuffer8BitAccess = 1u << 5,
  kUniformAndStorageBuffer8BitAccess = 1u << 6,
  kStorageBuffer16BitAccess = 1u << 7,
  kUniformAndStorageBuffer16BitAccess = 1u << 8,
  kShaderIntegerDotProduct = 1u << 9,
  kVulkanMemoryModel = 1u << 10,
};

/// "shaderInt8, storageBuffer8BitAccess" for a set of DeviceFeature bits.
std::string featureNames(uint32_t features);

/// How integer dot product is exposed: core in Vulkan 1.3, else maybe the extension.
enum class DotProductSource { None, Core13, Extension };

/// The features `physical` supports, read with vkGetPhysicalDeviceFeatures2.
uint32_t supportedFeatures(VkPhysicalDevice physical, DotProductSource dot);

/// The features a VkDeviceCreateInfo::pNext chain enables (VkPhysicalDeviceFeatures2,
/// the Vulkan 1.1/1.2/1.3 feature structs and their extension equivalents); what an
/// application that created its own device passes to Kiln. `core` is
/// VkDeviceCreateInfo::pEnabledFeatures when the application used that instead.
uint32_t featuresOfChain(const void *pNext, const VkPhysicalDeviceFeatures *core = nullptr);

/// Structs to chain into VkDeviceCreateInfo::pNext that enable `features`.
struct FeatureChain {
  VkPhysicalDeviceFeatures2 features2{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2};
  VkPhysicalDeviceVulkan11Features v11{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_1_FEATURES};
  VkPhysicalDeviceVulkan12Features v12{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES};
  VkPhysicalDeviceVulkan13Features v13{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_3_FEATURES};
  VkPhysicalDeviceShaderIntegerDotProductFeatures dotExtension{
      VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SHADER_INTEGER_DOT_PRODUCT_FEATURES};
  /// Links the structs (the 1.3 or the extension struct per `dot`); returns the head.
  const void *build(uint32_t features, DotProductSource dot);
  FeatureChain() = default;
  FeatureChain(const FeatureChain &) = delete; // the chain points into itself
  FeatureChain &operator=(const FeatureChain &) = delete;
};

/// The DeviceFeature bits that the OpCapability declarations of `spirv` need. A module
/// too short to hold its header is InvalidFile.
Expected<uint32_t> moduleFeatures(const std::vector<uint32_t> &spirv);

/// The kiln::vgf::KernelFeature bits (module variants) that `features` provide.
uint32_t kernelFeatures(uint32_t features);

} // namespace kiln::rt::vk
