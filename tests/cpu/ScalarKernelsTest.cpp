// The scalar kernels against the TOSA reference's helpers (qai8dx rows,
// apply_scale_32, fp16 rounding) and against each other (int4 vs int8 weights).

#include "kiln/cpu/ScalarKernels.h"
#include "kiln/reference/Float.h"
#include "kiln/reference/Quantize.h"
#include "kiln/reference/Scale.h"

#include "CpuTestUtil.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

namespace kiln::cpu {
namespace {

using vgf::GemmScheme;
using vgf::KernelDescriptor;
using vgf::KernelKind;

using test::testSeed;
using test::view;

KernelDescriptor gemm(GemmScheme scheme, uint32_t m, uint32_t n, uint32_t k) {
  KernelDescriptor d;
  d.kind = KernelKind::Gemm;
  d.gemm.scheme = scheme;
  d.gemm.m = m;
  d.gemm.n = n;
  d.gemm.k = k;
  d.gemm.clampMin = -std::numeric_limits<float>::infinity();
  d.gemm.clampMax = std::numeric_limits<float>::infinity();
  return d;
}

TEST(ScalarKernelsTest, QuantizeRowsMatchesTheReference) {
  std::mt19937 rng(testSeed());
  const uint32_t m = 6, k = 37;
  std::vector<float> x(m * k);
  std::normal_distribution<float> normal(0.0f, 3.0f);
  for (float &v : x)
    v = normal(rng);
  std::fill(x.begin(), x.begin() + k, 0.0f);              // lo == hi
  std::fill(x.begin() + k, x.begin() + 2 * k, 2.5f);       // all positive
  for (uint32_t i = 0; i < k; ++i)                          // halves: both roundings bite
    x[2 * k + i] = (float(i) - 18.0f) * 0.5f;
  std::vector<int8_t> q(m * k);
  std::vector<float> scales(m);
  std::vector<int32_t> zps(m);
  KernelDescriptor d;
  d.kind = KernelKind::QuantizeRows;
  d.quantizeRows = {m, k};
  ASSERT_TRUE(runKernelScalar(d, {view(x), view(q), view(scales), view(zps)}).isOk());
  for (uint32_t r = 0; r < m; ++r) {
    std::vector<int8_t> expected(k);
    ref::RowQuantization p = ref::quantizeRowQai8dx(x.data() + r * k, k, expected.data());
    EXPECT_EQ(std::memcmp(&p.scale, &scales[r], 4), 0) << "row " << r;
    EXPECT_EQ(p.zeroPoint, zps[r]) << "row " << r;
    EXPECT_EQ(std::vector<int8_t>(q.begin() + r * k, q.begin() + (r + 1) * k), expected);
  }
}

TEST(ScalarKernelsTest, Pqs8RescaleMatchesApplyScale32) {
  std::mt19937 rng(testSeed());
  const uint32_t m = 3, n = 9, k = 33;
  KernelDescriptor d = gemm(GemmScheme::Pqs8Qc8w, m, n, k);
  d.gemm.hasBias = true;
  d.gemm.lhsZeroPoint = -7;
  d.gemm.outZeroPoint = 5;
  d.gemm.outMin = -100;
  d.gemm.outMax = 120;
  std::uniform_int_distribution<int> i8(-128, 127);
  std::vector<int8_t> x(m * k), w(n * k), y(m * n);
  for (int8_t &v : x)
    v = int8_t(i8(rng));
  for (int8_t &v : w)
    v = int8_t(std::max(i8(rng), -127));
  std::vector<int32_t> bias(n), mult(n), shift(n);
  for (uint32_t j = 0; j < n; ++j) {
    bias[j] = int32_t(rng() % 20001) - 10000;
    mult[j] = int32_t((1u << 30) + rng() % (1u << 30));
    shift[j] = int32_t(28 + j * 4); // both halves of the 64-bit product matter
  }
  KernelBuffers buffers;
  buffers[0] = view(x);
  buffers[1] = view(w);
  buffers[3] = view(bias);
  buffers[7] = view(mult);
  buffers[8] = view(shift);
  buffers[9] = view(y);
  ASSERT_TRUE(runKernelScalar(d, buffers).isOk());
  for (uint32_t r = 0; r < m; ++r)
    for (uint32_t c = 0; c < n; ++c) {
      int64_t acc = bias[c];
      for (uint32_t i = 0; i < k; ++i)
        acc += (int64_t(x[r * k + i]) + 7) * w[c * k + i];
      std::optional<int32_t> s = ref::applyScale32(acc, mult[c], shift[c], false);
      ASSERT_TRUE(s);
      int64_t q = std::clamp<int64_t>(int64_t(*s) + 5, -128, 127);
      EXPECT_EQ(int(y[r * n + c]), int(std::clamp<int64_t>(q, -100, 120))) << r << "," << c;
    }
}

TEST(ScalarKernelsTest, Pf16RoundsLikeTheReference) {
  std::mt19937 rng(testSeed());
  KernelDescriptor d = gemm(GemmScheme::Pf16, 1, 1, 1);
  std::vector<uint16_t> one = {0x3C00}; // fp16 1.0
  std::vector<float> x(1), y(1);
  KernelBuffers buffers;
  buffers[1] = view(one);
  buffers[0] = view(x);
  buffers[9] = view(y);
  std::uniform_int_distribution<uint32_t> bits(0, 0xFFFFFFFFu);
  for (int i = 0; i < 20000; ++i) {
    uint32_t b = bits(rng);
    // Mostly the fp16 range (exponents near 0), including its subnormals.
    b = (b & 0x807FFFFFu) | ((100u + (b >> 23) % 60u) << 23);
    std::memcpy(&x[0], &b, 4);
    ASSERT_TRUE(runKernelScalar(d, buffers).isOk());
    double expected = ref::roundToFormat(x[0], ref::kFp16);
    EXPECT_EQ(double(y[0]), expected) << "x = " << x[0];
  }
}

TEST(ScalarKernelsTest, Int4WeightsMatchTheSameInt8Weights) {
  std::mt19937 rng(testSeed());
  const uint32_t m = 2, n = 5, k = 64;
  KernelDescriptor d4 = gemm(GemmScheme::Qp8F32Qb4w, m, n, k);
  d4.gemm.blockSize = k; // one block: the same float sequence as qc8w
  KernelDescriptor d8 = gemm(GemmScheme::Qp8F32Qc8w, m, n, k);
  std::vector<int8_t> x(m * k), w8(n * k);
  std::vector<uint8_t> w4(n * k / 2);
  for (int8_t &v : x)
    v = int8_t(int(rng() % 256) - 128);
  std::vector<int32_t> sums(n, 0), zps = {3, -90};
  for (uint32_t i = 0; i < n * k; ++i) {
    int v = int(rng() % 16) - 8;
    w8[i] = int8_t(v);
    w4[i / 2] |= uint8_t((v & 0xF) << (i % 2 ? 4 : 0));
    sums[i / k] += v;
  }
  std::vector<float> scales = {0.5f, 0.25f, 1e-3f, 3.0f, 7.0f}, rowScales = {0.01f, 0.3f};
  std::vector<float> y4(m * n), y8(m * n);
  KernelBuffers buffers;
  buffers[0] = view(x);
  buffers[2] = view(scales);
  buffers[4] = view(sums);
  buffers[5] = view(rowScales);
  buffers[6] = view(zps);
  buffers[1] = view(w4);
  buffers[9] = view(y4);
  ASSERT_TRUE(runKernelScalar(d4, buffers).isOk());
  buffers[1] = view(w8);
  buffers[9] = view(y8);
  ASSERT_TRUE(runKernelScalar(d8, buffers).isOk());
  EXPECT_EQ(y4, y8);
}

TEST(ScalarKernelsTest, RejectsSmallBuffersAndBadRequantization) {
  KernelDescriptor d = gemm(GemmScheme::Pf32, 2, 3, 4);
  std::vector<float> x(8), w(11), y(6);
  KernelBuffers buffers;
  buffers[0] = view(x);
  buffers[1] = view(w);
  buffers[9] = view(y);
  Status s = runKernelScalar(d, buffers);
  ASSERT_FALSE(s.isOk());
  EXPECT_EQ(s.message(), "binding 1 (weights): expected at least 48 bytes, got 44");

  d = gemm(GemmScheme::Pqs8Qc8w, 1, 1, 1);
  std::vector<int8_t> xq(1), wq(1), yq(1);
  std::vector<int32_t> mult = {1 << 30}, shift = {63};
  buffers = {};
  buffers[0] = view(xq);
  buffers[1] = view(wq);
  buffers[7] = view(mult);
  buffers[8] = view(shift);
  s = runKernelScalar(d, buffers);
  ASSERT_FALSE(s.isOk());
  EXPECT_NE(s.message().find("binding 9 (output)"), std::string::npos) << s.message();
  buffers[9] = view(yq);
  s = runKernelScalar(d, buffers);
  ASSERT_FALSE(s.isOk());
  EXPECT_NE(s.message().find("shift 63"), std::string::npos) << s.message();
}

} // namespace
} // namespace kiln::cpu
