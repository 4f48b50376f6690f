#include "TestModels.h"

#include "kiln/vgf/Encoder.h"
#include "kiln/vgf/KernelDescriptor.h"
#include "kiln/vgf/Metadata.h"

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <iterator>

namespace kiln::rt::test {
namespace {

using vgf::ResourceCategory;

vgf::Resource tensor(ResourceCategory category, vgf::Format format,
                     uint32_t aliasGroup = vgf::kUnset) {
  vgf::Resource r;
  r.category = category;
  r.descriptorType = category == ResourceCategory::Constant ? vgf::kDescriptorTypeNone
                                                            : vgf::kDescriptorTypeStorageBuffer;
  r.format = static_cast<uint32_t>(format);
  r.shape = {kCount};
  r.aliasGroupId = aliasGroup;
  return r;
}

vgf::Module module(const std::string &shader) {
  vgf::Module m;
  m.name = shader;
  m.spirv = loadSpirv(shader);
  return m;
}

/// A segment binding MRT entries `mrt` at bindings 0, 1, ... of set 0.
vgf::Segment segment(const std::string &name, uint32_t moduleIndex, std::vector<uint32_t> mrt) {
  vgf::Segment s;
  s.name = name;
  s.moduleIndex = moduleIndex;
  vgf::DescriptorSet set;
  for (uint32_t b = 0; b < mrt.size(); ++b)
    set.bindings.push_back({b, mrt[b]});
  s.descriptorSets.push_back(set);
  s.dispatchShape = {kCount / 16, 1, 1};
  return s;
}

vgf::Constant constant(uint32_t mrtIndex) {
  std::vector<float> values = constantValues();
  std::vector<uint8_t> bytes(values.size() * sizeof(float));
  std::memcpy(bytes.data(), values.data(), bytes.size());
  return vgf::Constant::owned(mrtIndex, std::move(bytes));
}

} // namespace

std::vector<uint32_t> loadSpirv(const std::string &name) {
  std::string path = std::string(KILN_TEST_SHADER_DIR) + "/" + name + ".spv";
  std::ifstream in(path, std::ios::binary);
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_TRUE(!bytes.empty() && bytes.size() % 4 == 0) << "cannot read SPIR-V " << path;
  std::vector<uint32_t> words(bytes.size() / 4);
  std::memcpy(words.data(), bytes.data(), words.size() * 4);
  return words;
}

std::vector<uint8_t> encode(const vgf::Model &model) {
  Expected<std::vector<uint8_t>> bytes = vgf::encodeVgf(model);
  EXPECT_TRUE(bytes.hasValue()) << (bytes ? "" : bytes.status().message());
  return bytes ? *bytes : std::vector<uint8_t>();
}

std::vector<float> constantValues() {
  std::vector<float> values(kCount);
  for (uint32_t i = 0; i < kCount; ++i)
    values[i] = float(i) / 2;
  return values;
}

vgf::Model addConstantModel() {
  vgf::Model m;
  m.modules = {module("add_f32")};
  m.resources = {tensor(ResourceCategory::Input, vgf::Format::R32Sfloat),
                 tensor(ResourceCategory::Constant, vgf::Format::R32Sfloat),
                 tensor(ResourceCategory::Output, vgf::Format::R32Sfloat)};
  m.constants.push_back(constant(1));
  vgf::Segment s = segment("add", 0, {0, 1, 2});
  s.constants = {0};
  m.segments = {s};
  m.inputs = {{0, 0}};
  m.outputs = {{2, 2}};
  m.inputNames = {"x"};
  m.outputNames = {"y"};
  return m;
}

vgf::Model chainModel() {
  vgf::Model m;
  m.modules = {module("add_f32"), module("scale_f32")};
  m.resources = {tensor(ResourceCategory::Input, vgf::Format::R32Sfloat),
                 tensor(ResourceCategory::Constant, vgf::Format::R32Sfloat),
                 tensor(ResourceCategory::Intermediate, vgf::Format::R32Sfloat, 0),
                 tensor(ResourceCategory::Intermediate, vgf::Format::R32Sfloat, 1),
                 tensor(ResourceCategory::Intermediate, vgf::Format::R32Sfloat, 0),
                 tensor(ResourceCategory::Output, vgf::Format::R32Sfloat)};
  m.constants.push_back(constant(1));
  m.segments = {segment("add_0", 0, {0, 1, 2}), segment("scale_0", 1, {2, 3}),
                segment("add_1", 0, {3, 1, 4}), segment("scale_1", 1, {4, 5})};
  m.segments[0].constants = {0};
  m.segments[2].constants = {0};
  m.inputs = {{0, 0}};
  m.outputs = {{1, 5}};
  return m;
}

vgf::Model variantModel() {
  vgf::Model m;
  m.modules = {module("add_one_f32"), module("add_two_f16")};
  m.resources = {tensor(ResourceCategory::Input, vgf::Format::R32Sfloat),
                 tensor(ResourceCategory::Output, vgf::Format::R32Sfloat)};
  m.segments = {segment("dequantize", 0, {0, 1})};
  m.inputs = {{0, 0}};
  m.outputs = {{1, 1}};
  vgf::KernelDescriptor descriptor;
  descriptor.kind = vgf::KernelKind::Dequantize;
  descriptor.dequantize.count = kCount;
  descriptor.variants = {{1, 1u << 30}, {1, vgf::kFeatureShaderFloat16}};
  std::vector<uint8_t> blob = vgf::encodeKernelDescriptor(descriptor);
  Status added = vgf::addSegmentMetadata(m, 0, blob.data(), blob.size());
  EXPECT_TRUE(added.isOk()) << added.message();
  return m;
}

vgf::Model int8Model() {
  vgf::Model m;
  m.modules = {module("mul3_i8")};
  m.resources = {tensor(ResourceCategory::Input, vgf::Format::R8Sint),
                 tensor(ResourceCategory::Output, vgf::Format::R32Sint)};
  m.segments = {segment("mul3", 0, {0, 1})};
  m.inputs = {{0, 0}};
  m.outputs = {{1, 1}};
  return m;
}

} // namespace kiln::rt::test
