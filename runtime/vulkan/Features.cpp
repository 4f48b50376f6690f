#include "Features.h"

#include "kiln/vgf/KernelDescriptor.h"

namespace kiln::rt::vk {
namespace {

/// SPIR-V capability numbers (spirv.h, unified1) and the feature each one needs in
/// a Vulkan environment (Vulkan spec, "SPIR-V Environment", capability table).
struct CapabilityFeature {
  uint32_t capability;
  uint32_t feature;
};
constexpr CapabilityFeature kCapabilities[] = {
    {9, kShaderFloat16},                        // Float16
    {10, kShaderFloat64},                       // Float64
    {11, kShaderInt64},                         // Int64
    {22, kShaderInt16},                         // Int16
    {39, kShaderInt8},                          // Int8
    {4433, kStorageBuffer16BitAccess},          // StorageBuffer16BitAccess
    {4434, kUniformAndStorageBuffer16BitAccess}, // UniformAndStorageBuffer16BitAccess
    {4448, kStorageBuffer8BitAccess},           // StorageBuffer8BitAccess
    {4449, kUniformAndStorageBuffer8BitAccess}, // UniformAndStorageBuffer8BitAccess
    {5345, kVulkanMemoryModel},                 // VulkanMemoryModel
    {6016, kShaderIntegerDotProduct},           // DotProductInputAll
    {6017, kShaderIntegerDotProduct},           // DotProductInput4x8Bit
    {6018, kShaderIntegerDotProduct},           // DotProductInput4x8BitPacked
    {6019, kShaderIntegerDotProduct},           // DotProduct
};

constexpr const char *kNames[] = {
    "shaderInt8",
    "shaderInt16",
    "shaderInt64",
    "shaderFloat16",
    "shaderFloat64",
    "storageBuffer8BitAccess",
    "uniformAndStorageBuffer8BitAccess",
    "storageBuffer16BitAccess",
    "uniformAndStorageBuffer16BitAccess",
    "shaderIntegerDotProduct",
    "vulkanMemoryModel",
};

uint32_t bit(VkBool32 value, uint32_t feature) { return value ? feature : 0; }

uint32_t coreFeatures(const VkPhysicalDeviceFeatures &f) {
  return bit(f.shaderInt16, kShaderInt16) | bit(f.shaderInt64, kShaderInt64) |
         bit(f.shaderFloat64, kShaderFloat64);
}

uint32_t v11Features(const VkPhysicalDeviceVulkan11Features &f) {
  return bit(f.storageBuffer16BitAccess, kStorageBuffer16BitAccess) |
         bit(f.uniformAndStorageBuffer16BitAccess, kUniformAndStorageBuffer16BitAccess);
}

uint32_t v12Features(const VkPhysicalDeviceVulkan12Features &f) {
  return bit(f.shaderInt8, kShaderInt8) | bit(f.shaderFloat16, kShaderFloat16) |
         bit(f.storageBuffer8BitAccess, kStorageBuffer8BitAccess) |
         bit(f.uniformAndStorageBuffer8BitAccess, kUniformAndStorageBuffer8BitAccess) |
         bit(f.vulkanMemoryModel, kVulkanMemoryModel);
}

} // namespace

std::string featureNames(uint32_t features) {
  std::string names;
  for (uint32_t i = 0; i < sizeof(kNames) / sizeof(kNames[0]); ++i)
    if (features & (1u << i))
      names += std::string(names.empty() ? "" : ", ") + kNames[i];
  return names;
}

uint32_t supportedFeatures(VkPhysicalDevice physical, DotProductSource dot) {
  FeatureChain chain;
  // build() links the structs; the driver fills every field in.
  chain.build(0, dot);
  vkGetPhysicalDeviceFeatures2(physical, &chain.features2);
  return featuresOfChain(&chain.features2);
}

uint32_t featuresOfChain(const void *pNext, const VkPhysicalDeviceFeatures *core) {
  uint32_t features = core ? coreFeatures(*core) : 0;
  for (auto *s = static_cast<const VkBaseInStructure *>(pNext); s; s = s->pNext) {
    switch (s->sType) {
    case VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2:
      features |= coreFeatures(reinterpret_cast<const VkPhysicalDeviceFeatures2 *>(s)->features);
      break;
    case VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_1_FEATURES:
      features |= v11Features(*reinterpret_cast<const VkPhysicalDeviceVulkan11Features *>(s));
      break;
    case VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES:
      features |= v12Features(*reinterpret_cast<const VkPhysicalDeviceVulkan12Features *>(s));
      break;
    case VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_3_FEATURES:
      features |= bit(reinterpret_cast<const VkPhysicalDeviceVulkan13Features *>(s)->shaderIntegerDotProduct,
                      kShaderIntegerDotProduct);
      break;
    case VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_16BIT_STORAGE_FEATURES: {
      auto *f = reinterpret_cast<const VkPhysicalDevice16BitStorageFeatures *>(s);
      features |= bit(f->storageBuffer16BitAccess, kStorageBuffer16BitAccess) |
                  bit(f->uniformAndStorageBuffer16BitAccess, kUniformAndStorageBuffer16BitAccess);
      break;
    }
    case VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_8BIT_STORAGE_FEATURES: {
      auto *f = reinterpret_cast<const VkPhysicalDevice8BitStorageFeatures *>(s);
      features |= bit(f->storageBuffer8BitAccess, kStorageBuffer8BitAccess) |
                  bit(f->uniformAndStorageBuffer8BitAccess, kUniformAndStorageBuffer8BitAccess);
      break;
    }
    case VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SHADER_FLOAT16_INT8_FEATURES: {
      auto *f = reinterpret_cast<const VkPhysicalDeviceShaderFloat16Int8Features *>(s);
      features |= bit(f->shaderFloat16, kShaderFloat16) | bit(f->shaderInt8, kShaderInt8);
      break;
    }
    case VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SHADER_INTEGER_DOT_PRODUCT_FEATURES:
      features |= bit(reinterpret_cast<const VkPhysicalDeviceShaderIntegerDotProductFeatures *>(s)
                          ->shaderIntegerDotProduct,
                      kShaderIntegerDotProduct);
      break;
    case VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_MEMORY_MODEL_FEATURES:
      features |= bit(reinterpret_cast<const VkPhysicalDeviceVulkanMemoryModelFeatures *>(s)
                          ->vulkanMemoryModel,
                      kVulkanMemoryModel);
      break;
    default:
      break;
    }
  }
  return features;
}

const void *FeatureChain::build(uint32_t f, DotProductSource dot) {
  features2.pNext = &v11;
  v11.pNext = &v12;
  v12.pNext = dot == DotProductSource::Core13      ? static_cast<void *>(&v13)
              : dot == DotProductSource::Extension ? static_cast<void *>(&dotExtension)
                                                   : nullptr;
  v13.pNext = nullptr;
  dotExtension.pNext = nullptr;
  features2.features.shaderInt16 = (f & kShaderInt16) != 0;
  features2.features.shaderInt64 = (f & kShaderInt64) != 0;
  features2.features.shaderFloat64 = (f & kShaderFloat64) != 0;
  v11.storageBuffer16BitAccess = (f & kStorageBuffer16BitAccess) != 0;
  v11.uniformAndStorageBuffer16BitAccess = (f & kUniformAndStorageBuffer16BitAccess) != 0;
  v12.shaderInt8 = (f & kShaderInt8) != 0;
  v12.shaderFloat16 = (f & kShaderFloat16) != 0;
  v12.storageBuffer8BitAccess = (f & kStorageBuffer8BitAccess) != 0;
  v12.uniformAndStorageBuffer8BitAccess = (f & kUniformAndStorageBuffer8BitAccess) != 0;
  v12.vulkanMemoryModel = (f & kVulkanMemoryModel) != 0;
  v13.shaderIntegerDotProduct = (f & kShaderIntegerDotProduct) != 0;
  dotExtension.shaderIntegerDotProduct = v13.shaderIntegerDotProduct;
  return &features2;
}

Expected<uint32_t> moduleFeatures(const std::vector<uint32_t> &spirv) {
  constexpr size_t kHeaderWords = 5;
  constexpr uint32_t kOpCapability = 17, kOpExtension = 10, kOpExtInstImport = 11;
  if (spirv.size() < kHeaderWords)
    return invalidFile("SPIR-V module of " + std::to_string(spirv.size()) +
                       " words is shorter than its 5-word header");
  // Capabilities come first in a module's logical layout, followed by extensions and
  // imports; the scan stops at the first other instruction.
  uint32_t features = 0;
  for (size_t at = kHeaderWords; at < spirv.size();) {
    uint32_t wordCount = spirv[at] >> 16, opcode = spirv[at] & 0xFFFF;
    if (wordCount == 0 || wordCount > spirv.size() - at)
      return invalidFile("SPIR-V instruction at word " + std::to_string(at) +
                         " has an invalid word count " + std::to_string(wordCount));
    if (opcode == kOpCapability && wordCount >= 2) {
      for (const CapabilityFeature &c : kCapabilities)
        if (c.capability == spirv[at + 1])
          features |= c.feature;
    } else if (opcode != kOpExtension && opcode != kOpExtInstImport && opcode != kOpCapability) {
      break;
    }
    at += wordCount;
  }
  return features;
}

uint32_t kernelFeatures(uint32_t features) {
  uint32_t kernel = vgf::kFeatureNone;
  if (features & kShaderIntegerDotProduct)
    kernel |= vgf::kFeatureIntegerDotProduct;
  if (features & kShaderFloat16)
    kernel |= vgf::kFeatureShaderFloat16;
  return kernel;
}

} // namespace kiln::rt::vk
