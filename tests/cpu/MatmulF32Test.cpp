// The pf32 micro-kernels against an fp64 evaluation of the same operands, within
// numerics.md's pf32 bound |y - y_ref| <= 2·K·eps·(Σ_k |x·w| + |b|) (the kernels use
// FMA and their own summation order, so bits may differ from the scalar loop), with
// guards around each dst row.

#include "kiln/cpu/Isa.h"
#include "kiln/cpu/MatmulF32.h"

#include "CpuTestUtil.h"
#include "FloatGemmTestUtil.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace kiln::cpu {
namespace {

using test::FloatShape;
using test::FloatVariant;
using test::kInf;
using test::testSeed;

void check(const FloatVariant &v, const FloatShape &s, std::mt19937 &rng) {
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<float> x(s.m * s.k), w(s.n * s.k), b(s.n);
  for (auto *vec : {&x, &w, &b})
    for (float &e : *vec)
      e = normal(rng);
  std::vector<uint8_t> packed(kiln_rhs_pack_nxk_f32p16x1_f32_size(s.n, s.k));
  kiln_rhs_pack_nxk_f32p16x1_f32(s.n, s.k, w.data(), packed.data());
  const test::GuardedOutput y = test::runFloatKernel(v, s, x, packed.data(), b);
  const std::string label = s.label(v);
  for (size_t m = 0; m < s.m; ++m)
    for (size_t n = 0; n < s.n; ++n) {
      double exact = s.bias ? b[n] : 0.0, magnitude = s.bias ? std::fabs(b[n]) : 0.0;
      for (size_t k = 0; k < s.k; ++k) {
        exact += double(x[m * s.k + k]) * w[n * s.k + k];
        magnitude += std::fabs(double(x[m * s.k + k]) * w[n * s.k + k]);
      }
      exact = std::min<double>(std::max<double>(exact, s.clampMin), s.clampMax);
      double bound = 2.0 * double(s.k) * FLT_EPSILON * magnitude;
      ASSERT_LE(std::fabs(y.at(m, n) - exact), bound)
          << label << ": y[" << m << "," << n << "] = " << y.at(m, n) << ", exact " << exact;
    }
  test::expectGuardsIntact(y, s, label);
}

// m covers 1, mr-1, mr, mr+1, 2mr+1 of both tiles (mr 4 and 12), and 128 (ten blocks of
// 12 and one of 8); n covers 1, nr-1, nr, nr+1, 2nr+3 (nr 16, and 32 for the two-tile
// kernels); k 1100, 2100 and 4099 (the AVX-512 kernels' K in two, three and five
// chunks, the last of 4099 one k shorter); clamps that bite.
TEST(MatmulF32Test, PackedKernelsStayWithinThePf32Bound) {
  const std::vector<FloatVariant> variants = {
#if defined(__aarch64__)
      {CpuIsa::Neon, kiln_matmul_clamp_f32_f32_f32p_4x16x1_neon}};
#else
      {CpuIsa::Avx2, kiln_matmul_clamp_f32_f32_f32p_4x16x1_avx2},
      {CpuIsa::Avx512, kiln_matmul_clamp_f32_f32_f32p_12x32x1_avx512},
      {CpuIsa::Avx512, nullptr, kiln_lhs_pack_f32p12x1_f32_avx512,
       kiln_matmul_clamp_f32_f32p_f32p_12x32x1_avx512}};
#endif
  if (std::none_of(variants.begin(), variants.end(),
                   [](const FloatVariant &v) { return cpuIsaAvailable(v.isa); }))
    GTEST_SKIP() << "no packed variant on this CPU";
  std::mt19937 rng(testSeed());
  const std::vector<FloatShape> shapes = {
      {1, 33, 65, true, -kInf, kInf},   {7, 250, 300, true, -kInf, kInf},
      {3, 64, 40, false, -kInf, kInf},  {128, 256, 512, true, -2.0f, 2.0f},
      {9, 1, 1, true, 0.0f, kInf},      {5, 15, 3, false, -kInf, kInf},
      {17, 16, 7, true, -kInf, 0.0f},   {4, 35, 128, true, -kInf, kInf},
      {8, 17, 33, false, -kInf, kInf}, {11, 31, 20, true, -kInf, kInf},
      {12, 32, 9, true, -1.0f, 1.0f},   {13, 67, 70, false, -kInf, kInf},
      {25, 48, 16, true, -kInf, kInf},  {13, 40, 1100, true, -1.0f, 1.0f},
      {14, 40, 2100, true, -kInf, kInf}, {5, 17, 4099, false, -kInf, kInf},
      {128, 48, 64, true, -kInf, kInf}};
  for (const FloatVariant &v : variants)
    if (cpuIsaAvailable(v.isa))
      for (const FloatShape &s : shapes)
        check(v, s, rng);
}

#if !defined(__aarch64__)
// A row's results depend neither on the rows beside it nor on the packing: the AVX-512
// kernels sum every output in one order (k ascending, chunk bounds from K alone), so the
// packed-LHS kernel at M = 25 gives each row the bits the unpacked kernel gives it alone
// (M = 1, what PackedGemm runs for a decode step).
TEST(MatmulF32Test, Avx512RowsGetTheSameBitsAloneAndInAPackedBatch) {
  if (!cpuIsaAvailable(CpuIsa::Avx512))
    GTEST_SKIP() << "no AVX-512";
  std::mt19937 rng(testSeed());
  std::normal_distribution<float> normal(0.0f, 1.0f);
  const FloatShape batch{25, 40, 2100, true, -kInf, kInf};
  std::vector<float> x(batch.m * batch.k), w(batch.n * batch.k), b(batch.n);
  for (auto *vec : {&x, &w, &b})
    for (float &e : *vec)
      e = normal(rng);
  std::vector<uint8_t> packed(kiln_rhs_pack_nxk_f32p16x1_f32_size(batch.n, batch.k));
  kiln_rhs_pack_nxk_f32p16x1_f32(batch.n, batch.k, w.data(), packed.data());
  const test::GuardedOutput all = test::runFloatKernel(
      {CpuIsa::Avx512, nullptr, kiln_lhs_pack_f32p12x1_f32_avx512,
       kiln_matmul_clamp_f32_f32p_f32p_12x32x1_avx512},
      batch, x, packed.data(), b);
  FloatShape one = batch;
  one.m = 1;
  for (size_t m = 0; m < batch.m; ++m) {
    const std::vector<float> row(x.begin() + m * batch.k, x.begin() + (m + 1) * batch.k);
    const test::GuardedOutput alone = test::runFloatKernel(
        {CpuIsa::Avx512, kiln_matmul_clamp_f32_f32_f32p_12x32x1_avx512}, one, row,
        packed.data(), b);
    for (size_t n = 0; n < batch.n; ++n)
      ASSERT_EQ(std::memcmp(&alone.data[n], &all.data[m * all.stride + n], 4), 0)
          << "row " << m << ", channel " << n << ": " << alone.at(0, n) << " alone, "
          << all.at(m, n) << " in the batch";
  }
}
#endif

} // namespace
} // namespace kiln::cpu
