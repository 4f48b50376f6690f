// The pf16 micro-kernels against the scalar pf16 GEMM (runKernelScalar). Both round the
// activations and each result to fp16 values; they sum in different orders, so a
// result may land one fp16 step away where the fp32 sums differ: the kernels must stay
// within numerics.md's pf16 bound of it, and match it bit for bit where every sum is
// exact (small integers), including results that overflow fp16 to infinity; with
// guards around each dst row.

#include "kiln/cpu/Isa.h"
#include "kiln/cpu/MatmulF32.h"
#include "kiln/cpu/ScalarKernels.h"
#include "kiln/support/FloatFormat.h"

#include "CpuTestUtil.h"
#include "FloatGemmTestUtil.h"

#include <gtest/gtest.h>

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
using test::view;

struct Operands {
  std::vector<float> x, bias;    ///< [M,K], [N]
  std::vector<uint16_t> weights; ///< [N,K] fp16 bits
};

/// The scalar kernel's output for `s`.
std::vector<float> scalarResult(const FloatShape &s, Operands &o) {
  vgf::KernelDescriptor d;
  d.kind = vgf::KernelKind::Gemm;
  d.gemm.scheme = vgf::GemmScheme::Pf16;
  d.gemm.m = uint32_t(s.m);
  d.gemm.n = uint32_t(s.n);
  d.gemm.k = uint32_t(s.k);
  d.gemm.hasBias = s.bias;
  d.gemm.clampMin = s.clampMin;
  d.gemm.clampMax = s.clampMax;
  std::vector<float> y(s.m * s.n);
  KernelBuffers b{};
  b[0] = view(o.x);
  b[1] = view(o.weights);
  if (s.bias)
    b[3] = view(o.bias);
  b[9] = view(y);
  Status status = runKernelScalar(d, b);
  EXPECT_TRUE(status.isOk()) << status.message();
  return y;
}

/// Runs `v` on `s`; `exact` demands the scalar kernel's bits, else numerics.md's pf16
/// bound: the pf32 summation bound plus one fp16 rounding of the result.
void check(const FloatVariant &v, const FloatShape &s, Operands &o, bool exact) {
  const std::vector<float> want = scalarResult(s, o);
  std::vector<uint8_t> packed(kiln_rhs_pack_nxk_f16p16x1_f16_size(s.n, s.k));
  kiln_rhs_pack_nxk_f16p16x1_f16(s.n, s.k, o.weights.data(), packed.data());
  const test::GuardedOutput y = test::runFloatKernel(v, s, o.x, packed.data(), o.bias);
  const std::string label = s.label(v);
  for (size_t m = 0; m < s.m; ++m)
    for (size_t n = 0; n < s.n; ++n) {
      const float got = y.at(m, n), expected = want[m * s.n + n];
      if (exact) {
        ASSERT_EQ(std::memcmp(&got, &expected, 4), 0)
            << label << ": y[" << m << "," << n << "] = " << got << ", scalar " << expected;
        continue;
      }
      double magnitude = s.bias ? std::fabs(o.bias[n]) : 0.0;
      for (size_t k = 0; k < s.k; ++k)
        magnitude += std::fabs(double(o.x[m * s.k + k]) *
                               decodeFloat(o.weights[n * s.k + k], kFp16));
      const double bound = 2.0 * double(s.k) * FLT_EPSILON * magnitude +
                           std::ldexp(std::fabs(double(expected)), -10) + std::ldexp(1.0, -24);
      ASSERT_LE(std::fabs(double(got) - double(expected)), bound)
          << label << ": y[" << m << "," << n << "] = " << got << ", scalar " << expected;
    }
  test::expectGuardsIntact(y, s, label);
}

std::vector<FloatVariant> availableVariants() {
  std::vector<FloatVariant> out;
  for (FloatVariant v : {
#if defined(__aarch64__)
           FloatVariant{CpuIsa::Neon, kiln_matmul_clamp_f32_f32_f16p_4x16x1_neon}
#else
           FloatVariant{CpuIsa::Avx2, kiln_matmul_clamp_f32_f32_f16p_4x16x1_avx2},
           FloatVariant{CpuIsa::Avx512, kiln_matmul_clamp_f32_f32_f16p_12x32x1_avx512},
           FloatVariant{CpuIsa::Avx512, nullptr, kiln_lhs_pack_f32p12x1_f32_round_f16_avx512,
                        kiln_matmul_clamp_f32_f32p_f16p_12x32x1_avx512}
#endif
       })
    if (cpuIsaAvailable(v.isa))
      out.push_back(v);
  return out;
}

// Shapes as MatmulF32Test's (both tiles' mr and nr ragged, K in one to five chunks).
const FloatShape kShapes[] = {
    {1, 33, 65, true, -kInf, kInf},  {7, 250, 300, true, -kInf, kInf},
    {3, 64, 40, false, -kInf, kInf}, {128, 256, 512, true, -2.0f, 2.0f},
    {9, 1, 1, true, 0.0f, kInf},     {5, 15, 3, false, -kInf, kInf},
    {17, 16, 7, true, -kInf, 0.0f},  {12, 32, 9, true, -1.0f, 1.0f},
    {13, 67, 70, false, -kInf, kInf}, {13, 40, 1100, true, -1.0f, 1.0f},
    {14, 40, 2100, true, -kInf, kInf}, {5, 17, 4099, false, -kInf, kInf},
    {25, 48, 16, true, -kInf, kInf}};

TEST(MatmulF16Test, PackedKernelsStayWithinThePf16BoundOfTheScalarKernel) {
  std::vector<FloatVariant> variants = availableVariants();
  if (variants.empty())
    GTEST_SKIP() << "no packed variant on this CPU";
  std::mt19937 rng(test::testSeed());
  std::normal_distribution<float> normal(0.0f, 1.0f);
  for (const FloatShape &s : kShapes) {
    // Activations that are not fp16 values, so the kernels' rounding of them matters.
    Operands o{std::vector<float>(s.m * s.k), std::vector<float>(s.n),
               std::vector<uint16_t>(s.n * s.k)};
    for (float &e : o.x)
      e = normal(rng) * 1.001f;
    for (float &e : o.bias)
      e = normal(rng);
    for (uint16_t &w : o.weights)
      w = uint16_t(encodeFloat(normal(rng), kFp16));
    for (const FloatVariant &v : variants)
      check(v, s, o, /*exact=*/false);
  }
}

TEST(MatmulF16Test, PackedKernelsMatchTheScalarKernelWhereSumsAreExact) {
  std::vector<FloatVariant> variants = availableVariants();
  if (variants.empty())
    GTEST_SKIP() << "no packed variant on this CPU";
  std::mt19937 rng(test::testSeed());
  std::uniform_int_distribution<int> small(-8, 8);
  for (const FloatShape &s : kShapes) {
    Operands o{std::vector<float>(s.m * s.k), std::vector<float>(s.n),
               std::vector<uint16_t>(s.n * s.k)};
    // Integers, plus 1/4096 on those of magnitude 2 or more, which the activations'
    // rounding to fp16 removes: every product and sum is then an integer below 2^24.
    for (float &e : o.x) {
      const int v = small(rng);
      e = float(v) + (std::abs(v) >= 2 ? 1.0f / 4096 : 0.0f);
    }
    for (float &e : o.bias)
      e = float(small(rng));
    for (uint16_t &w : o.weights)
      w = uint16_t(encodeFloat(small(rng), kFp16));
    for (const FloatVariant &v : variants)
      check(v, s, o, /*exact=*/true);
  }
  // Results past fp16's range become infinities in both.
  FloatShape big{2, 20, 3, true, -kInf, kInf};
  Operands o{std::vector<float>(6, 300.0f), std::vector<float>(20, -1.0f),
             std::vector<uint16_t>(60, uint16_t(encodeFloat(-200.0, kFp16)))};
  for (const FloatVariant &v : variants)
    check(v, big, o, /*exact=*/true);
}

} // namespace
} // namespace kiln::cpu
