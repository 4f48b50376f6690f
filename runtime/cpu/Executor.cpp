#include "kiln/cpu/Executor.h"

#include "KernelSet.h"
#include "PackedGemm.h"
#include "ThreadPool.h"

#include "kiln/cpu/ScalarKernels.h"
#include "kiln/runtime/Interface.h"
#include "kiln/vgf/KernelDescriptor.h"
#include "kiln/vgf/Metadata.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <thread>

namespace kiln::cpu {
namespace {

using rt::resourceBytes;

/// Host storage of every resource, aliasing intermediates by group. Buffers are
/// vectors of 8-byte words so every element type is aligned.
class Buffers {
public:
  explicit Buffers(const vgf::Model &model) : model_(model), slot_(model.resources.size(), -1) {
    std::map<uint32_t, size_t> groupSlot;
    for (size_t i = 0; i < model.resources.size(); ++i) {
      const vgf::Resource &r = model.resources[i];
      uint64_t words = (resourceBytes(r) + 7) / 8;
      bool grouped = r.category == vgf::ResourceCategory::Intermediate && r.aliasGroupId != vgf::kUnset;
      if (grouped && groupSlot.count(r.aliasGroupId)) {
        size_t s = groupSlot[r.aliasGroupId];
        storage_[s].resize(std::max<size_t>(storage_[s].size(), words));
        slot_[i] = static_cast<int>(s);
        continue;
      }
      storage_.emplace_back(words);
      slot_[i] = static_cast<int>(storage_.size() - 1);
      if (grouped)
        groupSlot[r.aliasGroupId] = storage_.size() - 1;
    }
    for (const vgf::Constant &c : model.constants)
      if (c.data)
        std::memcpy(storage_[slot_[c.mrtIndex]].data(), c.data, c.size);
  }

  /// Whether the segment binds a constant (weights the executor may pack) at `binding`.
  bool isConstant(const vgf::Segment &segment, uint32_t binding) const {
    for (const vgf::DescriptorSet &set : segment.descriptorSets)
      for (const vgf::BindingSlot &slot : set.bindings)
        if (slot.binding == binding)
          return model_.resources[slot.mrtIndex].category == vgf::ResourceCategory::Constant;
    return false;
  }

  BufferView view(uint32_t mrtIndex) {
    return {storage_[slot_[mrtIndex]].data(), resourceBytes(model_.resources[mrtIndex])};
  }

private:
  const vgf::Model &model_;
  std::vector<int> slot_;
  std::vector<std::vector<uint64_t>> storage_;
};

/// KILN_CPU_THREADS, or every hardware thread.
Expected<unsigned> threadCount() {
  const char *env = std::getenv("KILN_CPU_THREADS");
  if (env == nullptr || *env == '\0')
    return std::max(1u, std::thread::hardware_concurrency());
  char *end = nullptr;
  unsigned long v = std::strtoul(env, &end, 10);
  if (*end != '\0' || v == 0 || v > 1024)
    return invalidArgument(std::string("KILN_CPU_THREADS: expected an integer in [1, 1024], got '") +
                           env + "'");
  return unsigned(v);
}

/// One segment, ready to run: its kernel and the buffers it binds.
struct Step {
  std::string where;
  vgf::KernelDescriptor descriptor;
  KernelBuffers views{};
  std::unique_ptr<PackedGemm> packed; ///< null: the scalar kernel runs
  std::function<void()> vectorKernel; ///< set: a (de)quantize step's vector kernel
};

/// Whether bindings 0.. of a step hold at least `sizes` bytes each, as a vector
/// kernel assumes (else the scalar kernel runs and reports which binding does not).
bool buffersHold(const KernelBuffers &b, std::initializer_list<uint64_t> sizes) {
  uint32_t i = 0;
  for (uint64_t size : sizes) {
    if (b[i].data == nullptr || b[i].size < size)
      return false;
    ++i;
  }
  return true;
}

/// A (de)quantize step's vector kernel bound to its buffers; empty where `kernels`
/// has none for the step's kind or a buffer is short.
std::function<void()> bindVectorKernel(const vgf::KernelDescriptor &d, const KernelBuffers &b,
                                       const detail::KernelSet &kernels) {
  auto f32 = [&](uint32_t i) { return static_cast<float *>(b[i].data); };
  auto i8 = [&](uint32_t i) { return static_cast<int8_t *>(b[i].data); };
  switch (d.kind) {
  case vgf::KernelKind::QuantizeRows: {
    const uint64_t m = d.quantizeRows.m, k = d.quantizeRows.k;
    if (!kernels.quantizeRows || !buffersHold(b, {m * k * 4, m * k, m * 4, m * 4}))
      return {};
    return [kernel = kernels.quantizeRows, m, k, in = f32(0), out = i8(1), scales = f32(2),
            zps = static_cast<int32_t *>(b[3].data)] { kernel(m, k, in, out, scales, zps); };
  }
  case vgf::KernelKind::QuantizeStatic: {
    const vgf::QuantizeStaticDesc q = d.quantize;
    if (!kernels.quantizeStatic || !buffersHold(b, {uint64_t(q.count) * 4, q.count}))
      return {};
    return [kernel = kernels.quantizeStatic, q, in = f32(0), out = i8(1)] {
      kernel(q.count, q.invScale, q.zeroPoint, in, out);
    };
  }
  case vgf::KernelKind::Dequantize: {
    const vgf::DequantizeDesc q = d.dequantize;
    if (!kernels.dequantize || !buffersHold(b, {q.count, uint64_t(q.count) * 4}))
      return {};
    return [kernel = kernels.dequantize, q, in = i8(0), out = f32(1)] {
      kernel(q.count, q.scale, q.zeroPoint, in, out);
    };
  }
  case vgf::KernelKind::Gemm:
    break;
  }
  return {};
}

Status runStep(const Step &step, ThreadPool &pool) {
  if (step.packed)
    return step.packed->run(step.views, pool);
  if (step.vectorKernel) {
    step.vectorKernel();
    return Status::ok();
  }
  return runKernelScalar(step.descriptor, step.views);
}

/// The buffer of resource `index` of `slots` (the model's inputs or outputs, named by
/// `what`), when `size` is exactly its byte size.
Expected<BufferView> resourceView(Buffers &buffers, const std::vector<vgf::BindingSlot> &slots,
                                  const char *what, size_t index, size_t size) {
  if (index >= slots.size())
    return invalidArgument(std::string("no ") + what + " " + std::to_string(index) +
                           ": the model has " + std::to_string(slots.size()));
  BufferView view = buffers.view(slots[index].mrtIndex);
  if (size != view.size)
    return invalidArgument(std::string(what) + " " + std::to_string(index) + ": expected " +
                           std::to_string(view.size) + " bytes, got " + std::to_string(size));
  return view;
}

} // namespace

struct CpuModel::Impl {
  Impl(const vgf::Model &model, unsigned threads)
      : model(model), buffers(model), pool(ThreadPool::shared(threads)) {}
  const vgf::Model &model;
  Buffers buffers;
  /// Shared with the process's other models of the same thread count: a chain of
  /// models (a decoder's layers) keeps one set of awake workers.
  std::shared_ptr<ThreadPool> pool;
  std::vector<Step> steps;
  PrepareStats stats;
};

CpuModel::CpuModel(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CpuModel::~CpuModel() = default;
const PrepareStats &CpuModel::stats() const { return impl_->stats; }

Expected<std::unique_ptr<CpuModel>> CpuModel::prepare(const vgf::Model &model) {
  Expected<CpuIsa> isa = selectCpuIsa();
  if (!isa)
    return isa.takeStatus();
  Expected<unsigned> threads = threadCount();
  if (!threads)
    return threads.takeStatus();
  auto impl = std::make_unique<Impl>(model, *threads);
  impl->stats.isa = *isa;
  impl->stats.threads = *threads;
  auto start = std::chrono::steady_clock::now();
  const detail::KernelSet kernels = detail::kernelSetFor(*isa);
  for (size_t s = 0; s < model.segments.size(); ++s) {
    const vgf::Segment &segment = model.segments[s];
    Step step;
    step.where = "segment " + std::to_string(s) + " '" + segment.name + "': ";
    Expected<std::optional<vgf::ByteView>> blob = vgf::segmentMetadata(model, s);
    if (!blob)
      return blob.takeStatus().withContext(step.where);
    if (!blob->has_value())
      return Status(StatusCode::Unsupported,
                    step.where + "no kernel descriptor, so the CPU backend cannot run it");
    Expected<vgf::KernelDescriptor> descriptor =
        vgf::decodeKernelDescriptor((*blob)->data, (*blob)->size);
    if (!descriptor)
      return descriptor.takeStatus().withContext(step.where);
    step.descriptor = std::move(*descriptor);
    for (const vgf::DescriptorSet &set : segment.descriptorSets)
      for (const vgf::BindingSlot &slot : set.bindings) {
        if (slot.binding >= kMaxKernelBindings)
          return invalidFile(step.where + "binding " + std::to_string(slot.binding) +
                             " is outside the kernel layout");
        step.views[slot.binding] = impl->buffers.view(slot.mrtIndex);
      }
    // Packing folds the weights and their per-channel operands in once, so those must be
    // constants: the scales (dynamic schemes) or the requantization parameters (pqs8).
    // The bias is read at run time, except by KleidiAI (PackedGemm::create).
    const vgf::GemmScheme scheme = step.descriptor.gemm.scheme;
    const bool hasScales = scheme == vgf::GemmScheme::Qp8F32Qc8w ||
                           scheme == vgf::GemmScheme::Qp8F32Qb4w;
    const bool requantizes = scheme == vgf::GemmScheme::Pqs8Qc8w;
    if (step.descriptor.kind == vgf::KernelKind::Gemm && impl->buffers.isConstant(segment, 1) &&
        (!hasScales || impl->buffers.isConstant(segment, 2)) &&
        (!requantizes ||
         (impl->buffers.isConstant(segment, 7) && impl->buffers.isConstant(segment, 8)))) {
      const bool constantBias =
          !step.descriptor.gemm.hasBias || impl->buffers.isConstant(segment, 3);
      Expected<std::unique_ptr<PackedGemm>> packed =
          PackedGemm::create(step.descriptor.gemm, kernels, step.views, constantBias);
      if (!packed)
        return packed.takeStatus().withContext(step.where);
      step.packed = std::move(*packed);
      if (step.packed) {
        impl->stats.packedGemms++;
        impl->stats.packedBytes += step.packed->packedBytes();
      }
    }
    step.vectorKernel = bindVectorKernel(step.descriptor, step.views, kernels);
    impl->steps.push_back(std::move(step));
  }
  impl->stats.packMicroseconds =
      std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count();
  return std::unique_ptr<CpuModel>(new CpuModel(std::move(impl)));
}

Status CpuModel::setInput(size_t index, const void *data, size_t size) {
  Expected<BufferView> view = resourceView(impl_->buffers, impl_->model.inputs, "input", index, size);
  if (!view)
    return view.takeStatus();
  std::memcpy(view->data, data, size);
  return Status::ok();
}

Status CpuModel::run() {
  for (const Step &step : impl_->steps) {
    KILN_RETURN_IF_ERROR(runStep(step, *impl_->pool).withContext(step.where));
  }
  return Status::ok();
}

Status CpuModel::readOutput(size_t index, void *data, size_t size) const {
  Expected<BufferView> view =
      resourceView(impl_->buffers, impl_->model.outputs, "output", index, size);
  if (!view)
    return view.takeStatus();
  std::memcpy(data, view->data, size);
  return Status::ok();
}

Expected<std::vector<std::vector<uint8_t>>>
CpuModel::run(const std::vector<std::vector<uint8_t>> &inputs) {
  const vgf::Model &model = impl_->model;
  if (inputs.size() != model.inputs.size())
    return invalidArgument("the model takes " + std::to_string(model.inputs.size()) +
                           " input(s), got " + std::to_string(inputs.size()));
  for (size_t i = 0; i < inputs.size(); ++i)
    KILN_RETURN_IF_ERROR(setInput(i, inputs[i].data(), inputs[i].size()));
  KILN_RETURN_IF_ERROR(run());
  std::vector<std::vector<uint8_t>> outputs;
  for (size_t i = 0; i < model.outputs.size(); ++i) {
    outputs.emplace_back(impl_->buffers.view(model.outputs[i].mrtIndex).size);
    KILN_RETURN_IF_ERROR(readOutput(i, outputs.back().data(), outputs.back().size()));
  }
  return outputs;
}

} // namespace kiln::cpu
