#pragma once
/// The state of a Vulkan Session (internal): the decoded container, its buffers, one
/// compute pipeline per distinct (module, binding layout), one descriptor set per
/// segment and the command buffer that runs the whole model. Split over
/// Resources.cpp (buffers), Pipelines.cpp (module choice, pipelines, descriptor
/// sets), Commands.cpp (recording) and Session.cpp (the public API).

#include "Context.h"

#include "kiln/runtime/Session.h"
#include "kiln/vgf/Decoder.h"

#include <memory>
#include <vector>

namespace kiln::rt {

/// One VkBuffer with its own VkDeviceMemory (Kiln models have few, large buffers, so
/// a sub-allocator would save little). The memory is host-visible and coherent, so
/// inputs and outputs are plain copies; device-local memory is preferred when it is
/// also host-visible (integrated GPUs, lavapipe, resizable BAR).
struct DeviceBuffer {
  VkBuffer buffer = VK_NULL_HANDLE;
  VkDeviceMemory memory = VK_NULL_HANDLE;
  void *mapped = nullptr;
  VkDeviceSize size = 0;
};

struct Session::Impl {
  std::unique_ptr<vk::Context> context;
  vgf::DecodedVgf decoded;
  std::vector<DeviceBuffer> buffers;
  /// MRT index -> what its descriptors point at (VK_NULL_HANDLE when never bound):
  /// a session buffer, or an application buffer bound through VulkanInterop.h.
  std::vector<VkDescriptorBufferInfo> bindingOf;
  std::vector<TensorInfo> inputs, outputs;
  /// The session buffer of each input/output; -1 once an application buffer replaced it.
  std::vector<int> inputBuffers, outputBuffers;
  std::vector<VkShaderModule> shaders; ///< per module, created when a segment uses it
  std::vector<VkDescriptorSetLayout> setLayouts;
  std::vector<VkPipelineLayout> pipelineLayouts;
  std::vector<VkPipeline> pipelines;
  /// Per pipeline: its sorted binding numbers, then its module index.
  std::vector<std::vector<uint32_t>> pipelineKeys;
  std::vector<size_t> pipelineOf; ///< segment -> index into pipelines/pipelineLayouts/setLayouts
  VkDescriptorPool descriptorPool = VK_NULL_HANDLE;
  std::vector<VkDescriptorSet> sets; ///< per segment
  VkCommandPool commandPool = VK_NULL_HANDLE;
  VkCommandBuffer commands = VK_NULL_HANDLE;
  /// Updating a descriptor set invalidates the command buffers that bind it (no
  /// UPDATE_AFTER_BIND), so binding an application buffer re-records before the next run.
  bool commandsRecorded = false;
  VkFence fence = VK_NULL_HANDLE;
  VkQueryPool queries = VK_NULL_HANDLE;
  std::vector<SegmentTiming> timings; ///< names, operations and bytes; times per run

  ~Impl();
  Status load();
  // Resources.cpp
  Status allocateBuffers();
  Expected<uint32_t> createBuffer(VkDeviceSize size);
  Status describeInterface();
  // Pipelines.cpp
  Status buildPipelines();
  Status buildSegment(size_t index);
  Expected<uint32_t> chooseModule(size_t segmentIndex, SegmentTiming &timing);
  /// Points every descriptor of every segment at bindingOf.
  void writeDescriptors();
  // Commands.cpp
  Status createCommandObjects();
  Status recordCommands();
};

/// How the backend's files build a Session and reach its state.
struct SessionAccess {
  static std::unique_ptr<Session> wrap(std::unique_ptr<Session::Impl> impl) {
    return std::unique_ptr<Session>(new Session(std::move(impl)));
  }
  static Session::Impl &impl(Session &session) { return *session.impl_; }
};

/// Opens a decoded container on `context`.
Expected<std::unique_ptr<Session::Impl>> openSession(Expected<vgf::DecodedVgf> decoded,
                                                     Expected<std::unique_ptr<vk::Context>> context);
/// Decodes a copy of in-memory bytes (the decoder needs 8-byte alignment and the
/// constants must outlive the caller's vector).
Expected<vgf::DecodedVgf> decodeCopy(const std::vector<uint8_t> &bytes);

} // namespace kiln::rt
