// The vector qai8dx quantizer against the scalar QuantizeRows kernel: every byte, row
// scale and zero point must match, on ragged K, constant rows and exact halves (where
// the two roundings of numerics.md differ).

#include "kiln/cpu/Isa.h"
#include "kiln/cpu/LhsQuant.h"
#include "kiln/cpu/ScalarKernels.h"

#include "CpuTestUtil.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <random>
#include <vector>

namespace kiln::cpu {
namespace {

using test::view;

/// The vector quantizer of this architecture (one per architecture: the pass is O(M·K)).
#if defined(__aarch64__)
constexpr CpuIsa kIsa = CpuIsa::Neon;
constexpr auto kQuantize = kiln_lhs_quant_qai8dx_f32_neon;
#else
constexpr CpuIsa kIsa = CpuIsa::Avx2;
constexpr auto kQuantize = kiln_lhs_quant_qai8dx_f32_avx2;
#endif

TEST(LhsQuantTest, VectorKernelMatchesTheScalarKernelBitForBit) {
  if (!cpuIsaAvailable(kIsa))
    GTEST_SKIP() << "no " << cpuIsaName(kIsa) << " on this CPU";
  const char *env = std::getenv("KILN_TEST_SEED");
  uint32_t seed = env ? uint32_t(std::strtoul(env, nullptr, 10)) : 1234u;
  std::printf("KILN_TEST_SEED=%u\n", seed);
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.0f, 3.0f);
  for (uint32_t k : {1u, 3u, 4u, 5u, 7u, 8u, 9u, 33u, 65u, 300u, 2048u}) {
    const uint32_t m = 6;
    std::vector<float> x(m * k);
    for (float &v : x)
      v = normal(rng);
    std::fill(x.begin(), x.begin() + k, 0.0f);          // lo == hi
    std::fill(x.begin() + k, x.begin() + 2 * k, 2.5f);  // all positive
    for (uint32_t i = 0; i < k; ++i)                      // halves: both roundings bite
      x[2 * k + i] = (float(i % 37) - 18.0f) * 0.5f;
    for (uint32_t i = 0; i < k; ++i)                      // all negative
      x[3 * k + i] = -std::abs(x[3 * k + i]) - 0.25f;
    std::vector<int8_t> q(m * k), want(m * k);
    std::vector<float> scales(m), wantScales(m);
    std::vector<int32_t> zps(m), wantZps(m);
    vgf::KernelDescriptor d;
    d.kind = vgf::KernelKind::QuantizeRows;
    d.quantizeRows = {m, k};
    ASSERT_TRUE(runKernelScalar(d, {view(x), view(want), view(wantScales), view(wantZps)}).isOk());
    kQuantize(m, k, x.data(), q.data(), scales.data(), zps.data());
    EXPECT_EQ(q, want) << "k = " << k;
    EXPECT_EQ(std::memcmp(scales.data(), wantScales.data(), m * 4), 0) << "k = " << k;
    EXPECT_EQ(zps, wantZps) << "k = " << k;
  }
}

} // namespace
} // namespace kiln::cpu
