#include "SampleModel.h"

#include "kiln/vgf/Metadata.h"

#include <cassert>
#include <cstdint>
#include <cstring>
#include <iterator>

// Generated at build time by glslangValidator --vn from sample_add.comp.
#include "sample_add.spv.h"

namespace kiln::vgf {

Model buildSampleModel() {
  Model model;
  model.modules.push_back(
      {"sample_add_i32", "main", {std::begin(kSampleAddSpirv), std::end(kSampleAddSpirv)}});

  auto buffer = [](ResourceCategory category) {
    Resource r;
    r.category = category;
    r.descriptorType = category == ResourceCategory::Constant ? kDescriptorTypeNone
                                                              : kDescriptorTypeStorageBuffer;
    r.format = static_cast<uint32_t>(Format::R32Sint);
    r.shape = {kSampleElements};
    return r;
  };
  model.resources = {buffer(ResourceCategory::Input), buffer(ResourceCategory::Input),
                     buffer(ResourceCategory::Output), buffer(ResourceCategory::Constant)};

  std::vector<uint8_t> k(kSampleElements * sizeof(int32_t));
  for (int32_t i = 0; i < kSampleElements; ++i)
    std::memcpy(k.data() + i * sizeof(int32_t), &i, sizeof(i));
  model.constants.push_back(Constant::owned(3, std::move(k)));

  Segment segment;
  segment.name = "add_0";
  segment.moduleIndex = 0;
  segment.descriptorSets = {{0, {{0, 0}, {1, 1}, {2, 2}, {3, 3}}}};
  segment.inputs = {{0, 0}, {1, 1}};
  segment.outputs = {{2, 2}};
  segment.constants = {0};
  segment.dispatchShape = {1, 1, 1};
  segment.pushConstantRanges = {{0x20, 0, 4}};
  model.segments.push_back(std::move(segment));

  model.inputs = {{0, 0}, {1, 1}};
  model.outputs = {{2, 2}};
  model.inputNames = {"a", "b"};
  model.outputNames = {"out"};

  static const char kDescriptor[] = "sample add_i32 n=64";
  Status status = addSegmentMetadata(model, 0, kDescriptor, sizeof(kDescriptor) - 1);
  assert(status.isOk() && "segment 0 exists and has no metadata yet");
  (void)status;
  return model;
}

} // namespace kiln::vgf
