//===- Session.cpp - run a Kiln .vgf on a Vulkan device -------------------===//
//
// Load: decode the container, allocate its buffers (Resources.cpp), build one
// pipeline per module and binding layout with the best module variant the device
// supports (Pipelines.cpp) and record one command buffer for the whole model
// (Commands.cpp). Run: submit, wait on a fence, read the timestamps. The execution
// contract is docs/runtime.md.
//
//===----------------------------------------------------------------------===//

#include "kiln/runtime/Session.h"

#include "SessionImpl.h"

#include <chrono>
#include <cstdlib>
#include <cstring>

namespace kiln::rt {

using vk::check;

Session::Impl::~Impl() {
  if (!context)
    return;
  // run() waits for its fence, so no work of this session is pending here; an
  // adopted device may be busy with the application's work, so no vkDeviceWaitIdle.
  VkDevice device = context->device();
  if (queries)
    vkDestroyQueryPool(device, queries, nullptr);
  if (fence)
    vkDestroyFence(device, fence, nullptr);
  if (commandPool)
    vkDestroyCommandPool(device, commandPool, nullptr);
  if (descriptorPool)
    vkDestroyDescriptorPool(device, descriptorPool, nullptr);
  for (VkPipeline p : pipelines)
    vkDestroyPipeline(device, p, nullptr);
  for (VkPipelineLayout l : pipelineLayouts)
    vkDestroyPipelineLayout(device, l, nullptr);
  for (VkDescriptorSetLayout l : setLayouts)
    vkDestroyDescriptorSetLayout(device, l, nullptr);
  for (VkShaderModule s : shaders)
    if (s)
      vkDestroyShaderModule(device, s, nullptr);
  for (DeviceBuffer &b : buffers) {
    vkDestroyBuffer(device, b.buffer, nullptr);
    vkFreeMemory(device, b.memory, nullptr);
  }
}

Status Session::Impl::load() {
  // Checked before any allocation: a VGF carries no push-constant values to push.
  for (size_t i = 0; i < decoded.model.segments.size(); ++i)
    if (!decoded.model.segments[i].pushConstantRanges.empty())
      return unsupported("segment " + std::to_string(i) + " '" + decoded.model.segments[i].name +
                         "': push constants are not supported (a VGF carries no push-constant "
                         "values; Kiln's kernels bake their shapes)");
  KILN_RETURN_IF_ERROR(describeInterface());
  KILN_RETURN_IF_ERROR(createCommandObjects()); // the constant upload uses them
  KILN_RETURN_IF_ERROR(allocateBuffers());
  KILN_RETURN_IF_ERROR(buildPipelines());
  KILN_RETURN_IF_ERROR(recordCommands());
  std::string validation = context->takeValidationError();
  if (!validation.empty())
    return internalError("Vulkan validation error while loading: " + validation);
  return Status::ok();
}

Expected<std::unique_ptr<Session::Impl>> openSession(Expected<vgf::DecodedVgf> decoded,
                                                     Expected<std::unique_ptr<vk::Context>> context) {
  if (!decoded)
    return decoded.takeStatus();
  if (!context)
    return context.takeStatus();
  auto impl = std::make_unique<Session::Impl>();
  impl->decoded = std::move(*decoded);
  impl->context = std::move(*context);
  const char *staging = std::getenv("KILN_VULKAN_FORCE_STAGING");
  impl->forceStaging = staging && std::string(staging) == "1";
  KILN_RETURN_IF_ERROR(impl->load());
  return impl;
}

Session::Session(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Session::~Session() = default;

Expected<std::unique_ptr<Session>> Session::open(const std::string &path,
                                                 const DeviceOptions &options) {
  Expected<vgf::DecodedVgf> decoded = vgf::decodeVgfFile(path);
  if (!decoded) // the decoder's messages already start with the path
    return decoded.takeStatus();
  Expected<std::unique_ptr<Impl>> impl = openSession(std::move(decoded), vk::Context::create(options));
  if (!impl)
    return impl.takeStatus().withContext(path + ": ");
  return SessionAccess::wrap(std::move(*impl));
}

Expected<std::unique_ptr<Session>> Session::openBytes(const std::vector<uint8_t> &bytes,
                                                      const DeviceOptions &options) {
  Expected<vgf::DecodedVgf> decoded = vgf::decodeVgfCopy(bytes.data(), bytes.size());
  if (!decoded)
    return decoded.takeStatus();
  Expected<std::unique_ptr<Impl>> impl = openSession(std::move(decoded), vk::Context::create(options));
  if (!impl)
    return impl.takeStatus();
  return SessionAccess::wrap(std::move(*impl));
}

const std::vector<TensorInfo> &Session::inputs() const { return impl_->inputs; }
const std::vector<TensorInfo> &Session::outputs() const { return impl_->outputs; }
const std::string &Session::deviceName() const { return impl_->context->deviceName(); }

namespace {

/// The session buffer behind input/output `index`, after checking the index and size.
Expected<void *> hostView(const std::vector<TensorInfo> &infos, const std::vector<int> &bufferOf,
                          std::vector<DeviceBuffer> &buffers, size_t index, size_t size,
                          const char *kind) {
  if (index >= infos.size())
    return invalidArgument(std::string(kind) + " " + std::to_string(index) +
                           " out of range: the model has " + std::to_string(infos.size()) + " " +
                           kind + "(s)");
  const TensorInfo &info = infos[index];
  std::string label = std::string(kind) + " " + std::to_string(index) + " '" + info.name + "'";
  if (size != info.byteSize)
    return invalidArgument(label + ": expected " + std::to_string(info.byteSize) + " bytes, got " +
                           std::to_string(size));
  if (bufferOf[index] < 0)
    return invalidArgument(label + " is bound to an application VkBuffer; access that buffer instead");
  return buffers[bufferOf[index]].mapped;
}

} // namespace

Status Session::setInput(size_t index, const void *data, size_t size) {
  Expected<void *> view = hostView(impl_->inputs, impl_->inputBuffers, impl_->buffers, index, size, "input");
  if (!view)
    return view.takeStatus();
  std::memcpy(*view, data, size);
  return Status::ok();
}

Status Session::readOutput(size_t index, void *data, size_t size) const {
  Expected<void *> view = hostView(impl_->outputs, impl_->outputBuffers, impl_->buffers, index, size, "output");
  if (!view)
    return view.takeStatus();
  std::memcpy(data, *view, size);
  return Status::ok();
}

Status Session::run(RunStats *stats) {
  Impl &impl = *impl_;
  VkDevice device = impl.context->device();
  if (!impl.commandsRecorded)
    KILN_RETURN_IF_ERROR(impl.recordCommands());
  auto start = std::chrono::steady_clock::now();
  KILN_RETURN_IF_ERROR(impl.submitAndWait());
  auto end = std::chrono::steady_clock::now();
  std::string validation = impl.context->takeValidationError();
  if (!validation.empty())
    return internalError("Vulkan validation error: " + validation);
  if (!stats)
    return Status::ok();
  stats->wallMicroseconds = std::chrono::duration<double, std::micro>(end - start).count();
  stats->segments = impl.timings;
  if (impl.queries) {
    std::vector<uint64_t> ticks(2 * impl.timings.size());
    KILN_RETURN_IF_ERROR(check(vkGetQueryPoolResults(device, impl.queries, 0,
                                                     static_cast<uint32_t>(ticks.size()),
                                                     ticks.size() * sizeof(uint64_t), ticks.data(),
                                                     sizeof(uint64_t),
                                                     VK_QUERY_RESULT_64_BIT | VK_QUERY_RESULT_WAIT_BIT),
                               "vkGetQueryPoolResults"));
    // Differences modulo 2^timestampValidBits stay right across a counter wrap.
    uint32_t bits = impl.context->timestampValidBits();
    uint64_t mask = bits >= 64 ? ~uint64_t(0) : (uint64_t(1) << bits) - 1;
    double usPerTick = impl.context->limits().timestampPeriod / 1000.0;
    for (size_t i = 0; i < stats->segments.size(); ++i) {
      stats->segments[i].microseconds = double((ticks[2 * i + 1] - ticks[2 * i]) & mask) * usPerTick;
      stats->segments[i].startMicroseconds = double((ticks[2 * i] - ticks[0]) & mask) * usPerTick;
    }
  }
  return Status::ok();
}

} // namespace kiln::rt
