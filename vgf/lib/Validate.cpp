// checkModel: the semantic rules shared by the decoder (on what it read) and the
// encoder (on what it is asked to write). Byte-level checks (bounds, alignment, the
// FlatBuffers verifier, CONST00 records) live in Decoder.cpp.

#include "kiln/vgf/Model.h"

#include "Text.h"

#include <limits>
#include <set>
#include <utility>

namespace kiln::vgf {
namespace {

using detail::cat;
using detail::hex;

constexpr uint32_t kSpirvMagic = 0x07230203u;
constexpr size_t kSpirvHeaderWords = 5;

Status bad(std::string message) { return invalidFile(std::move(message)); }

std::string segmentName(size_t index, const Segment &segment) {
  return cat("segment ", index, " '", segment.name, "'");
}

Status checkModule(size_t index, const Module &module) {
  std::string where = cat("module ", index, " '", module.name, "'");
  if (module.entryPoint.empty())
    return bad(where + ": expected a non-empty entry_point");
  if (module.spirv.empty())
    return unsupported(where + ": has no SPIR-V code (placeholder modules are not supported)");
  if (module.spirv[0] != kSpirvMagic)
    return bad(cat(where, ": expected SPIR-V magic ", hex(kSpirvMagic), " at word 0, got ",
                   hex(module.spirv[0])));
  if (module.spirv.size() < kSpirvHeaderWords)
    return bad(cat(where, ": expected at least ", kSpirvHeaderWords,
                   " SPIR-V words (the header), got ", module.spirv.size()));
  return Status::ok();
}

/// Element count times element size, or an error naming the overflow.
Expected<uint64_t> resourceByteSize(size_t index, const Resource &resource) {
  std::string where = cat("resource ", index);
  uint64_t elements = 1;
  for (size_t d = 0; d < resource.shape.size(); ++d) {
    int64_t dim = resource.shape[d];
    if (dim == std::numeric_limits<int64_t>::min())
      return unsupported(cat(where, ": shape[", d, "] is dynamic; Kiln needs static shapes"));
    if (dim < 0)
      return bad(cat(where, ": expected shape[", d, "] >= 0, got ", dim));
    if (__builtin_mul_overflow(elements, static_cast<uint64_t>(dim), &elements))
      return bad(cat(where, ": element count overflows 64 bits at shape[", d, "]"));
  }
  uint64_t bytes = 0;
  if (__builtin_mul_overflow(elements, formatElementSize(resource.format), &bytes))
    return bad(cat(where, ": byte size overflows 64 bits (", elements, " elements)"));
  return bytes;
}

Status checkResource(size_t index, const Resource &resource) {
  std::string where = cat("resource ", index);
  auto category = static_cast<uint32_t>(resource.category);
  if (category > static_cast<uint32_t>(ResourceCategory::Constant))
    return bad(cat(where, ": expected category 0..3 (INPUT..CONSTANT), got ", category));
  bool isConstant = resource.category == ResourceCategory::Constant;
  const char *typeName = descriptorTypeName(resource.descriptorType);
  std::string typeText = cat(resource.descriptorType == kDescriptorTypeNone
                                 ? hex(kDescriptorTypeNone)
                                 : std::to_string(resource.descriptorType),
                             " (", typeName ? typeName : "unknown", ")");
  if (isConstant && resource.descriptorType != kDescriptorTypeNone)
    return bad(cat(where, ": expected vk_descriptor_type ", hex(kDescriptorTypeNone),
                   " (none) for a CONSTANT entry, got ", typeText));
  if (!isConstant && resource.descriptorType != kDescriptorTypeStorageBuffer)
    return unsupported(cat(where, ": vk_descriptor_type ", typeText,
                           " is not supported, expected 7 (STORAGE_BUFFER)"));
  if (formatElementSize(resource.format) == 0)
    return unsupported(cat(where, ": vk_format ", resource.format, " is not supported"));
  if (!resource.strides.empty() && resource.strides.size() != resource.shape.size())
    return bad(cat(where, ": expected ", resource.shape.size(),
                   " strides (one per shape dimension) or none, got ",
                   resource.strides.size()));
  if (isConstant && resource.aliasGroupId != kUnset)
    return bad(cat(where, ": a CONSTANT entry must not have an alias_group_id, got ",
                   resource.aliasGroupId));
  Expected<uint64_t> bytes = resourceByteSize(index, resource);
  return bytes ? Status::ok() : bytes.takeStatus();
}

Status checkSlot(const std::string &where, const BindingSlot &slot, size_t resourceCount) {
  if (slot.mrtIndex >= resourceCount)
    return bad(cat(where, ": mrt_index ", slot.mrtIndex, " out of range, expected < ",
                   resourceCount));
  return Status::ok();
}

Status checkSlots(const std::string &where, const std::vector<BindingSlot> &slots,
                  size_t resourceCount) {
  for (size_t i = 0; i < slots.size(); ++i)
    KILN_RETURN_IF_ERROR(checkSlot(cat(where, "[", i, "]"), slots[i], resourceCount));
  return Status::ok();
}

Status checkSegment(size_t index, const Segment &segment, const Model &model) {
  std::string where = segmentName(index, segment);
  if (segment.moduleIndex >= model.modules.size())
    return bad(cat(where, ": module_index ", segment.moduleIndex, " out of range, expected < ",
                   model.modules.size()));
  std::set<uint32_t> setIndexes;
  for (size_t s = 0; s < segment.descriptorSets.size(); ++s) {
    const DescriptorSet &set = segment.descriptorSets[s];
    std::string setWhere = cat(where, ": set_infos[", s, "]");
    if (!setIndexes.insert(set.setIndex).second)
      return bad(cat(setWhere, ": set_index ", set.setIndex, " appears twice"));
    std::set<uint32_t> bindings;
    for (size_t b = 0; b < set.bindings.size(); ++b) {
      if (!bindings.insert(set.bindings[b].binding).second)
        return bad(cat(setWhere, ": binding ", set.bindings[b].binding, " appears twice"));
      KILN_RETURN_IF_ERROR(checkSlot(cat(setWhere, ".bindings[", b, "]"), set.bindings[b],
                                     model.resources.size()));
    }
  }
  KILN_RETURN_IF_ERROR(checkSlots(where + ": inputs", segment.inputs, model.resources.size()));
  KILN_RETURN_IF_ERROR(checkSlots(where + ": outputs", segment.outputs, model.resources.size()));
  for (size_t c = 0; c < segment.constants.size(); ++c)
    if (segment.constants[c] >= model.constants.size())
      return bad(cat(where, ": constants[", c, "] = ", segment.constants[c],
                     " out of range, expected < ", model.constants.size()));
  if (segment.dispatchShape.size() != 3)
    return bad(cat(where, ": expected dispatch_shape of 3 workgroup counts, got ",
                   segment.dispatchShape.size(), " entries"));
  for (size_t d = 0; d < 3; ++d)
    if (segment.dispatchShape[d] == 0)
      return bad(cat(where, ": expected dispatch_shape[", d, "] > 0, got 0"));
  for (size_t p = 0; p < segment.pushConstantRanges.size(); ++p) {
    const PushConstantRange &range = segment.pushConstantRanges[p];
    if (range.offset % 4 != 0 || range.size % 4 != 0 || range.size == 0)
      return bad(cat(where, ": push_constant_ranges[", p,
                     "]: expected a non-zero offset and size that are multiples of 4, got "
                     "offset ",
                     range.offset, " size ", range.size));
  }
  return Status::ok();
}

Status checkInterface(const char *what, const std::vector<BindingSlot> &slots,
                      const std::vector<std::string> &names, ResourceCategory expected,
                      const Model &model, std::set<uint32_t> &bindings) {
  if (!names.empty() && names.size() != slots.size())
    return bad(cat("model ", what, "_names: expected 0 or ", slots.size(), " names, got ",
                   names.size()));
  for (size_t i = 0; i < slots.size(); ++i) {
    std::string where = cat("model ", what, "s[", i, "]");
    KILN_RETURN_IF_ERROR(checkSlot(where, slots[i], model.resources.size()));
    const Resource &resource = model.resources[slots[i].mrtIndex];
    if (resource.category != expected)
      return bad(cat(where, ": resource ", slots[i].mrtIndex, " has category ",
                     resourceCategoryName(resource.category), ", expected ",
                     resourceCategoryName(expected)));
    // Arm's scenario runner matches the interface by binding number alone.
    if (!bindings.insert(slots[i].binding).second)
      return bad(cat(where, ": binding ", slots[i].binding,
                     " is already used by another model input or output"));
  }
  return Status::ok();
}

Status checkConstant(size_t index, const Constant &constant, const Model &model) {
  std::string where = cat("constant ", index);
  if (constant.mrtIndex >= model.resources.size())
    return bad(cat(where, ": mrt_index ", constant.mrtIndex, " out of range, expected < ",
                   model.resources.size()));
  const Resource &resource = model.resources[constant.mrtIndex];
  if (resource.category != ResourceCategory::Constant)
    return bad(cat(where, ": resource ", constant.mrtIndex, " has category ",
                   resourceCategoryName(resource.category), ", expected CONSTANT"));
  if (constant.sparsityDimension < -1)
    return bad(cat(where, ": expected sparsity_dimension >= -1, got ",
                   constant.sparsityDimension));
  if (constant.sparsityDimension >= 0)
    return unsupported(cat(where, ": sparse constants (sparsity_dimension ",
                           constant.sparsityDimension, ") are not supported"));
  if (resource.strides.empty()) {
    // checkResource has already rejected overflowing shapes.
    uint64_t expected = *resourceByteSize(constant.mrtIndex, resource);
    if (constant.size != expected)
      return bad(cat(where, ": expected ", expected, " bytes (the packed size of resource ",
                     constant.mrtIndex, "), got ", constant.size));
  }
  return Status::ok();
}

} // namespace

Status checkModel(const Model &model) {
  for (size_t i = 0; i < model.modules.size(); ++i)
    KILN_RETURN_IF_ERROR(checkModule(i, model.modules[i]));
  for (size_t i = 0; i < model.resources.size(); ++i)
    KILN_RETURN_IF_ERROR(checkResource(i, model.resources[i]));
  for (size_t i = 0; i < model.constants.size(); ++i)
    KILN_RETURN_IF_ERROR(checkConstant(i, model.constants[i], model));
  for (size_t i = 0; i < model.segments.size(); ++i)
    KILN_RETURN_IF_ERROR(checkSegment(i, model.segments[i], model));
  std::set<uint32_t> bindings;
  KILN_RETURN_IF_ERROR(checkInterface("input", model.inputs, model.inputNames,
                                      ResourceCategory::Input, model, bindings));
  KILN_RETURN_IF_ERROR(checkInterface("output", model.outputs, model.outputNames,
                                      ResourceCategory::Output, model, bindings));
  return Status::ok();
}

} // namespace kiln::vgf
