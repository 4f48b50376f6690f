// Encoder: byte layout (vgf-notes §1, §7), determinism, round trips and refusals.

#include "SampleModel.h"
#include "VgfTestUtil.h"
#include "kiln/vgf/Decoder.h"
#include "kiln/vgf/Encoder.h"

#include <gtest/gtest.h>

#include <fstream>

namespace kiln::vgf {
namespace {

using test::Bytes;

uint64_t pad8(uint64_t v) { return (v + 7) / 8 * 8; }

TEST(VgfEncoderTest, WritesHeaderAndSectionsInOrder) {
  Bytes file = test::sampleBytes();
  FileHeader h = file.header();
  EXPECT_EQ(0, std::memcmp(h.magic, "VGF1", 4));
  EXPECT_EQ(0, h.major);
  EXPECT_EQ(4, h.minor);
  EXPECT_EQ(3, h.patch);
  EXPECT_EQ(0u, h.reserved0 | h.reserved1 | h.reserved2);
  for (uint64_t r : h.reserved3)
    EXPECT_EQ(0u, r);
  EXPECT_EQ(128u, h.modules.offset);
  EXPECT_EQ(pad8(h.modules.offset + h.modules.size), h.sequence.offset);
  EXPECT_EQ(pad8(h.sequence.offset + h.sequence.size), h.resources.offset);
  EXPECT_EQ(pad8(h.resources.offset + h.resources.size), h.constants.offset);
  // No trailing padding: the file ends with the constants section.
  EXPECT_EQ(file.size(), h.constants.offset + h.constants.size);
  // Padding between sections is zero.
  const SectionRange ranges[] = {h.modules, h.sequence, h.resources, h.constants};
  for (size_t i = 0; i + 1 < 4; ++i)
    for (uint64_t b = ranges[i].offset + ranges[i].size; b < ranges[i + 1].offset; ++b)
      EXPECT_EQ(0, file.data()[b]) << "padding byte " << b;
}

TEST(VgfEncoderTest, WritesConst00WithPaddedAlignedPayloads) {
  Bytes file = test::sampleBytes();
  FileHeader h = file.header();
  uint64_t base = h.constants.offset;
  EXPECT_EQ(0, std::memcmp(file.data() + base, "CONST00\0", 8));
  uint64_t count = file.get<uint64_t>(base + 8);
  ASSERT_EQ(2u, count);
  uint64_t payload = base + 16 + 24 * count;
  uint64_t expectedOffset = 0;
  for (uint64_t i = 0; i < count; ++i) {
    auto record = file.get<ConstantRecord>(base + 16 + 24 * i);
    EXPECT_EQ(-1, record.sparsityDimension);
    EXPECT_EQ(expectedOffset, record.offset);
    EXPECT_EQ(0u, (payload + record.offset) % 8);
    for (uint64_t b = record.size; b < pad8(record.size); ++b)
      EXPECT_EQ(0, file.data()[payload + record.offset + b]);
    expectedOffset += pad8(record.size);
  }
  EXPECT_EQ(16 + 24 * count + expectedOffset, h.constants.size);
}

TEST(VgfEncoderTest, WritesEmptyConstantsSectionAs16Bytes) {
  Model model = buildSampleModel();
  model.constants.clear();
  model.segments[0].constants.clear();
  model.segments[0].descriptorSets[0].bindings.pop_back();
  model.resources.resize(3);
  Bytes file = test::encode(model);
  EXPECT_EQ(16u, file.header().constants.size);
  EXPECT_TRUE(test::decode(file).hasValue());
}

TEST(VgfEncoderTest, RoundTripIsByteIdentical) {
  Bytes first = test::sampleBytes();
  test::saveSeed("sample.vgf", first.vector());
  auto decoded = test::decode(first);
  ASSERT_TRUE(decoded.hasValue()) << decoded.status().message();
  Bytes second = test::encode(decoded->model);
  ASSERT_EQ(first.size(), second.size());
  EXPECT_EQ(0, std::memcmp(first.data(), second.data(), first.size()));
}

TEST(VgfEncoderTest, RoundTripThroughFileIsByteIdentical) {
  std::string path = test::tempPath("a.vgf");
  ASSERT_TRUE(writeVgfFile(path, buildSampleModel()).isOk());
  auto decoded = decodeVgfFile(path);
  ASSERT_TRUE(decoded.hasValue()) << decoded.status().message();
  // The decoded constants point into the mapping, which they keep alive.
  Model model = std::move(decoded->model);
  decoded = kiln::Status(StatusCode::Internal, "dropped");
  Bytes again = test::encode(model);
  EXPECT_EQ(again.vector(), test::sampleBytes().vector());
  std::remove(path.c_str());
}

TEST(VgfEncoderTest, RoundTripsEveryField) {
  Model model = buildSampleModel();
  model.vkHeaderVersion = 290;
  model.resources[2].strides = {1};
  model.resources[0].aliasGroupId = 4;
  model.segments[0].descriptorSets.push_back({2, {{5, 2}}});
  model.segments[0].dispatchShape = {3, 2, 1};
  model.segments.push_back(model.segments[0]);
  model.segments[1].name = "add_1";
  model.segments[1].constants = {0};
  Bytes file = test::encode(model);
  test::saveSeed("every-field.vgf", file.vector());
  auto decoded = test::decode(file);
  ASSERT_TRUE(decoded.hasValue()) << decoded.status().message();
  const Model &m = decoded->model;
  EXPECT_EQ(290, m.vkHeaderVersion);
  EXPECT_EQ(std::vector<int64_t>{1}, m.resources[2].strides);
  EXPECT_EQ(4u, m.resources[0].aliasGroupId);
  EXPECT_EQ(kUnset, m.resources[1].aliasGroupId);
  ASSERT_EQ(2u, m.segments.size());
  EXPECT_EQ(2u, m.segments[0].descriptorSets[1].setIndex);
  EXPECT_EQ((std::vector<uint32_t>{3, 2, 1}), m.segments[0].dispatchShape);
  EXPECT_EQ("add_1", m.segments[1].name);
  EXPECT_EQ((std::vector<std::string>{"a", "b"}), m.inputNames);
  EXPECT_EQ(0x20u, m.segments[0].pushConstantRanges[0].stageFlags);
  EXPECT_EQ(file.vector(), test::encode(m).vector());
}

TEST(VgfEncoderTest, RefusesInvalidModel) {
  Model model = buildSampleModel();
  model.segments[0].moduleIndex = 3;
  auto bytes = encodeVgf(model);
  ASSERT_FALSE(bytes.hasValue());
  EXPECT_EQ(StatusCode::InvalidArgument, bytes.status().code());
  EXPECT_EQ("refusing to write an invalid VGF container: segment 0 'add_0': module_index 3 "
            "out of range, expected < 1",
            bytes.status().message());
}

TEST(VgfEncoderTest, StreamsConstantsFromProducers) {
  Model model = buildSampleModel();
  std::vector<uint8_t> expected(model.constants[0].data,
                                model.constants[0].data + model.constants[0].size);
  model.constants[0] = Constant::streamed(3, expected.size(), [&](ByteSink &sink) {
    // Two writes: producers may stream in any number of pieces.
    KILN_RETURN_IF_ERROR(sink.write(expected.data(), 100));
    return sink.write(expected.data() + 100, expected.size() - 100);
  });
  EXPECT_EQ(test::encode(model).vector(), test::sampleBytes().vector());
}

TEST(VgfEncoderTest, RejectsProducerThatWritesTooFewBytes) {
  Model model = buildSampleModel();
  model.constants[0] = Constant::streamed(
      3, 256, [](ByteSink &sink) { return sink.write("abcd", 4); });
  std::string path = test::tempPath("short.vgf");
  Status status = writeVgfFile(path, model);
  EXPECT_EQ(path + ": constant 0: producer wrote 4 bytes, expected 256", status.message());
  // Atomic write: nothing is left behind.
  EXPECT_FALSE(std::ifstream(path).good());
}

TEST(VgfEncoderTest, RejectsProducerThatWritesTooManyBytes) {
  Model model = buildSampleModel();
  std::vector<uint8_t> big(300);
  model.constants[0] = Constant::streamed(
      3, 256, [&](ByteSink &sink) { return sink.write(big.data(), big.size()); });
  auto bytes = encodeVgf(model);
  ASSERT_FALSE(bytes.hasValue());
  EXPECT_EQ("constant 0: producer wrote more than the 256 bytes it declared",
            bytes.status().message());
}

TEST(VgfEncoderTest, RejectsConstantWithoutSource) {
  Model model = buildSampleModel();
  model.constants[0].data = nullptr;
  auto bytes = encodeVgf(model);
  ASSERT_FALSE(bytes.hasValue());
  EXPECT_EQ("constant 0: expected exactly one of data or produce", bytes.status().message());
}

} // namespace
} // namespace kiln::vgf
