// Weight files: what is read, and that every malformed file gives its own message.
#include "kiln/import/WeightFile.h"

#include "kiln/runtime/Npy.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <fstream>

namespace kiln {
namespace {

std::string tempPath(const std::string &name) { return ::testing::TempDir() + name; }

void writeBytes(const std::string &path, const std::string &bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

/// A safetensors image: the u64 little-endian header length, the header, the data.
std::string safetensors(const std::string &header, const std::string &data) {
  std::string out(8, '\0');
  uint64_t n = header.size();
  for (int i = 0; i < 8; ++i)
    out[i] = char((n >> (8 * i)) & 0xFF);
  return out + header + data;
}

std::string f32Bytes(std::initializer_list<float> values) {
  std::string out;
  for (float v : values) {
    char b[4];
    std::memcpy(b, &v, 4); // the test host is little-endian, as safetensors is
    out.append(b, 4);
  }
  return out;
}

/// The message of a failed read of `bytes` written to `name`.
std::string errorOf(const std::string &name, const std::string &bytes) {
  std::string path = tempPath(name);
  writeBytes(path, bytes);
  Expected<std::vector<WeightTensor>> r = readWeightFile(path);
  EXPECT_FALSE(r) << name;
  return r ? std::string() : r.status().message();
}

TEST(WeightFileTest, ReadsSafetensorsInFileOrderAndWidensHalfFloats) {
  std::string header =
      R"({"__metadata__":{"format":"pt"},)"
      R"("b.weight":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
      R"("a.bias":{"dtype":"F16","shape":[1],"data_offsets":[8,10]},)"
      R"("a.weight":{"dtype":"BF16","shape":[1,1],"data_offsets":[10,12]}})";
  // F16 0x3E00 = 1.5, BF16 0xC020 = -2.5.
  std::string data = f32Bytes({0.25f, -4.0f}) + std::string("\x00\x3E\x20\xC0", 4);
  std::string path = tempPath("model.safetensors");
  writeBytes(path, safetensors(header, data));
  Expected<std::vector<WeightTensor>> r = readWeightFile(path);
  ASSERT_TRUE(r) << r.status().message();
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[0].name, "b.weight");
  EXPECT_EQ((*r)[0].values, (std::vector<float>{0.25f, -4.0f}));
  EXPECT_EQ((*r)[1].dtype, "F16");
  EXPECT_EQ((*r)[1].values, std::vector<float>{1.5f});
  EXPECT_EQ((*r)[2].shape, (std::vector<int64_t>{1, 1}));
  EXPECT_EQ((*r)[2].values, std::vector<float>{-2.5f});
}

TEST(WeightFileTest, NpyTensorIsNamedByTheFileStem) {
  rt::NpyArray array;
  array.dtype = rt::DType::F32;
  array.shape = {2};
  array.data.resize(8);
  std::string bytes = f32Bytes({1.0f, -1.0f});
  std::memcpy(array.data.data(), bytes.data(), 8);
  std::string path = tempPath("layers.3.bias.npy");
  ASSERT_TRUE(rt::writeNpy(path, array).isOk());
  Expected<WeightMap> map = readWeights({path});
  ASSERT_TRUE(map) << map.status().message();
  ASSERT_EQ(map->count("layers.3.bias"), 1u);
  EXPECT_EQ(map->at("layers.3.bias").values, (std::vector<float>{1.0f, -1.0f}));
}

TEST(WeightFileTest, RejectsTruncatedAndMalformedSafetensors) {
  EXPECT_NE(errorOf("short.safetensors", "abc").find("expected at least 8 bytes"),
            std::string::npos);
  std::string longHeader = safetensors("{}", "");
  longHeader[0] = 100;
  EXPECT_NE(errorOf("long.safetensors", longHeader).find("the header claims 100 bytes"),
            std::string::npos);
  EXPECT_NE(errorOf("json.safetensors", safetensors("{\"a\":", "")).find("malformed"),
            std::string::npos);
  EXPECT_NE(errorOf("array.safetensors", safetensors("[]", "")).find("JSON object"),
            std::string::npos);
  EXPECT_NE(errorOf("offsets.safetensors",
                    safetensors(R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})",
                                f32Bytes({1.0f, 2.0f})))
                .find("data_offsets [4, 12] are outside the data section of 8 bytes"),
            std::string::npos);
  EXPECT_NE(errorOf("reversed.safetensors",
                    safetensors(R"({"w":{"dtype":"F32","shape":[0],"data_offsets":[8,4]}})",
                                f32Bytes({1.0f, 2.0f})))
                .find("outside the data section"),
            std::string::npos);
  EXPECT_NE(errorOf("count.safetensors",
                    safetensors(R"({"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})",
                                f32Bytes({1.0f, 2.0f})))
                .find("expected 12 bytes for its F32 shape, got 8"),
            std::string::npos);
  EXPECT_NE(errorOf("overflow.safetensors",
                    safetensors(R"({"w":{"dtype":"F32","shape":[4294967296,4294967296],)"
                                R"("data_offsets":[0,8]}})",
                                f32Bytes({1.0f, 2.0f})))
                .find("shape too large"),
            std::string::npos);
  EXPECT_NE(errorOf("dtype.safetensors",
                    safetensors(R"({"w":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}})",
                                f32Bytes({1.0f, 2.0f})))
                .find("tensor 'w': unsupported dtype I64, expected F32, F16 or BF16"),
            std::string::npos);
  EXPECT_NE(errorOf("shape.safetensors",
                    safetensors(R"({"w":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}})",
                                f32Bytes({1.0f})))
                .find("expected non-negative integer dimensions"),
            std::string::npos);
}

TEST(WeightFileTest, RejectsUnknownExtensionsAndDuplicateNames) {
  Expected<std::vector<WeightTensor>> r = readWeightFile("weights.bin");
  ASSERT_FALSE(r);
  EXPECT_NE(r.status().message().find("expected a .npy or .safetensors file"),
            std::string::npos);
  std::string header = R"({"x.bias":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})";
  std::string a = tempPath("a.safetensors"), b = tempPath("b.safetensors");
  writeBytes(a, safetensors(header, f32Bytes({1.0f})));
  writeBytes(b, safetensors(header, f32Bytes({2.0f})));
  Expected<WeightMap> map = readWeights({a, b});
  ASSERT_FALSE(map);
  EXPECT_NE(map.status().message().find("tensor 'x.bias' is in both"), std::string::npos);
}

} // namespace
} // namespace kiln
