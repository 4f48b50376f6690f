// A large constant streams through the encoder and back through the decoder's mapping
// without ever being held in memory: peak RSS stays far below the constant's size.
// KILN_VGF_LARGE_MIB overrides the size (default 1024 MiB).

#include "SampleModel.h"
#include "VgfTestUtil.h"
#include "kiln/vgf/Decoder.h"
#include "kiln/vgf/Encoder.h"
#include "kiln/vgf/Metadata.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <sys/resource.h>

namespace kiln::vgf {
namespace {

uint8_t patternByte(uint64_t i) { return static_cast<uint8_t>((i * 2654435761u) >> 13); }

uint64_t peakRssBytes() {
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<uint64_t>(usage.ru_maxrss) * 1024; // Linux reports KiB
}

TEST(VgfLargeConstantTest, StreamsAndMapsWithoutCopying) {
  const char *env = std::getenv("KILN_VGF_LARGE_MIB");
  const uint64_t size = (env ? std::strtoull(env, nullptr, 10) : 1024) << 20;
  constexpr uint64_t kChunk = 1 << 20;
  auto start = std::chrono::steady_clock::now();

  Model model = buildSampleModel();
  Resource big;
  big.category = ResourceCategory::Constant;
  big.descriptorType = kDescriptorTypeNone;
  big.format = static_cast<uint32_t>(Format::R8Uint);
  big.shape = {static_cast<int64_t>(size)};
  model.resources.push_back(big);
  auto mrt = static_cast<uint32_t>(model.resources.size() - 1);
  // The producer reuses one 1 MiB chunk: the encoder must never buffer the constant.
  model.constants.push_back(Constant::streamed(mrt, size, [&](ByteSink &sink) {
    std::vector<uint8_t> chunk(kChunk);
    for (uint64_t done = 0; done < size; done += kChunk) {
      uint64_t n = std::min(kChunk, size - done);
      for (uint64_t i = 0; i < n; ++i)
        chunk[i] = patternByte(done + i);
      KILN_RETURN_IF_ERROR(sink.write(chunk.data(), n));
    }
    return Status::ok();
  }));
  model.segments[0].constants.push_back(static_cast<uint32_t>(model.constants.size() - 1));

  std::string path = test::tempPath("large.vgf");
  Status written = writeVgfFile(path, model);
  ASSERT_TRUE(written.isOk()) << written.message();
  auto decoded = decodeVgfFile(path);
  ASSERT_TRUE(decoded.hasValue()) << decoded.status().message();
  const Constant &c = decoded->model.constants.back();
  ASSERT_EQ(size, c.size);
  EXPECT_EQ(decoded->info.fileSize, decoded->info.constantOffsets.back() + size);
  // Spot checks touch a handful of pages only.
  for (uint64_t at : {uint64_t(0), size / 3, size / 2 + 12345, size - 1})
    EXPECT_EQ(patternByte(at), c.data[at]) << "byte " << at;
  auto metadata = segmentMetadata(decoded->model, 0);
  ASSERT_TRUE(metadata.hasValue() && metadata->has_value());

  uint64_t peak = peakRssBytes();
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("large constant: %llu MiB written and decoded in %.2f s, peak RSS %.1f MiB\n",
              static_cast<unsigned long long>(size >> 20), seconds, peak / 1048576.0);
  RecordProperty("peak_rss_bytes", std::to_string(peak));
  EXPECT_LT(peak, 64u << 20) << "peak RSS suggests the constant was copied";
  std::remove(path.c_str());
}

} // namespace
} // namespace kiln::vgf
