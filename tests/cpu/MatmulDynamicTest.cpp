// The packed micro-kernels of the dynamic schemes against the scalar reference
// (runKernelScalar) on ragged shapes: every output bit must match, since the int32
// accumulators are exact and the epilogue keeps the scalar's unfused order. Guard
// floats around each dst row catch stray writes.

#include "kiln/cpu/Isa.h"
#include "kiln/cpu/MatmulDynamic.h"
#include "kiln/cpu/MatmulPackedLhs.h"
#include "kiln/cpu/ScalarKernels.h"

#include "CpuTestUtil.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace kiln::cpu {
namespace {

using vgf::GemmScheme;

using test::testSeed;
using test::view;

using Kernel = std::function<void(const DynamicMatmulArgs &)>;

struct Variant {
  CpuIsa isa;
  Kernel qc8w, qb4w;
  const char *lhsLayout = "qai8dx";
  size_t qc8wKr = 4; ///< the qc8w kernel's packing: qsi8cxp16x4 or qsi8cxp16x8
};

#if !defined(__aarch64__) // the packed-LHS kernels are x86 ones
/// A packed-LHS kernel behind the unpacked kernels' arguments: packs the rows first,
/// in two parts split at row 8 as the executor's threads split them.
Kernel withPackedLhs(void (*kernel)(const PackedLhsMatmulArgs &)) {
  return [kernel](const DynamicMatmulArgs &a) {
    std::vector<uint8_t> lhs(kiln_lhs_pack_qai8dxp8x4_qai8dx_size(a.m, a.k));
    const size_t first = std::min(a.m, kPackedLhsMr);
    kiln_lhs_pack_qai8dxp8x4_qai8dx(first, a.k, a.lhs, a.lhsStride, a.lhsScales,
                                    a.lhsZeroPoints, lhs.data());
    kiln_lhs_pack_qai8dxp8x4_qai8dx(a.m - first, a.k, a.lhs + first * a.lhsStride,
                                    a.lhsStride, a.lhsScales + first,
                                    a.lhsZeroPoints + first,
                                    lhs.data() + kiln_lhs_pack_qai8dxp8x4_qai8dx_block_size(a.k));
    PackedLhsMatmulArgs p;
    p.m = a.m;
    p.n = a.n;
    p.k = a.k;
    p.blockSize = a.blockSize;
    p.lhsPacked = lhs.data();
    p.rhsPacked = a.rhsPacked;
    p.bias = a.bias;
    p.dst = a.dst;
    p.dstStride = a.dstStride;
    p.clampMin = a.clampMin;
    p.clampMax = a.clampMax;
    kernel(p);
  };
}
#endif

/// Every variant of this architecture; the scalar ISA is the reference itself.
std::vector<Variant> variants() {
#if defined(__aarch64__)
  return {{CpuIsa::NeonDot, kiln_matmul_clamp_f32_qai8dx_qsi8cxp_4x16x4_neondot,
           kiln_matmul_clamp_f32_qai8dx_qsi4c32p_4x16x8_neondot},
          {CpuIsa::NeonI8mm, kiln_matmul_clamp_f32_qai8dx_qsi8cxp_4x16x8_neoni8mm,
           kiln_matmul_clamp_f32_qai8dx_qsi4c32p_4x16x8_neondot, "qai8dx", 8}};
#else
  return {{CpuIsa::Avx2, kiln_matmul_clamp_f32_qai8dx_qsi8cxp_2x16x4_avx2,
           kiln_matmul_clamp_f32_qai8dx_qsi4c32p_2x16x8_avx2},
          {CpuIsa::Avx512, kiln_matmul_clamp_f32_qai8dx_qsi8cxp_8x32x4_avx512vnni,
           kiln_matmul_clamp_f32_qai8dx_qsi4c32p_4x16x8_avx512vnni},
          {CpuIsa::Avx512,
           withPackedLhs(kiln_matmul_clamp_f32_qai8dxp_qsi8cxp_8x32x4_avx512vnni),
           withPackedLhs(kiln_matmul_clamp_f32_qai8dxp_qsi4c32p_8x16x8_avx512vnni),
           "qai8dxp"}};
#endif
}

struct Shape {
  uint32_t m, n, k, blockSize; ///< blockSize 0: qc8w
  bool bias;
  float clampMin, clampMax;
  /// Whole int4 blocks of -8 or of 7 (the unsigned nibbles' ends, 0 and 15) and rows
  /// of -128 or 127 mixed with random ones, where the kernels' Σu and Σx corrections
  /// are largest.
  bool extremes = false;
};

constexpr float kInf = std::numeric_limits<float>::infinity();

/// `v` with its low 16 bits cleared: a bf16 value widened to f32.
float bf16Value(float v) {
  uint32_t bits;
  std::memcpy(&bits, &v, 4);
  bits &= 0xFFFF0000u;
  std::memcpy(&v, &bits, 4);
  return v;
}

/// Random operands for one shape, the scalar result, and one packed run per call.
class Problem {
public:
  Problem(const Shape &s, std::mt19937 &rng) : s_(s) {
    const bool int4 = s.blockSize != 0;
    const uint32_t groups = int4 ? s.k / s.blockSize : 1;
    std::uniform_int_distribution<int> i8(-128, 127), w8(-127, 127), nib(0, 15);
    std::uniform_real_distribution<float> scale(1e-4f, 1e-2f), unit(-1.0f, 1.0f);
    lhs_.resize(size_t(s.m) * s.k);
    for (int8_t &v : lhs_)
      v = int8_t(i8(rng));
    if (s.extremes)
      for (uint32_t r = 0; r < s.m; r += 3) // rows 0, 3, ...: -128 or 127 throughout
        std::fill_n(lhs_.begin() + size_t(r) * s.k, s.k, int8_t(r % 2 ? 127 : -128));
    rowScales_.resize(s.m);
    rowZps_.resize(s.m);
    for (uint32_t r = 0; r < s.m; ++r) {
      rowScales_[r] = scale(rng);
      rowZps_[r] = r == 0 ? -128 : r == 1 ? 127 : i8(rng); // extreme zero points first
    }
    weights_.resize(int4 ? size_t(s.n) * s.k / 2 : size_t(s.n) * s.k);
    for (uint8_t &v : weights_)
      v = int4 ? uint8_t(nib(rng) | nib(rng) << 4) : uint8_t(int8_t(w8(rng)));
    if (int4 && s.extremes) // blocks (n, j) with (n + j) % 3 == 0: all -8 or all 7
      for (uint32_t n = 0; n < s.n; ++n)
        for (uint32_t j = 0; j < groups; ++j)
          if ((n + j) % 3 == 0)
            std::fill_n(weights_.begin() + (size_t(n) * s.k + size_t(j) * s.blockSize) / 2,
                        s.blockSize / 2, uint8_t(n % 2 ? 0x77 : 0x88));
    weightScales_.resize(size_t(s.n) * groups);
    for (float &v : weightScales_) {
      v = scale(rng);
      if (int4) // block scales are bf16 values (numerics.md); the packed layout keeps 16 bits
        v = bf16Value(v);
    }
    weightSums_.assign(size_t(s.n) * groups, 0);
    for (uint32_t n = 0; n < s.n; ++n)
      for (uint32_t k = 0; k < s.k; ++k)
        weightSums_[size_t(n) * groups + k / (int4 ? s.blockSize : s.k)] += weight(n, k);
    bias_.resize(s.n);
    for (float &v : bias_)
      v = unit(rng);
    expected_.resize(size_t(s.m) * s.n);
    runScalar();
  }

  /// Packs, runs `kernel` with a dst stride > n, checks every bit and the guards.
  void check(const Kernel &kernel, size_t qc8wKr, const std::string &label) {
    const bool int4 = s_.blockSize != 0;
    const auto *w8 = reinterpret_cast<const int8_t *>(weights_.data());
    std::vector<uint8_t> packed(
        int4          ? kiln_rhs_pack_nxk_qsu4c32p16x8_qsi4c32_size(s_.n, s_.k, s_.blockSize)
        : qc8wKr == 8 ? kiln_rhs_pack_nxk_qsi8cxp16x8_qsi8cx_size(s_.n, s_.k)
                      : kiln_rhs_pack_nxk_qsi8cxp16x4_qsi8cx_size(s_.n, s_.k));
    if (int4)
      kiln_rhs_pack_nxk_qsu4c32p16x8_qsi4c32(s_.n, s_.k, s_.blockSize, weights_.data(),
                                             weightScales_.data(), packed.data());
    else if (qc8wKr == 8)
      kiln_rhs_pack_nxk_qsi8cxp16x8_qsi8cx(s_.n, s_.k, w8, weightScales_.data(), packed.data());
    else
      kiln_rhs_pack_nxk_qsi8cxp16x4_qsi8cx(s_.n, s_.k, w8, weightScales_.data(), packed.data());
    const size_t stride = s_.n + 5;
    const float guard = 12345.0f;
    std::vector<float> dst(size_t(s_.m) * stride + 3, guard);
    DynamicMatmulArgs a;
    a.m = s_.m;
    a.n = s_.n;
    a.k = s_.k;
    a.blockSize = s_.blockSize;
    a.lhs = lhs_.data();
    a.lhsStride = s_.k;
    a.lhsScales = rowScales_.data();
    a.lhsZeroPoints = rowZps_.data();
    a.rhsPacked = packed.data();
    a.bias = s_.bias ? bias_.data() : nullptr;
    a.dst = dst.data();
    a.dstStride = stride;
    a.clampMin = s_.clampMin;
    a.clampMax = s_.clampMax;
    kernel(a);
    for (uint32_t m = 0; m < s_.m; ++m) {
      for (uint32_t n = 0; n < s_.n; ++n) {
        float got = dst[m * stride + n], want = expected_[size_t(m) * s_.n + n];
        ASSERT_EQ(std::memcmp(&got, &want, 4), 0)
            << label << ": y[" << m << "," << n << "] = " << got << ", expected " << want;
      }
      for (size_t g = s_.n; g < stride; ++g)
        ASSERT_EQ(dst[m * stride + g], guard) << label << ": wrote past row " << m;
    }
    ASSERT_EQ(dst.back(), guard) << label << ": wrote past the end";
  }

private:
  int32_t weight(uint32_t n, uint32_t k) const {
    if (s_.blockSize == 0)
      return int8_t(weights_[size_t(n) * s_.k + k]);
    uint8_t byte = weights_[size_t(n) * (s_.k / 2) + k / 2];
    int32_t nibble = k % 2 ? byte >> 4 : byte & 0x0F;
    return nibble >= 8 ? nibble - 16 : nibble;
  }

  void runScalar() {
    vgf::KernelDescriptor d;
    d.kind = vgf::KernelKind::Gemm;
    d.gemm.scheme = s_.blockSize ? GemmScheme::Qp8F32Qb4w : GemmScheme::Qp8F32Qc8w;
    d.gemm.m = s_.m;
    d.gemm.n = s_.n;
    d.gemm.k = s_.k;
    d.gemm.blockSize = s_.blockSize;
    d.gemm.hasBias = s_.bias;
    d.gemm.clampMin = s_.clampMin;
    d.gemm.clampMax = s_.clampMax;
    KernelBuffers b{};
    b[0] = view(lhs_);
    b[1] = view(weights_);
    b[2] = view(weightScales_);
    if (s_.bias)
      b[3] = view(bias_);
    b[4] = view(weightSums_);
    b[5] = view(rowScales_);
    b[6] = view(rowZps_);
    b[9] = view(expected_);
    Status status = runKernelScalar(d, b);
    ASSERT_TRUE(status.isOk()) << status.message();
  }

  Shape s_;
  std::vector<int8_t> lhs_;
  std::vector<float> rowScales_;
  std::vector<int32_t> rowZps_;
  std::vector<uint8_t> weights_;
  std::vector<float> weightScales_;
  std::vector<int32_t> weightSums_;
  std::vector<float> bias_;
  std::vector<float> expected_;
};

std::string label(const Variant &v, const Shape &s) {
  return std::string(cpuIsaName(v.isa)) + " " + v.lhsLayout + " " + std::to_string(s.m) + "x" + std::to_string(s.n) + "x" +
         std::to_string(s.k) + (s.blockSize ? " bl" + std::to_string(s.blockSize) : "");
}

void checkShapes(const std::vector<Shape> &shapes, bool int4) {
  std::mt19937 rng(testSeed());
  for (const Shape &s : shapes) {
    Problem problem(s, rng);
    for (const Variant &v : variants())
      if (cpuIsaAvailable(v.isa))
        problem.check(int4 ? v.qb4w : v.qc8w, v.qc8wKr, label(v, s));
  }
}

bool anyVariant() {
  for (const Variant &v : variants())
    if (cpuIsaAvailable(v.isa))
      return true;
  return false;
}

// m covers 1, mr-1, mr, mr+1, 2mr+1 of every tile (mr 2, 4 and 8); n covers 1, nr-1,
// nr, nr+1, 2nr+3 (nr 16, and 32 for the two-tile kernel); k is ragged against the
// 4-byte K step.
TEST(MatmulDynamicTest, Qsi8cxpMatchesTheScalarKernelBitForBit) {
  if (!anyVariant())
    GTEST_SKIP() << "no packed variant on this CPU";
  checkShapes({{1, 33, 65, 0, true, -kInf, kInf},
               {7, 250, 300, 0, true, -kInf, kInf},
               {3, 64, 40, 0, false, -kInf, kInf},
               {128, 256, 512, 0, true, -0.05f, 0.05f},
               {5, 1, 1, 0, true, 0.0f, kInf},
               {4, 15, 3, 0, false, -kInf, kInf},
               {9, 16, 7, 0, true, -kInf, 0.0f},
               {2, 17, 128, 0, true, -kInf, kInf},
               {8, 32, 36, 0, true, -kInf, kInf},
               {17, 67, 131, 0, true, -0.5f, 0.5f},
               {16, 31, 9, 0, false, -kInf, kInf},
               {1, 48, 2048, 0, true, -kInf, kInf}},
              false);
}

// k is 1-3 blocks and more; block sizes 8, 16, 32 and 64; m as above (mr 2, 4 and 8).
TEST(MatmulDynamicTest, Qsu4c32pMatchesTheScalarKernelBitForBit) {
  if (!anyVariant())
    GTEST_SKIP() << "no packed variant on this CPU";
  checkShapes({{1, 33, 64, 32, true, -kInf, kInf},
               {7, 250, 320, 32, true, -kInf, kInf},
               {3, 64, 32, 32, false, -kInf, kInf},
               {128, 256, 512, 32, true, -0.05f, 0.05f},
               {5, 1, 96, 32, true, 0.0f, kInf},
               {4, 15, 48, 16, false, -kInf, kInf},
               {9, 16, 24, 8, true, -kInf, 0.0f},
               {2, 35, 128, 64, true, -kInf, kInf},
               {8, 16, 64, 16, true, -kInf, kInf},
               {17, 33, 96, 32, true, -0.5f, 0.5f}},
              true);
}

// The unsigned-nibble corrections at their largest: whole blocks of -8 and of 7 against
// rows of -128 and of 127, with the extreme zero points; ragged n and every row count
// of the 4- and 8-row kernels.
TEST(MatmulDynamicTest, Qsu4c32pExtremeBlocksMatchTheScalarKernelBitForBit) {
  if (!anyVariant())
    GTEST_SKIP() << "no packed variant on this CPU";
  std::vector<Shape> shapes;
  for (uint32_t m : {1u, 2u, 3u, 4u, 5u, 8u, 9u, 17u})
    shapes.push_back({m, 16 * (m % 3) + 13, 256, 32, m % 2 == 1, -kInf, kInf, true});
  shapes.push_back({6, 40, 192, 64, true, -kInf, kInf, true});
  shapes.push_back({3, 31, 72, 8, false, -kInf, kInf, true});
  checkShapes(shapes, true);
}

TEST(MatmulDynamicTest, UnknownIsaNameIsAClearError) {
  const char *old = std::getenv("KILN_CPU_ISA");
  std::string saved = old ? old : "";
  setenv("KILN_CPU_ISA", "sse9", 1);
  Expected<CpuIsa> isa = selectCpuIsa();
  if (old)
    setenv("KILN_CPU_ISA", saved.c_str(), 1);
  else
    unsetenv("KILN_CPU_ISA");
  ASSERT_FALSE(isa);
#if defined(__aarch64__)
  const char *expected = "expected scalar, neon, neondot or neoni8mm, got 'sse9'";
#else
  const char *expected = "expected scalar, avx2 or avx512, got 'sse9'";
#endif
  EXPECT_NE(isa.status().message().find(expected), std::string::npos)
      << isa.status().message();
}

TEST(MatmulDynamicTest, PackedLhsInterleavesRowsAsUnsignedWords) {
  // 3 rows of k = 6 (stride 7): words [k/4][8 rows][4], x + 128, padding x = 0.
  const int8_t lhs[3 * 7] = {-128, -1, 0, 1, 2, 127, 99, //
                             10, 11, 12, 13, 14, 15, 99, //
                             -5, -6, -7, -8, -9, -10, 99};
  const float scales[3] = {0.5f, 0.25f, 2.0f};
  const int32_t zeroPoints[3] = {-128, 0, 127};
  const size_t blockBytes = kiln_lhs_pack_qai8dxp8x4_qai8dx_block_size(6);
  ASSERT_EQ(blockBytes, 8u * 8 + 8 * 8);
  ASSERT_EQ(kiln_lhs_pack_qai8dxp8x4_qai8dx_size(9, 6), 2 * blockBytes);
  std::vector<uint8_t> packed(blockBytes);
  kiln_lhs_pack_qai8dxp8x4_qai8dx(3, 6, lhs, 7, scales, zeroPoints, packed.data());
  for (size_t g = 0; g < 2; ++g)
    for (size_t r = 0; r < 8; ++r)
      for (size_t i = 0; i < 4; ++i) {
        const size_t k = 4 * g + i;
        const int x = r < 3 && k < 6 ? lhs[r * 7 + k] : 0;
        EXPECT_EQ(packed[(g * 8 + r) * 4 + i], x + 128) << "row " << r << ", k " << k;
      }
  int32_t offsets[8];
  float rowScales[8];
  std::memcpy(offsets, packed.data() + 64, sizeof offsets);
  std::memcpy(rowScales, packed.data() + 96, sizeof rowScales);
  for (size_t r = 0; r < 8; ++r) {
    EXPECT_EQ(offsets[r], r < 3 ? 128 + zeroPoints[r] : 0) << "row " << r;
    EXPECT_EQ(rowScales[r], r < 3 ? scales[r] : 0.0f) << "row " << r;
  }
}

TEST(MatmulDynamicTest, Int4PackingAcceptsOnlyBf16Scales) {
  // The packed qsu4c32 layout keeps 16 bits of each scale; a value with more would
  // change results, so the executor keeps the scalar kernel for it.
  const float bf16[2] = {bf16Value(0.0123f), 1.0f};
  const float wide[2] = {1.0f, 0.0123f};
  EXPECT_TRUE(kiln_rhs_pack_nxk_qsu4c32p16x8_qsi4c32_accepts(2, bf16));
  EXPECT_FALSE(kiln_rhs_pack_nxk_qsu4c32p16x8_qsi4c32_accepts(2, wide));
}

} // namespace
} // namespace kiln::cpu
