// Kiln segment metadata blobs (a Kiln extension riding in CONSTANT entries).

#include "SampleModel.h"
#include "VgfTestUtil.h"
#include "kiln/vgf/Metadata.h"

#include <gtest/gtest.h>

namespace kiln::vgf {
namespace {

std::string blobText(const std::optional<ByteView> &view) {
  return view ? std::string(reinterpret_cast<const char *>(view->data), view->size) : "<none>";
}

TEST(VgfMetadataTest, RoundTripsThroughTheFile) {
  // The decoded constants are views into the bytes, which must outlive them.
  test::Bytes bytes = test::sampleBytes();
  auto decoded = test::decode(bytes);
  ASSERT_TRUE(decoded.hasValue()) << decoded.status().message();
  auto blob = segmentMetadata(decoded->model, 0);
  ASSERT_TRUE(blob.hasValue());
  EXPECT_EQ("sample add_i32 n=64", blobText(*blob));
}

TEST(VgfMetadataTest, SegmentWithoutMetadataHasNone) {
  Model model = buildSampleModel();
  model.segments.push_back(model.segments[0]);
  model.segments[1].constants = {0};
  auto blob = segmentMetadata(model, 1);
  ASSERT_TRUE(blob.hasValue());
  EXPECT_FALSE(blob->has_value());
}

TEST(VgfMetadataTest, RejectsSecondBlobOnOneSegment) {
  Model model = buildSampleModel();
  Status status = addSegmentMetadata(model, 0, "x", 1);
  EXPECT_EQ("segment metadata: segment 0 already has a metadata blob", status.message());
}

TEST(VgfMetadataTest, RejectsMissingSegment) {
  Model model = buildSampleModel();
  EXPECT_EQ("segment metadata: segment 4 out of range, expected < 1",
            addSegmentMetadata(model, 4, "x", 1).message());
}

TEST(VgfMetadataTest, DecoderRejectsBlobSizeMismatch) {
  test::Bytes file = test::sampleBytes();
  auto decoded = test::decode(file);
  ASSERT_TRUE(decoded.hasValue());
  uint64_t offset = decoded->info.constantOffsets[1];
  file.put<uint32_t>(offset + offsetof(MetadataHeader, blobSize), 7);
  auto result = test::decode(file);
  ASSERT_FALSE(result.hasValue());
  EXPECT_EQ("segment 0 'add_0': metadata constant 1: header says 7 blob bytes, the constant "
            "holds 19",
            result.status().message());
}

TEST(VgfMetadataTest, DecoderRejectsFutureMetadataVersion) {
  test::Bytes file = test::sampleBytes();
  auto decoded = test::decode(file);
  ASSERT_TRUE(decoded.hasValue());
  file.put<uint32_t>(decoded->info.constantOffsets[1] + offsetof(MetadataHeader, version), 9);
  auto result = test::decode(file);
  ASSERT_FALSE(result.hasValue());
  EXPECT_EQ(StatusCode::Unsupported, result.status().code());
  EXPECT_EQ("segment 0 'add_0': metadata constant 1: metadata version 9 is not supported, "
            "expected 1",
            result.status().message());
}

} // namespace
} // namespace kiln::vgf
