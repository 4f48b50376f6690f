#include "kiln/cpu/Executor.h"

#include "kiln/cpu/ScalarKernels.h"
#include "kiln/runtime/Interface.h"
#include "kiln/vgf/KernelDescriptor.h"
#include "kiln/vgf/Metadata.h"

#include <cstring>
#include <map>

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

  BufferView view(uint32_t mrtIndex) {
    return {storage_[slot_[mrtIndex]].data(), resourceBytes(model_.resources[mrtIndex])};
  }

private:
  const vgf::Model &model_;
  std::vector<int> slot_;
  std::vector<std::vector<uint64_t>> storage_;
};

} // namespace

Expected<std::vector<std::vector<uint8_t>>> runModel(const vgf::Model &model,
                                                     const std::vector<std::vector<uint8_t>> &inputs) {
  if (inputs.size() != model.inputs.size())
    return invalidArgument("the model takes " + std::to_string(model.inputs.size()) +
                           " input(s), got " + std::to_string(inputs.size()));
  Buffers buffers(model);
  for (size_t i = 0; i < inputs.size(); ++i) {
    BufferView view = buffers.view(model.inputs[i].mrtIndex);
    if (inputs[i].size() != view.size)
      return invalidArgument("input " + std::to_string(i) + ": expected " +
                             std::to_string(view.size) + " bytes, got " +
                             std::to_string(inputs[i].size()));
    std::memcpy(view.data, inputs[i].data(), view.size);
  }
  for (size_t s = 0; s < model.segments.size(); ++s) {
    const vgf::Segment &segment = model.segments[s];
    std::string where = "segment " + std::to_string(s) + " '" + segment.name + "': ";
    Expected<std::optional<vgf::ByteView>> blob = vgf::segmentMetadata(model, s);
    if (!blob)
      return blob.takeStatus().withContext(where);
    if (!blob->has_value())
      return Status(StatusCode::Unsupported,
                    where + "no kernel descriptor, so the CPU backend cannot run it");
    Expected<vgf::KernelDescriptor> descriptor = vgf::decodeKernelDescriptor((*blob)->data, (*blob)->size);
    if (!descriptor)
      return descriptor.takeStatus().withContext(where);
    KernelBuffers views{};
    for (const vgf::DescriptorSet &set : segment.descriptorSets)
      for (const vgf::BindingSlot &slot : set.bindings) {
        if (slot.binding >= kMaxKernelBindings)
          return invalidFile(where + "binding " + std::to_string(slot.binding) +
                             " is outside the kernel layout");
        views[slot.binding] = buffers.view(slot.mrtIndex);
      }
    KILN_RETURN_IF_ERROR(runKernelScalar(*descriptor, views).withContext(where));
  }
  std::vector<std::vector<uint8_t>> outputs;
  for (const vgf::BindingSlot &slot : model.outputs) {
    BufferView view = buffers.view(slot.mrtIndex);
    const auto *bytes = static_cast<const uint8_t *>(view.data);
    outputs.emplace_back(bytes, bytes + view.size);
  }
  return outputs;
}

} // namespace kiln::cpu
