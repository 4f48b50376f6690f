#include "VgfTestUtil.h"

#include "SampleModel.h"
#include "kiln/support/Files.h"
#include "kiln/vgf/Encoder.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <unistd.h>

namespace kiln::vgf::test {

Bytes::Bytes(const std::vector<uint8_t> &bytes) {
  resize(bytes.size());
  if (!bytes.empty())
    std::memcpy(data(), bytes.data(), bytes.size());
}

void Bytes::resize(size_t size) {
  words_.resize((size + 7) / 8, 0);
  size_ = size;
}

Bytes encode(const Model &model, bool validate) {
  EncodeOptions options;
  options.validate = validate;
  auto bytes = encodeVgf(model, options);
  EXPECT_TRUE(bytes.hasValue()) << (bytes ? "" : bytes.status().message());
  return bytes ? Bytes(*bytes) : Bytes();
}

Bytes sampleBytes() { return encode(buildSampleModel()); }

Expected<DecodedVgf> decode(const Bytes &bytes) { return decodeVgf(bytes.data(), bytes.size()); }

Bytes replaceSection(const Bytes &file, Section which, const uint8_t *data, size_t size) {
  FileHeader header = file.header();
  SectionRange *ranges[] = {&header.modules, &header.sequence, &header.resources,
                            &header.constants};
  std::vector<std::vector<uint8_t>> contents;
  for (SectionRange *r : ranges)
    contents.emplace_back(file.data() + r->offset, file.data() + r->offset + r->size);
  contents[static_cast<size_t>(which)].assign(data, data + size);
  std::vector<uint8_t> out(sizeof(FileHeader));
  for (size_t i = 0; i < 4; ++i) {
    out.resize((out.size() + 7) / 8 * 8, 0);
    *ranges[i] = {out.size(), contents[i].size()};
    out.insert(out.end(), contents[i].begin(), contents[i].end());
  }
  std::memcpy(out.data(), &header, sizeof(header));
  return Bytes(out);
}

std::string tempPath(const std::string &name) {
  const ::testing::TestInfo *info = ::testing::UnitTest::GetInstance()->current_test_info();
  return ::testing::TempDir() + "kiln_vgf_" + std::to_string(::getpid()) + "_" +
         (info ? info->name() : "none") + "_" + name;
}

void saveSeed(const std::string &name, const std::vector<uint8_t> &bytes) {
  const char *dir = std::getenv("KILN_VGF_SEED_DIR");
  if (!dir || !*dir)
    return;
  Status status = writeFileAtomically(std::string(dir) + "/" + name, bytes.data(), bytes.size());
  EXPECT_TRUE(status.isOk()) << status.message();
}

} // namespace kiln::vgf::test
