#pragma once
// The application's own compute pass (ProduceInput.comp) that writes the model input
// into an application buffer on the GPU.

#include <vulkan/vulkan.h>

#include <cstdint>

class InputProducer {
public:
  /// Builds the pipeline and a descriptor set bound to `buffer` (`count` floats).
  InputProducer(VkDevice device, VkBuffer buffer, uint32_t count);
  ~InputProducer();
  InputProducer(const InputProducer &) = delete;
  InputProducer &operator=(const InputProducer &) = delete;

  /// Records the dispatch that fills the buffer.
  void record(VkCommandBuffer cmd) const;

private:
  VkDevice device_;
  uint32_t count_;
  VkShaderModule module_ = VK_NULL_HANDLE;
  VkDescriptorSetLayout setLayout_ = VK_NULL_HANDLE;
  VkPipelineLayout layout_ = VK_NULL_HANDLE;
  VkPipeline pipeline_ = VK_NULL_HANDLE;
  VkDescriptorPool pool_ = VK_NULL_HANDLE;
  VkDescriptorSet set_ = VK_NULL_HANDLE;
};
