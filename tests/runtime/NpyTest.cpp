#include "kiln/runtime/Npy.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <unistd.h>

namespace kiln::rt {
namespace {

std::string tempPath(const std::string &leaf) {
  return ::testing::TempDir() + "kiln_npy_" + std::to_string(::getpid()) + "_" + leaf;
}

/// Builds a version-1.0 .npy image from a raw header dict (no padding rules).
std::vector<uint8_t> npyImage(const std::string &dict, size_t dataBytes, uint8_t major = 1) {
  std::vector<uint8_t> out = {0x93, 'N', 'U', 'M', 'P', 'Y', major, 0};
  std::string header = dict + "\n";
  size_t n = header.size();
  out.push_back(uint8_t(n));
  out.push_back(uint8_t(n >> 8));
  if (major != 1) {
    out.push_back(uint8_t(n >> 16));
    out.push_back(uint8_t(n >> 24));
  }
  out.insert(out.end(), header.begin(), header.end());
  out.resize(out.size() + dataBytes, 0);
  return out;
}

std::string parseError(const std::vector<uint8_t> &image) {
  Expected<NpyArray> a = parseNpy(image.data(), image.size(), "t.npy");
  return a ? std::string("<no error>") : a.status().message();
}

TEST(NpyTest, RoundTripsEveryDtype) {
  const DType all[] = {DType::Bool, DType::I4,  DType::I8,  DType::U8,
                       DType::I16,  DType::I32, DType::I64, DType::F16,
                       DType::BF16, DType::F32, DType::F64};
  for (DType t : all) {
    NpyArray a;
    a.dtype = t;
    a.shape = {2, 3};
    a.data.resize(6 * dtypeSize(t));
    for (size_t i = 0; i < a.data.size(); ++i)
      a.data[i] = uint8_t(i * 37 + 1);
    if (t == DType::Bool || t == DType::I4)
      for (size_t i = 0; i < a.data.size(); ++i)
        a.data[i] = t == DType::Bool ? i % 2 : uint8_t(int8_t(int(i) - 8 + int(i) * 2));
    std::string path = tempPath(std::string(dtypeName(t)) + ".npy");
    ASSERT_TRUE(writeNpy(path, a).isOk()) << dtypeName(t);
    Expected<NpyArray> b = readNpy(path);
    ASSERT_TRUE(b) << b.status().message();
    // int4 comes back as int8 (NumPy has no int4); everything else keeps its dtype.
    EXPECT_EQ(b->dtype, t == DType::I4 ? DType::I8 : t) << dtypeName(t);
    EXPECT_EQ(b->shape, a.shape);
    EXPECT_EQ(b->data, a.data) << dtypeName(t);
    std::remove(path.c_str());
  }
}

TEST(NpyTest, WritesDataAt64ByteBoundaryAndScalarShape) {
  NpyArray a;
  a.dtype = DType::F32;
  a.shape = {};
  float v = 1.5f;
  a.data.resize(4);
  std::memcpy(a.data.data(), &v, 4);
  std::string path = tempPath("scalar.npy");
  ASSERT_TRUE(writeNpy(path, a).isOk());
  FILE *f = std::fopen(path.c_str(), "rb");
  ASSERT_NE(f, nullptr);
  std::vector<uint8_t> bytes(4096);
  bytes.resize(std::fread(bytes.data(), 1, bytes.size(), f));
  std::fclose(f);
  ASSERT_GT(bytes.size(), 4u);
  size_t dataStart = bytes.size() - 4;
  EXPECT_EQ(dataStart % 64, 0u);
  std::string header(bytes.begin() + 10, bytes.begin() + dataStart);
  EXPECT_NE(header.find("'shape': ()"), std::string::npos) << header;
  EXPECT_EQ(header.back(), '\n');
  Expected<NpyArray> b = readNpy(path);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->numElements(), 1);
  EXPECT_EQ(*b->as<float>(), 1.5f);
  std::remove(path.c_str());
}

TEST(NpyTest, AcceptsVersions2And3) {
  for (uint8_t major : {2, 3}) {
    auto image = npyImage("{'descr': '<i2', 'fortran_order': False, 'shape': (3,), }", 6, major);
    Expected<NpyArray> a = parseNpy(image.data(), image.size(), "t.npy");
    ASSERT_TRUE(a) << a.status().message();
    EXPECT_EQ(a->dtype, DType::I16);
    EXPECT_EQ(a->shape, std::vector<int64_t>{3});
  }
}

TEST(NpyTest, RejectsWrongMagic) {
  auto image = npyImage("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", 4);
  image[1] = 'X';
  EXPECT_EQ(parseError(image), "t.npy: not a .npy file (expected the magic \\x93NUMPY)");
}

TEST(NpyTest, RejectsUnknownVersion) {
  auto image = npyImage("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", 4);
  image[6] = 4;
  EXPECT_EQ(parseError(image), "t.npy: unsupported .npy version 4.0, expected 1.0, 2.0 or 3.0");
}

TEST(NpyTest, RejectsUnsupportedDtypeByName) {
  auto image = npyImage("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", 8);
  EXPECT_EQ(parseError(image),
            "t.npy: unsupported dtype '<c8' (supported: b1 i1 u1 i2 i4 i8 u2 f2 f4 f8)");
}

TEST(NpyTest, RejectsBigEndian) {
  auto image = npyImage("{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", 4);
  EXPECT_EQ(parseError(image),
            "t.npy: big-endian dtype '>f4' is not supported, expected little-endian ('<')");
}

TEST(NpyTest, RejectsFortranOrder) {
  auto image = npyImage("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", 16);
  EXPECT_EQ(parseError(image),
            "t.npy: fortran_order arrays are not supported, expected C order");
}

TEST(NpyTest, RejectsMalformedHeaderDicts) {
  EXPECT_NE(parseError(npyImage("{'descr': '<f4', 'shape': (1,), }", 4))
                .find("missing key 'fortran_order'"),
            std::string::npos);
  EXPECT_NE(parseError(npyImage("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), "
                                "'x': 1}",
                                4))
                .find("unexpected key 'x'"),
            std::string::npos);
  EXPECT_NE(parseError(npyImage("{'descr': '<f4', 'fortran_order': Fals, 'shape': (1,)}", 4))
                .find("expected True or False"),
            std::string::npos);
  EXPECT_NE(parseError(npyImage("{'descr': '<f4', 'fortran_order': False, 'shape': (1)}", 4))
                .find("must be written '(n,)'"),
            std::string::npos);
  EXPECT_NE(parseError(npyImage("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,)}", 4))
                .find("expected a non-negative integer dimension"),
            std::string::npos);
  EXPECT_NE(parseError(npyImage("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, "
                                "'shape': (1,)}",
                                4))
                .find("duplicate key 'descr'"),
            std::string::npos);
  std::string msg = parseError(npyImage("{'descr': '<f4' 'fortran_order': False}", 4));
  EXPECT_EQ(msg.rfind("t.npy: malformed .npy header: expected ',' or '}'", 0), 0u) << msg;
}

TEST(NpyTest, RejectsHeaderWithoutNewline) {
  auto image = npyImage("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", 4);
  image[image.size() - 4 - 1] = ' '; // the header's last byte, before 4 data bytes
  EXPECT_EQ(parseError(image),
            "t.npy: malformed .npy header: expected it to end with a newline");
}

TEST(NpyTest, RejectsTruncatedHeader) {
  auto image = npyImage("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", 0);
  image.resize(30);
  EXPECT_EQ(parseError(image).rfind("t.npy: truncated .npy header: the header says", 0), 0u);
}

TEST(NpyTest, RejectsTruncatedAndOversizedData) {
  auto shortImage = npyImage("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", 20);
  EXPECT_EQ(parseError(shortImage), "t.npy: data size mismatch: shape (2,3) of <f4 needs 24 "
                                    "bytes, the file has 20");
  auto longImage = npyImage("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", 12);
  EXPECT_EQ(parseError(longImage),
            "t.npy: data size mismatch: shape (2,) of <f4 needs 8 bytes, the file has 12");
}

TEST(NpyTest, RejectsShapeProductOverflow) {
  auto image = npyImage("{'descr': '<f4', 'fortran_order': False, "
                        "'shape': (4294967296, 4294967296), }",
                        0);
  EXPECT_EQ(parseError(image), "t.npy: the shape's element count overflows 64 bits");
  auto huge = npyImage("{'descr': '<f4', 'fortran_order': False, "
                       "'shape': (99999999999999999999,), }",
                       0);
  EXPECT_NE(parseError(huge).find("dimension does not fit in 64 bits"), std::string::npos);
}

TEST(NpyTest, RejectsBoolBytesOtherThanZeroOrOne) {
  auto image = npyImage("{'descr': '|b1', 'fortran_order': False, 'shape': (2,), }", 2);
  image.back() = 2;
  EXPECT_EQ(parseError(image), "t.npy: bool element 1 is not 0 or 1, got 2");
}

TEST(NpyTest, ReadReportsMissingFile) {
  Expected<NpyArray> a = readNpy(tempPath("does-not-exist.npy"));
  ASSERT_FALSE(a);
  EXPECT_NE(a.status().message().find("does-not-exist.npy"), std::string::npos);
}

TEST(NpyTest, WriteRejectsSizeMismatchAndOutOfRangeInt4) {
  NpyArray a;
  a.dtype = DType::I32;
  a.shape = {3};
  a.data.resize(8);
  std::string path = tempPath("bad.npy");
  Status s = writeNpy(path, a);
  EXPECT_EQ(s.message(), path + ": cannot write: shape (3,) of i32 needs 12 bytes, the array "
                                "holds 8");
  a.dtype = DType::I4;
  a.shape = {1};
  a.data = {8};
  EXPECT_EQ(writeNpy(path, a).message(),
            path + ": cannot write: i4 element 0 is out of range [-8, 7], got 8");
  EXPECT_FALSE(readNpy(path)); // nothing was written
}

} // namespace
} // namespace kiln::rt
