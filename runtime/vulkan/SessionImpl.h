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
#include <optional>
#include <vector>

namespace kiln::rt {

/// One VkBuffer with its own VkDeviceMemory (Kiln models have few, large buffers, so
/// a sub-allocator would save little).
struct DeviceBuffer {
  VkBuffer buffer = VK_NULL_HANDLE;
  VkDeviceMemory memory = VK_NULL_HANDLE;
  void *mapped = nullptr; ///< null when the memory is not host-visible
  VkDeviceSize size = 0;
};

/// Where a buffer's memory comes from.
enum class Placement {
  /// Device-local when the device has such memory (every GPU; lavapipe's is also
  /// host-visible). Mapped when the chosen type happens to be host-visible and coherent.
  Device,
  /// Host-visible and coherent (staging): device-local too when such a type exists
  /// (integrated GPUs, resizable BAR).
  Host,
};

/// A device buffer the host fills (input, constant) or reads (output) through a
/// mapped staging buffer, with copies recorded around the dispatches; used when the
/// device buffer is not host-visible, or always with KILN_VULKAN_FORCE_STAGING=1.
struct StagedCopy {
  uint32_t device = 0;  ///< index into Impl::buffers
  uint32_t staging = 0; ///< index into Impl::buffers
};

struct Session::Impl {
  std::unique_ptr<vk::Context> context;
  vgf::DecodedVgf decoded;
  std::vector<DeviceBuffer> buffers;
  bool forceStaging = false; ///< KILN_VULKAN_FORCE_STAGING=1: exercise the discrete-GPU path
  /// MRT index -> what its descriptors point at (VK_NULL_HANDLE when never bound):
  /// a session buffer, or an application buffer bound through VulkanInterop.h.
  std::vector<VkDescriptorBufferInfo> bindingOf;
  std::vector<TensorInfo> inputs, outputs;
  /// The host-accessible buffer of each input/output (its staging buffer when it has
  /// one); -1 once an application buffer replaced it.
  std::vector<int> inputBuffers, outputBuffers;
  /// Staged inputs/outputs by index (nullopt: host-visible, or an application buffer).
  std::vector<std::optional<StagedCopy>> stagedInputs, stagedOutputs;
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
  bool deviceLost = false; ///< a submit or wait reported VK_ERROR_DEVICE_LOST
  VkQueryPool queries = VK_NULL_HANDLE;
  std::vector<SegmentTiming> timings; ///< names, operations and bytes; times per run

  ~Impl();
  Status load();
  // Resources.cpp
  Status allocateBuffers();
  Expected<uint32_t> createBuffer(VkDeviceSize size, Placement placement);
  Expected<DeviceBuffer> makeBuffer(VkDeviceSize size, Placement placement);
  void destroyBuffer(DeviceBuffer &buffer);
  /// A device buffer for `bytes` that the host reaches through `mapped` or a staging
  /// buffer; returns the device buffer and the staging copy, if any.
  Expected<std::pair<uint32_t, std::optional<StagedCopy>>> createHostReachable(VkDeviceSize bytes);
  Status describeInterface();
  // Pipelines.cpp
  Status buildPipelines();
  Status buildSegment(size_t index);
  Expected<uint32_t> chooseModule(size_t segmentIndex, SegmentTiming &timing);
  /// Points every descriptor of every segment at bindingOf.
  void writeDescriptors();
  // Commands.cpp
  Status createCommandObjects();
  /// Copies each staging buffer to its device buffer (index into `buffers`) in a
  /// one-off submission, then destroys the staging buffers, even on failure.
  Status uploadConstants(std::vector<std::pair<DeviceBuffer, uint32_t>> &staged);
  /// Records the whole model into `commands` (begin to end).
  Status recordCommands();
  /// Records the model's copies, barriers and dispatches into `cmd`, which is in the
  /// recording state; with `timestamps`, one query pair around each dispatch.
  void recordModel(VkCommandBuffer cmd, VkQueryPool timestamps);
  /// Records a whole-buffer copy between two of `buffers`.
  void copy(VkCommandBuffer cmd, uint32_t from, uint32_t to);
  /// Submits `commands` and waits for it; DeviceLost, then forever after, once the
  /// device is lost.
  Status submitAndWait();
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

} // namespace kiln::rt
