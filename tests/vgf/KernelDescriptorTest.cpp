// The kernel descriptor blob: every kind round-trips, and every malformed blob is an
// error that names the field, never a crash.

#include "kiln/vgf/KernelDescriptor.h"

#include <gtest/gtest.h>

namespace kiln::vgf {
namespace {

KernelDescriptor sampleGemm() {
  KernelDescriptor d;
  d.kind = KernelKind::Gemm;
  d.gemm.scheme = GemmScheme::Qp8F32Qb4w;
  d.gemm.m = 7;
  d.gemm.n = 300;
  d.gemm.k = 256;
  d.gemm.blockSize = 32;
  d.gemm.hasBias = true;
  d.gemm.clampMin = -1.5f;
  d.gemm.clampMax = 6.0f;
  d.gemm.tiling = {4, 32, 64, 128};
  d.variants = {{3, kFeatureIntegerDotProduct}};
  return d;
}

Expected<KernelDescriptor> roundTrip(const KernelDescriptor &d) {
  std::vector<uint8_t> blob = encodeKernelDescriptor(d);
  return decodeKernelDescriptor(blob.data(), blob.size());
}

TEST(KernelDescriptorTest, GemmRoundTrips) {
  auto decoded = roundTrip(sampleGemm());
  ASSERT_TRUE(decoded.hasValue()) << decoded.status().message();
  const GemmDesc &g = decoded->gemm;
  EXPECT_EQ(KernelKind::Gemm, decoded->kind);
  EXPECT_EQ(GemmScheme::Qp8F32Qb4w, g.scheme);
  EXPECT_EQ(7u, g.m);
  EXPECT_EQ(300u, g.n);
  EXPECT_EQ(256u, g.k);
  EXPECT_EQ(32u, g.blockSize);
  EXPECT_TRUE(g.hasBias);
  EXPECT_EQ(-1.5f, g.clampMin);
  EXPECT_EQ(6.0f, g.clampMax);
  EXPECT_EQ(64u, g.tiling.tileK);
  ASSERT_EQ(1u, decoded->variants.size());
  EXPECT_EQ(3u, decoded->variants[0].moduleIndex);
  EXPECT_EQ(kFeatureIntegerDotProduct, decoded->variants[0].requiredFeatures);
}

TEST(KernelDescriptorTest, ElementwiseKindsRoundTrip) {
  KernelDescriptor q;
  q.kind = KernelKind::QuantizeStatic;
  q.quantize = {12, 0.25f, -3};
  auto decoded = roundTrip(q);
  ASSERT_TRUE(decoded.hasValue()) << decoded.status().message();
  EXPECT_EQ(12u, decoded->quantize.count);
  EXPECT_EQ(0.25f, decoded->quantize.invScale);
  EXPECT_EQ(-3, decoded->quantize.zeroPoint);

  KernelDescriptor rows;
  rows.kind = KernelKind::QuantizeRows;
  rows.quantizeRows = {5, 33};
  decoded = roundTrip(rows);
  ASSERT_TRUE(decoded.hasValue()) << decoded.status().message();
  EXPECT_EQ(33u, decoded->quantizeRows.k);

  KernelDescriptor dq;
  dq.kind = KernelKind::Dequantize;
  dq.dequantize = {9, 4, 0.5f};
  decoded = roundTrip(dq);
  ASSERT_TRUE(decoded.hasValue()) << decoded.status().message();
  EXPECT_EQ(0.5f, decoded->dequantize.scale);
}

TEST(KernelDescriptorTest, EveryTruncationIsAnError) {
  std::vector<uint8_t> blob = encodeKernelDescriptor(sampleGemm());
  for (size_t size = 0; size < blob.size(); ++size) {
    auto decoded = decodeKernelDescriptor(blob.data(), size);
    ASSERT_FALSE(decoded.hasValue()) << "size " << size;
    EXPECT_NE(std::string::npos, decoded.status().message().find("kernel descriptor"));
  }
}

TEST(KernelDescriptorTest, RejectsTrailingBytesUnknownKindsAndBadShapes) {
  std::vector<uint8_t> blob = encodeKernelDescriptor(sampleGemm());
  blob.push_back(0);
  EXPECT_EQ("kernel descriptor: 1 trailing bytes",
            decodeKernelDescriptor(blob.data(), blob.size()).status().message());

  blob = encodeKernelDescriptor(sampleGemm());
  blob[4] = 99; // kind
  EXPECT_EQ("kernel descriptor: unknown kind 99",
            decodeKernelDescriptor(blob.data(), blob.size()).status().message());

  KernelDescriptor d = sampleGemm();
  d.gemm.k = 250; // not a multiple of the block size
  auto decoded = roundTrip(d);
  EXPECT_EQ("kernel descriptor (gemm): block_size 32 must be even and divide k = 250",
            decoded.status().message());

  d = sampleGemm();
  d.gemm.n = 0;
  EXPECT_EQ("kernel descriptor (gemm): n must be > 0", roundTrip(d).status().message());
}

TEST(KernelDescriptorTest, RejectsAVariantCountLargerThanTheBlob) {
  KernelDescriptor d;
  d.kind = KernelKind::QuantizeRows;
  d.quantizeRows = {1, 1};
  std::vector<uint8_t> blob = encodeKernelDescriptor(d);
  blob[blob.size() - 1] = 0x10; // variant count 0x10000000
  auto decoded = decodeKernelDescriptor(blob.data(), blob.size());
  ASSERT_FALSE(decoded.hasValue());
  EXPECT_NE(std::string::npos, decoded.status().message().find("module variants do not fit"));
}

} // namespace
} // namespace kiln::vgf
