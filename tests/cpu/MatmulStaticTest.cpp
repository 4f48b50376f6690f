// The pqs8_qc8w vector kernels against the scalar kernel, bit for bit, on ragged shapes
// around their 2x16 and 8x32 tiles, with extreme zero points, clamps that bite, a dst stride > n
// and guard bytes around every row.

#include "kiln/cpu/Isa.h"
#include "kiln/cpu/MatmulDynamic.h"
#include "kiln/cpu/MatmulStatic.h"
#include "kiln/cpu/ScalarKernels.h"

#include "CpuTestUtil.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace kiln::cpu {
namespace {

using test::testSeed;
using test::view;

struct Shape {
  uint32_t m, n, k;
  int32_t lhsZeroPoint, outZeroPoint, outMin, outMax;
  bool bias;
};

using Kernel = void (*)(const StaticMatmulArgs &);

/// `kr`: the kernel's packing, qsi8cxp16x4 or (smmla) qsi8cxp16x8.
void check(CpuIsa isa, Kernel kernel, size_t kr, const Shape &s, std::mt19937 &rng) {
  const std::string label = std::string(cpuIsaName(isa)) + " " + std::to_string(s.m) + "x" + std::to_string(s.n) + "x" +
                            std::to_string(s.k) + " zp " + std::to_string(s.lhsZeroPoint);
  std::uniform_int_distribution<int> i8(-128, 127), w8(-127, 127), bias(-5000, 5000),
      multiplier(1 << 30, 0x7FFFFFFF), shift(20, 40);
  std::vector<int8_t> lhs(size_t(s.m) * s.k), weights(size_t(s.n) * s.k);
  for (int8_t &v : lhs)
    v = int8_t(i8(rng));
  for (int8_t &v : weights)
    v = int8_t(w8(rng));
  std::vector<int32_t> biases(s.n), multipliers(s.n), shifts(s.n);
  for (uint32_t n = 0; n < s.n; ++n) {
    biases[n] = bias(rng);
    multipliers[n] = multiplier(rng);
    // Small shifts for a few channels, so the outputs saturate and the clamps bite.
    shifts[n] = n % 5 == 0 ? 20 : shift(rng);
  }

  vgf::KernelDescriptor descriptor;
  descriptor.kind = vgf::KernelKind::Gemm;
  vgf::GemmDesc &g = descriptor.gemm;
  g.scheme = vgf::GemmScheme::Pqs8Qc8w;
  g.m = s.m;
  g.n = s.n;
  g.k = s.k;
  g.hasBias = s.bias;
  g.lhsZeroPoint = s.lhsZeroPoint;
  g.outZeroPoint = s.outZeroPoint;
  g.outMin = s.outMin;
  g.outMax = s.outMax;
  std::vector<int8_t> expected(size_t(s.m) * s.n);
  KernelBuffers buffers{};
  buffers[0] = view(lhs);
  buffers[1] = view(weights);
  buffers[3] = view(biases);
  buffers[7] = view(multipliers);
  buffers[8] = view(shifts);
  buffers[9] = view(expected);
  Status ran = runKernelScalar(descriptor, buffers);
  ASSERT_TRUE(ran.isOk()) << ran.message();

  ASSERT_TRUE(kiln_matmul_clamp_qai8_qai8_qsi8cxp_accepts(s.n, multipliers.data(), shifts.data()));
  std::vector<uint8_t> packed(kr == 8 ? kiln_rhs_pack_nxk_qsi8cxp16x8_qsi8cx_size(s.n, s.k)
                                      : kiln_rhs_pack_nxk_qsi8cxp16x4_qsi8cx_size(s.n, s.k));
  (kr == 8 ? kiln_rhs_pack_nxk_qsi8cxp16x8_qsi8cx : kiln_rhs_pack_nxk_qsi8cxp16x4_qsi8cx)(
      s.n, s.k, weights.data(), nullptr, packed.data());
  const size_t stride = s.n + 7;
  const int8_t guard = 0x5A;
  std::vector<int8_t> dst(size_t(s.m) * stride + 3, guard);
  StaticMatmulArgs a;
  a.m = s.m;
  a.n = s.n;
  a.k = s.k;
  a.lhs = lhs.data();
  a.lhsStride = s.k;
  a.lhsZeroPoint = s.lhsZeroPoint;
  a.rhsPacked = packed.data();
  a.bias = s.bias ? biases.data() : nullptr;
  a.multipliers = multipliers.data();
  a.shifts = shifts.data();
  a.outZeroPoint = s.outZeroPoint;
  a.outMin = s.outMin;
  a.outMax = s.outMax;
  a.dst = dst.data();
  a.dstStride = stride;
  kernel(a);
  for (uint32_t m = 0; m < s.m; ++m) {
    for (uint32_t n = 0; n < s.n; ++n)
      ASSERT_EQ(int(dst[m * stride + n]), int(expected[size_t(m) * s.n + n]))
          << label << ": y[" << m << "," << n << "]";
    for (size_t g = s.n; g < stride; ++g)
      ASSERT_EQ(dst[m * stride + g], guard) << label << ": wrote past row " << m;
  }
  ASSERT_EQ(dst.back(), guard) << label << ": wrote past the end";
}

// m covers 1, mr-1, mr, mr+1, 2mr+1 (mr 2, 4 and 8); n covers 1, 15, 16, 17, 31, 32, 33
// and 67 (2nr+3 for nr 16 and 32); k is ragged against the 4-byte step (and NEON's
// 16-byte one); zero points at both extremes.
void checkShapes(CpuIsa isa, Kernel kernel, size_t kr = 4) {
  std::mt19937 rng(testSeed());
  for (const Shape &s : std::vector<Shape>{{1, 33, 65, -128, 0, -128, 127, true},
                                           {7, 67, 131, 127, -5, -128, 127, true},
                                           {8, 32, 4, 3, 10, -20, 20, false},
                                           {9, 31, 3, -1, -128, -128, 0, true},
                                           {17, 16, 64, 0, 127, 0, 127, true},
                                           {16, 17, 1, -128, 0, -128, 127, false},
                                           {5, 1, 2048, 50, 0, -128, 127, true},
                                           {2, 35, 30, 127, 0, -128, 127, true},
                                           {3, 15, 45, -128, 7, -128, 127, false},
                                           {4, 33, 20, 5, -3, -128, 127, true},
                                           {128, 96, 256, -7, 3, -100, 100, true}})
    check(isa, kernel, kr, s, rng);
}

#if defined(__aarch64__)
TEST(MatmulStaticTest, NeonDotMatchesTheScalarKernelBitForBit) {
  if (!cpuIsaAvailable(CpuIsa::NeonDot))
    GTEST_SKIP() << "no dot product instructions on this CPU";
  checkShapes(CpuIsa::NeonDot, kiln_matmul_clamp_qai8_qai8_qsi8cxp_4x16x4_neondot);
}

TEST(MatmulStaticTest, NeonI8mmMatchesTheScalarKernelBitForBit) {
  if (!cpuIsaAvailable(CpuIsa::NeonI8mm))
    GTEST_SKIP() << "no int8 matrix multiply instructions on this CPU";
  checkShapes(CpuIsa::NeonI8mm, kiln_matmul_clamp_qai8_qai8_qsi8cxp_4x16x8_neoni8mm, 8);
}
#else
TEST(MatmulStaticTest, Avx2MatchesTheScalarKernelBitForBit) {
  if (!cpuIsaAvailable(CpuIsa::Avx2))
    GTEST_SKIP() << "no AVX2 on this CPU";
  checkShapes(CpuIsa::Avx2, kiln_matmul_clamp_qai8_qai8_qsi8cxp_2x16x4_avx2);
}

TEST(MatmulStaticTest, Avx512VnniMatchesTheScalarKernelBitForBit) {
  if (!cpuIsaAvailable(CpuIsa::Avx512))
    GTEST_SKIP() << "no AVX-512 VNNI on this CPU";
  checkShapes(CpuIsa::Avx512, kiln_matmul_clamp_qai8_qai8_qsi8cxp_8x32x4_avx512vnni);
}
#endif

} // namespace
} // namespace kiln::cpu
