// Decoder corruption suite: every malformed input fails with its own precise message
// (InvalidFile, or Unsupported for valid VGF that Kiln does not run), never a crash.

#include "SampleModel.h"
#include "VgfTestUtil.h"
#include "kiln/vgf/Decoder.h"
#include "kiln/vgf/vgf_generated.h"

#include <gtest/gtest.h>

namespace kiln::vgf {
namespace {

using test::Bytes;

/// Decodes and expects failure with exactly `code` and `message`.
void expectError(const Bytes &file, StatusCode code, const std::string &message) {
  auto result = test::decode(file);
  ASSERT_FALSE(result.hasValue()) << "decoded although expected: " << message;
  EXPECT_EQ(code, result.status().code()) << result.status().message();
  EXPECT_EQ(message, result.status().message());
}

void expectInvalid(const Bytes &file, const std::string &message) {
  expectError(file, StatusCode::InvalidFile, message);
}

/// The sample model, encoded without the encoder's checks after `mutate`.
template <typename F> Bytes sampleWith(F mutate) {
  Model model = buildSampleModel();
  mutate(model);
  return test::encode(model, /*validate=*/false);
}

/// The sample container with its header changed by `mutate`.
template <typename F> Bytes sampleWithHeader(F mutate) {
  Bytes file = test::sampleBytes();
  FileHeader h = file.header();
  mutate(h);
  file.setHeader(h);
  return file;
}

TEST(VgfDecoderTest, AcceptsSample) {
  auto result = test::decode(test::sampleBytes());
  ASSERT_TRUE(result.hasValue()) << result.status().message();
  EXPECT_EQ(1u, result->model.modules.size());
  EXPECT_EQ(2u, result->model.constants.size());
}

TEST(VgfDecoderTest, RejectsFileShorterThanHeader) {
  Bytes file = test::sampleBytes();
  file.resize(100);
  expectInvalid(file, "file is 100 bytes, expected at least 128 (the header)");
  expectInvalid(Bytes(), "file is 0 bytes, expected at least 128 (the header)");
}

TEST(VgfDecoderTest, RejectsTruncationAtEverySectionBoundary) {
  Bytes full = test::sampleBytes();
  FileHeader h = full.header();
  const std::pair<SectionRange, const char *> sections[] = {
      {h.modules, "modules"}, {h.sequence, "sequence"},
      {h.resources, "resources"}, {h.constants, "constants"}};
  for (const auto &[range, name] : sections) {
    for (uint64_t cut : {range.offset, range.offset + range.size - 1}) {
      Bytes file = full;
      file.resize(cut);
      auto result = test::decode(file);
      ASSERT_FALSE(result.hasValue()) << "cut at " << cut;
      // The first section (in header order) that no longer fits is named.
      std::string first;
      for (const auto &[r, n] : sections)
        if (first.empty() && r.offset + r.size > cut)
          first = n;
      EXPECT_EQ(0u, result.status().message().find(first + " section: range ["))
          << result.status().message();
      EXPECT_NE(std::string::npos,
                result.status().message().find(") lies past the end of the file (" +
                                               std::to_string(cut) + " bytes)"));
    }
  }
}

TEST(VgfDecoderTest, RejectsEveryTruncation) {
  Bytes full = test::sampleBytes();
  for (size_t size = 0; size < full.size(); ++size) {
    Bytes file = full;
    file.resize(size);
    auto result = test::decode(file);
    ASSERT_FALSE(result.hasValue()) << "truncated to " << size;
    EXPECT_EQ(StatusCode::InvalidFile, result.status().code());
  }
}

TEST(VgfDecoderTest, RejectsSectionPastEndOfFile) {
  Bytes file = test::sampleBytes();
  FileHeader h = file.header();
  h.sequence.offset = file.size() + 8;
  file.setHeader(h);
  expectInvalid(file, "sequence section: range [" + std::to_string(file.size() + 8) + ", +" +
                          std::to_string(h.sequence.size) +
                          ") lies past the end of the file (" + std::to_string(file.size()) +
                          " bytes)");
}

TEST(VgfDecoderTest, RejectsSectionSizeThatWouldOverflow) {
  auto result =
      test::decode(sampleWithHeader([](FileHeader &h) { h.resources.size = UINT64_MAX - 8; }));
  ASSERT_FALSE(result.hasValue());
  EXPECT_EQ(0u, result.status().message().find("resources section: range ["));
}

TEST(VgfDecoderTest, RejectsOverlappingSections) {
  Bytes file = test::sampleBytes();
  FileHeader h = file.header();
  h.sequence.offset = h.modules.offset + 8;
  file.setHeader(h);
  expectInvalid(file, "modules section [128, " +
                          std::to_string(h.modules.offset + h.modules.size) +
                          ") overlaps sequence section [136, " +
                          std::to_string(136 + h.sequence.size) + ")");
}

TEST(VgfDecoderTest, RejectsSectionInsideHeader) {
  expectInvalid(sampleWithHeader([](FileHeader &h) { h.modules.offset = 64; }),
                "modules section: offset 64 overlaps the header, expected >= 128");
}

TEST(VgfDecoderTest, RejectsBadMagic) {
  Bytes file = test::sampleBytes();
  std::memcpy(file.data(), "VGF2", 4);
  expectInvalid(file, "header: bad magic: expected 'VGF1' (56 47 46 31), got 56 47 46 32");
}

TEST(VgfDecoderTest, AcceptsLegacyMagic) {
  Bytes file = test::sampleBytes();
  file.put<uint32_t>(0, kLegacyMagic);
  auto result = test::decode(file);
  ASSERT_TRUE(result.hasValue()) << result.status().message();
  EXPECT_TRUE(result->info.legacyMagic);
}

TEST(VgfDecoderTest, RejectsFutureVersion) {
  Bytes file = test::sampleBytes();
  file.data()[offsetof(FileHeader, minor)] = 5;
  expectInvalid(file, "header: unsupported format version 0.5.3, expected 0.x.y with x <= 4");
  file.data()[offsetof(FileHeader, minor)] = 4;
  file.data()[offsetof(FileHeader, major)] = 1;
  expectInvalid(file, "header: unsupported format version 1.4.3, expected 0.x.y with x <= 4");
}

TEST(VgfDecoderTest, RejectsMisalignedConstantsSection) {
  Bytes file = test::sampleBytes();
  FileHeader h = file.header();
  h.constants.offset += 4;
  h.constants.size -= 4;
  file.setHeader(h);
  expectInvalid(file, "constants section: offset " + std::to_string(h.constants.offset) +
                          " is not a multiple of 8");
}

TEST(VgfDecoderTest, RejectsMisalignedConstantPayload) {
  Bytes file = test::sampleBytes();
  uint64_t record = file.header().constants.offset + 16;
  file.put<uint64_t>(record + offsetof(ConstantRecord, offset), 4);
  expectInvalid(file, "constants section: record 0: payload offset 4 is not a multiple of 8");
}

TEST(VgfDecoderTest, RejectsConstantPayloadPastEnd) {
  Bytes file = test::sampleBytes();
  uint64_t record = file.header().constants.offset + 16;
  file.put<uint64_t>(record + offsetof(ConstantRecord, size), UINT64_MAX);
  expectInvalid(file, "constants section: record 0: payload [0, +18446744073709551615) lies "
                      "past the end of the payload (296 bytes)");
}

TEST(VgfDecoderTest, RejectsHugeConstantCount) {
  Bytes file = test::sampleBytes();
  file.put<uint64_t>(file.header().constants.offset + 8, uint64_t(1) << 60);
  expectInvalid(file, "constants section: count 1152921504606846976 needs 1152921504606846976 "
                      "records of 24 bytes but the section holds at most 14");
}

TEST(VgfDecoderTest, RejectsHugeFlatBuffersVectorCount) {
  Bytes file = test::sampleBytes();
  FileHeader h = file.header();
  // The SPIR-V words vector is the only vector of 469 elements in the modules section.
  uint64_t end = h.modules.offset + h.modules.size;
  bool patched = false;
  for (uint64_t at = h.modules.offset; at + 4 <= end && !patched; at += 4)
    if (file.get<uint32_t>(at) == 469 && file.get<uint32_t>(at + 4) == 0x07230203u) {
      file.put<uint32_t>(at, 0x3fffffff);
      patched = true;
    }
  ASSERT_TRUE(patched);
  expectInvalid(file, "modules section: not a valid ModuleTable FlatBuffer (verifier failed)");
}

TEST(VgfDecoderTest, RejectsGarbageTable) {
  Bytes file = test::sampleBytes();
  file.put<uint32_t>(file.header().sequence.offset, 0xfffffff0u);
  expectInvalid(file,
                "sequence section: not a valid ModelSequenceTable FlatBuffer (verifier failed)");
}

TEST(VgfDecoderTest, RejectsTinyTableSection) {
  expectInvalid(sampleWithHeader([](FileHeader &h) { h.resources.size = 4; }),
                "resources section: expected a size in [12, 2147483647), got 4");
}

TEST(VgfDecoderTest, RejectsBadModuleIndex) {
  expectInvalid(sampleWith([](Model &m) { m.segments[0].moduleIndex = 7; }),
                "segment 0 'add_0': module_index 7 out of range, expected < 1");
}

TEST(VgfDecoderTest, RejectsBadMrtIndex) {
  expectInvalid(sampleWith([](Model &m) { m.segments[0].descriptorSets[0].bindings[1].mrtIndex = 40; }),
                "segment 0 'add_0': set_infos[0].bindings[1]: mrt_index 40 out of range, "
                "expected < 5");
  expectInvalid(sampleWith([](Model &m) { m.outputs[0].mrtIndex = 9; }),
                "model outputs[0]: mrt_index 9 out of range, expected < 5");
  expectInvalid(sampleWith([](Model &m) { m.constants[0].mrtIndex = 5; }),
                "constant 0: mrt_index 5 out of range, expected < 5");
}

TEST(VgfDecoderTest, RejectsBadConstantIndex) {
  expectInvalid(sampleWith([](Model &m) { m.segments[0].constants.push_back(2); }),
                "segment 0 'add_0': constants[2] = 2 out of range, expected < 2");
}

TEST(VgfDecoderTest, RejectsDispatchShapeOfLength2) {
  expectInvalid(sampleWith([](Model &m) { m.segments[0].dispatchShape = {4, 1}; }),
                "segment 0 'add_0': expected dispatch_shape of 3 workgroup counts, got 2 "
                "entries");
}

TEST(VgfDecoderTest, RejectsZeroWorkgroupCount) {
  expectInvalid(sampleWith([](Model &m) { m.segments[0].dispatchShape = {4, 0, 1}; }),
                "segment 0 'add_0': expected dispatch_shape[1] > 0, got 0");
}

TEST(VgfDecoderTest, RejectsNonSpirvModule) {
  expectInvalid(sampleWith([](Model &m) { m.modules[0].spirv[0] = 0xdeadbeef; }),
                "module 0 'sample_add_i32': expected SPIR-V magic 0x07230203 at word 0, got "
                "0xdeadbeef");
  expectInvalid(sampleWith([](Model &m) { m.modules[0].spirv.resize(2); }),
                "module 0 'sample_add_i32': expected at least 5 SPIR-V words (the header), "
                "got 2");
}

TEST(VgfDecoderTest, RejectsConstantSizeThatDisagreesWithResource) {
  expectInvalid(sampleWith([](Model &m) { m.resources[3].shape = {65}; }),
                "constant 0: expected 260 bytes (the packed size of resource 3), got 256");
}

TEST(VgfDecoderTest, RejectsOverflowingShape) {
  expectInvalid(sampleWith([](Model &m) { m.resources[0].shape = {INT64_MAX, 4}; }),
                "resource 0: element count overflows 64 bits at shape[1]");
}

TEST(VgfDecoderTest, RejectsBadSparsity) {
  expectInvalid(sampleWith([](Model &m) { m.constants[0].sparsityDimension = -2; }),
                "constant 0: expected sparsity_dimension >= -1, got -2");
  expectError(sampleWith([](Model &m) { m.constants[0].sparsityDimension = 0; }),
              StatusCode::Unsupported,
              "constant 0: sparse constants (sparsity_dimension 0) are not supported");
}

TEST(VgfDecoderTest, RejectsUnknownDescriptorType) {
  expectError(sampleWith([](Model &m) { m.resources[0].descriptorType = 1000460000; }),
              StatusCode::Unsupported,
              "resource 0: vk_descriptor_type 1000460000 (TENSOR_ARM) is not supported, "
              "expected 7 (STORAGE_BUFFER)");
  expectInvalid(sampleWith([](Model &m) { m.resources[3].descriptorType = 7; }),
                "resource 3: expected vk_descriptor_type 0xffffffff (none) for a CONSTANT "
                "entry, got 7 (STORAGE_BUFFER)");
}

TEST(VgfDecoderTest, RejectsInterfaceMismatches) {
  expectInvalid(sampleWith([](Model &m) { m.inputNames.pop_back(); }),
                "model input_names: expected 0 or 2 names, got 1");
  expectInvalid(sampleWith([](Model &m) { m.outputs[0].mrtIndex = 0; }),
                "model outputs[0]: resource 0 has category INPUT, expected OUTPUT");
  expectInvalid(sampleWith([](Model &m) { m.outputs[0].binding = 1; }),
                "model outputs[0]: binding 1 is already used by another model input or output");
}

TEST(VgfDecoderTest, RejectsLegacyConstantsLayout) {
  Bytes file = test::sampleBytes();
  std::memcpy(file.data() + file.header().constants.offset, "XXXXXXXX", 8);
  expectError(file, StatusCode::Unsupported,
              "constants section: expected the 'CONST00' layout; the legacy FlatBuffers "
              "layout of format < 0.4.0 is not supported");
}

/// Builds a one-module ModuleTable with the given type and code.
Bytes withModule(VGF::ModuleType type, VGF::ModuleCode codeType) {
  flatbuffers::FlatBufferBuilder b;
  flatbuffers::Offset<void> code;
  if (codeType == VGF::ModuleCode_GLSL)
    code = VGF::CreateGLSL(b, b.CreateString("void main() {}")).Union();
  else
    code = VGF::CreateSPIRV(b, b.CreateVector(buildSampleModel().modules[0].spirv)).Union();
  auto module = VGF::CreateModule(b, type, b.CreateString("m"), b.CreateString("main"),
                                  codeType, code);
  b.Finish(VGF::CreateModuleTable(b, b.CreateVector(&module, 1)));
  return test::replaceSection(test::sampleBytes(), test::Section::Modules,
                              b.GetBufferPointer(), b.GetSize());
}

TEST(VgfDecoderTest, RejectsUnsupportedModules) {
  ASSERT_TRUE(test::decode(withModule(VGF::ModuleType_COMPUTE, VGF::ModuleCode_SPIRV)));
  expectError(withModule(VGF::ModuleType_GRAPH, VGF::ModuleCode_SPIRV), StatusCode::Unsupported,
              "module 0 'm': GRAPH modules are not supported, expected COMPUTE");
  expectError(withModule(VGF::ModuleType_COMPUTE, VGF::ModuleCode_GLSL),
              StatusCode::Unsupported,
              "module 0 'm': GLSL source modules are not supported, expected SPIR-V");
}

TEST(VgfDecoderTest, RejectsGraphSegment) {
  flatbuffers::FlatBufferBuilder b;
  std::vector<uint32_t> dispatch = {0, 0, 0};
  auto segment = VGF::CreateSegmentInfo(b, VGF::ModuleType_GRAPH, b.CreateString("g"), 0, 0, 0,
                                        0, 0, b.CreateVector(dispatch));
  b.Finish(VGF::CreateModelSequenceTable(b, b.CreateVector(&segment, 1)));
  expectError(test::replaceSection(test::sampleBytes(), test::Section::Sequence,
                                   b.GetBufferPointer(), b.GetSize()),
              StatusCode::Unsupported,
              "segment 0 'g': GRAPH segments are not supported, expected COMPUTE");
}

TEST(VgfDecoderTest, FallsBackToPositionForUnsetSetIndex) {
  Bytes file = sampleWith([](Model &m) { m.segments[0].descriptorSets[0].setIndex = kUnset; });
  auto result = test::decode(file);
  ASSERT_TRUE(result.hasValue()) << result.status().message();
  EXPECT_EQ(0u, result->model.segments[0].descriptorSets[0].setIndex);
}

TEST(VgfDecoderTest, RejectsMisalignedBuffer) {
  Bytes file = test::sampleBytes();
  auto result = decodeVgf(file.data() + 4, file.size() - 4);
  ASSERT_FALSE(result.hasValue());
  EXPECT_EQ(StatusCode::InvalidArgument, result.status().code());
  EXPECT_EQ("decodeVgf: expected an 8-byte aligned buffer", result.status().message());
}

TEST(VgfDecoderTest, CopyDecodesMisalignedBytesAndOwnsThem) {
  Bytes file = test::sampleBytes();
  std::vector<uint8_t> shifted(file.size() + 4); // file.data() + 4 is misaligned
  std::memcpy(shifted.data() + 4, file.data(), file.size());
  auto result = decodeVgfCopy(shifted.data() + 4, file.size());
  ASSERT_TRUE(result.hasValue()) << result.status().message();
  std::fill(shifted.begin(), shifted.end(), uint8_t(0));
  const Constant &c = result->model.constants[0];
  int32_t k7;
  std::memcpy(&k7, c.data + 7 * sizeof(int32_t), sizeof(k7));
  EXPECT_EQ(7, k7) << "the constants point into the decoder's own copy";
}

TEST(VgfDecoderTest, ReportsMissingFileWithPath) {
  auto result = decodeVgfFile("no-such-dir/missing.vgf");
  ASSERT_FALSE(result.hasValue());
  EXPECT_EQ(0u, result.status().message().find("no-such-dir/missing.vgf: cannot open"));
}

TEST(VgfDecoderTest, ConstantsPointIntoTheBuffer) {
  Bytes file = test::sampleBytes();
  auto result = test::decode(file);
  ASSERT_TRUE(result.hasValue());
  const Constant &c = result->model.constants[0];
  EXPECT_EQ(file.data() + result->info.constantOffsets[0], c.data);
  int32_t k7;
  std::memcpy(&k7, c.data + 7 * sizeof(int32_t), sizeof(k7));
  EXPECT_EQ(7, k7);
}

} // namespace
} // namespace kiln::vgf
