// The Vulkan runtime on small hand-built containers, with the validation layer on:
// any validation error fails run() and so the test. Runs on lavapipe.

#include "TestModels.h"

#include "kiln/runtime/Session.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace kiln::rt {
namespace {

using test::kCount;

DeviceOptions validated() {
  DeviceOptions options;
  options.validation = true;
  return options;
}

std::unique_ptr<Session> openOrFail(const vgf::Model &model) {
  Expected<std::unique_ptr<Session>> session = Session::openBytes(test::encode(model), validated());
  EXPECT_TRUE(session.hasValue()) << (session ? "" : session.status().message());
  return session ? std::move(*session) : nullptr;
}

std::vector<float> iota() {
  std::vector<float> x(kCount);
  for (uint32_t i = 0; i < kCount; ++i)
    x[i] = float(i) - 20;
  return x;
}

std::vector<float> runF32(Session &session, const std::vector<float> &x, RunStats *stats = nullptr) {
  EXPECT_TRUE(session.setInput(0, x.data(), x.size() * sizeof(float)).isOk());
  Status ran = session.run(stats);
  EXPECT_TRUE(ran.isOk()) << ran.message();
  std::vector<float> y(kCount);
  EXPECT_TRUE(session.readOutput(0, y.data(), y.size() * sizeof(float)).isOk());
  return y;
}

TEST(VulkanSessionTest, AddsABoundConstant) {
  std::unique_ptr<Session> session = openOrFail(test::addConstantModel());
  ASSERT_TRUE(session);
  ASSERT_EQ(session->inputs().size(), 1u);
  EXPECT_EQ(session->inputs()[0].name, "x");
  EXPECT_EQ(session->inputs()[0].dtype, DType::F32);
  EXPECT_EQ(session->inputs()[0].shape, std::vector<int64_t>{kCount});
  EXPECT_EQ(session->outputs()[0].byteSize, kCount * sizeof(float));
  std::vector<float> x = iota(), c = test::constantValues();
  RunStats stats;
  std::vector<float> y = runF32(*session, x, &stats);
  for (uint32_t i = 0; i < kCount; ++i)
    ASSERT_EQ(y[i], x[i] + c[i]) << "at " << i;
  ASSERT_EQ(stats.segments.size(), 1u);
  EXPECT_EQ(stats.segments[0].name, "add");
  EXPECT_GE(stats.segments[0].microseconds, 0);
  EXPECT_EQ(stats.segments[0].bytes, 3u * kCount * sizeof(float));
  EXPECT_GT(stats.wallMicroseconds, 0);
}

TEST(VulkanSessionTest, RunsAgainWithNewInputs) {
  std::unique_ptr<Session> session = openOrFail(test::addConstantModel());
  ASSERT_TRUE(session);
  std::vector<float> c = test::constantValues();
  for (float offset : {0.f, 100.f, -7.f}) {
    std::vector<float> x(kCount, offset);
    std::vector<float> y = runF32(*session, x);
    for (uint32_t i = 0; i < kCount; ++i)
      ASSERT_EQ(y[i], offset + c[i]) << "offset " << offset << " at " << i;
  }
}

TEST(VulkanSessionTest, ChainsSegmentsThroughAliasedIntermediates) {
  std::unique_ptr<Session> session = openOrFail(test::chainModel());
  ASSERT_TRUE(session);
  std::vector<float> x = iota(), c = test::constantValues();
  RunStats stats;
  std::vector<float> y = runF32(*session, x, &stats);
  for (uint32_t i = 0; i < kCount; ++i)
    ASSERT_EQ(y[i], ((x[i] + c[i]) * 2 + c[i]) * 2) << "at " << i;
  ASSERT_EQ(stats.segments.size(), 4u);
  EXPECT_EQ(stats.segments[3].name, "scale_1");
  EXPECT_EQ(stats.segments[0].startMicroseconds, 0);
  // Dispatches run in order: each starts after the previous one ended.
  for (size_t i = 1; i < 4; ++i)
    EXPECT_GE(stats.segments[i].startMicroseconds,
              stats.segments[i - 1].startMicroseconds + stats.segments[i - 1].microseconds);
}

TEST(VulkanSessionTest, StagesThroughHostBuffersWhenForced) {
  // The path of a discrete GPU whose device-local memory is not host-visible: inputs,
  // outputs and constants go through staging buffers and recorded copies.
  setenv("KILN_VULKAN_FORCE_STAGING", "1", 1);
  std::unique_ptr<Session> session = openOrFail(test::chainModel());
  unsetenv("KILN_VULKAN_FORCE_STAGING");
  ASSERT_TRUE(session);
  std::vector<float> c = test::constantValues();
  for (float offset : {0.f, 3.f}) {
    std::vector<float> x = iota();
    for (float &v : x)
      v += offset;
    std::vector<float> y = runF32(*session, x);
    for (uint32_t i = 0; i < kCount; ++i)
      ASSERT_EQ(y[i], ((x[i] + c[i]) * 2 + c[i]) * 2) << "at " << i;
  }
}

TEST(VulkanSessionTest, PicksTheFirstVariantTheDeviceSupports) {
  // lavapipe has shaderFloat16: the fp16 variant (x + 2) runs, not the portable x + 1;
  // the variant before it needs a feature bit no device has.
  std::unique_ptr<Session> session = openOrFail(test::variantModel());
  ASSERT_TRUE(session);
  std::vector<float> x = iota();
  std::vector<float> y = runF32(*session, x);
  for (uint32_t i = 0; i < kCount; ++i)
    ASSERT_EQ(y[i], x[i] + 2) << "at " << i;
}

TEST(VulkanSessionTest, ReadsInt8StorageBuffers) {
  std::unique_ptr<Session> session = openOrFail(test::int8Model());
  ASSERT_TRUE(session);
  EXPECT_EQ(session->inputs()[0].dtype, DType::I8);
  EXPECT_EQ(session->outputs()[0].dtype, DType::I32);
  std::vector<int8_t> x(kCount);
  for (uint32_t i = 0; i < kCount; ++i)
    x[i] = static_cast<int8_t>(int(i * 5) - 128);
  ASSERT_TRUE(session->setInput(0, x.data(), x.size()).isOk());
  Status ran = session->run();
  ASSERT_TRUE(ran.isOk()) << ran.message();
  std::vector<int32_t> y(kCount);
  ASSERT_TRUE(session->readOutput(0, y.data(), y.size() * 4).isOk());
  for (uint32_t i = 0; i < kCount; ++i)
    ASSERT_EQ(y[i], 3 * x[i]) << "at " << i;
}

TEST(VulkanSessionTest, RejectsPushConstants) {
  vgf::Model model = test::addConstantModel();
  model.segments[0].pushConstantRanges.push_back({0x20, 0, 16});
  Expected<std::unique_ptr<Session>> session = Session::openBytes(test::encode(model), validated());
  ASSERT_FALSE(session.hasValue());
  EXPECT_EQ(session.status().code(), StatusCode::Unsupported);
  EXPECT_EQ(session.status().message(),
            "segment 0 'add': push constants are not supported (a VGF carries no push-constant "
            "values; Kiln's kernels bake their shapes)");
}

TEST(VulkanSessionTest, RejectsAnInputOfTheWrongSize) {
  std::unique_ptr<Session> session = openOrFail(test::addConstantModel());
  ASSERT_TRUE(session);
  std::vector<float> x(kCount + 1);
  Status status = session->setInput(0, x.data(), x.size() * sizeof(float));
  EXPECT_EQ(status.code(), StatusCode::InvalidArgument);
  EXPECT_EQ(status.message(), "input 0 'x': expected 256 bytes, got 260");
  status = session->setInput(1, x.data(), kCount * sizeof(float));
  EXPECT_EQ(status.message(), "input 1 out of range: the model has 1 input(s)");
  status = session->readOutput(0, x.data(), 4);
  EXPECT_EQ(status.message(), "output 0 'y': expected 256 bytes, got 4");

  // The rejected calls left the session as it was: it still runs.
  std::vector<float> ones(kCount, 1.f), y(kCount), c = test::constantValues();
  ASSERT_TRUE(session->setInput(0, ones.data(), kCount * sizeof(float)).isOk());
  ASSERT_TRUE(session->run().isOk());
  ASSERT_TRUE(session->readOutput(0, y.data(), kCount * sizeof(float)).isOk());
  for (uint32_t i = 0; i < kCount; ++i)
    ASSERT_EQ(y[i], 1.f + c[i]) << "at " << i;
}

TEST(VulkanSessionTest, RejectsACorruptContainer) {
  std::vector<uint8_t> bytes = test::encode(test::addConstantModel());
  bytes.resize(100);
  Expected<std::unique_ptr<Session>> session = Session::openBytes(bytes, validated());
  ASSERT_FALSE(session.hasValue());
  EXPECT_EQ(session.status().code(), StatusCode::InvalidFile);
}

TEST(VulkanSessionTest, SelectsADeviceByNameOrIndex) {
  for (const char *selector : {"0", "LLVMPIPE"}) {
    DeviceOptions options = validated();
    options.device = selector;
    Expected<std::unique_ptr<Session>> session =
        Session::openBytes(test::encode(test::addConstantModel()), options);
    ASSERT_TRUE(session.hasValue()) << selector << ": " << session.status().message();
    EXPECT_NE((*session)->deviceName().find("llvmpipe"), std::string::npos);
  }
  DeviceOptions options;
  options.device = "no-such-gpu";
  Expected<std::unique_ptr<Session>> session =
      Session::openBytes(test::encode(test::addConstantModel()), options);
  ASSERT_FALSE(session.hasValue());
  EXPECT_EQ(session.status().code(), StatusCode::InvalidArgument);
  EXPECT_NE(session.status().message().find("no Vulkan device matches 'no-such-gpu' (devices: 0: "),
            std::string::npos)
      << session.status().message();
}

TEST(VulkanSessionTest, ExplainsAMissingDriver) {
  // The loader reads only the ICD manifests VK_ICD_FILENAMES names.
  setenv("VK_ICD_FILENAMES", "/nonexistent/icd.json", 1);
  Expected<std::unique_ptr<Session>> session =
      Session::openBytes(test::encode(test::addConstantModel()), {});
  unsetenv("VK_ICD_FILENAMES");
  ASSERT_FALSE(session.hasValue());
  EXPECT_EQ(session.status().code(), StatusCode::Unavailable);
  EXPECT_NE(session.status().message().find("VK_ICD_FILENAMES=/nonexistent/icd.json"),
            std::string::npos)
      << session.status().message();
  EXPECT_EQ(session.status().message().rfind("no Vulkan ", 0), 0u) << session.status().message();
}

TEST(VulkanSessionTest, WritesAndReusesThePipelineCache) {
  std::string dir = ::testing::TempDir() + "kiln-pipeline-cache";
  std::system(("rm -rf '" + dir + "' && mkdir -p '" + dir + "'").c_str());
  DeviceOptions options = validated();
  options.pipelineCacheDir = dir;
  for (int i = 0; i < 2; ++i) {
    Expected<std::unique_ptr<Session>> session =
        Session::openBytes(test::encode(test::addConstantModel()), options);
    ASSERT_TRUE(session.hasValue()) << session.status().message();
    std::vector<float> y = runF32(**session, iota());
    EXPECT_EQ(y[0], -20.f);
  }
  EXPECT_EQ(std::system(("ls '" + dir + "'/kiln-*.pipeline-cache > /dev/null").c_str()), 0);
}

} // namespace
} // namespace kiln::rt
