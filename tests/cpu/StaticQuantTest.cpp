// The vector static quantize/dequantize kernels against the scalar QuantizeStatic and
// Dequantize kernels: every byte and every float bit must match, on counts around the
// vector widths, exact halves (round half to even), values past the ±256 pre-clamp and
// the int8 saturation, and every int8 input.

#include "kiln/cpu/Isa.h"
#include "kiln/cpu/ScalarKernels.h"
#include "kiln/cpu/StaticQuant.h"

#include "CpuTestUtil.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <vector>

namespace kiln::cpu {
namespace {

using test::view;

/// The vector variants of this architecture: one per architecture, since both are
/// element-wise and memory-bound.
struct StaticQuantVariant {
  CpuIsa isa;
  void (*quantize)(size_t, float, int32_t, const float *, int8_t *);
  void (*dequantize)(size_t, float, int32_t, const int8_t *, float *);
};
#if defined(__aarch64__)
constexpr StaticQuantVariant kVariant{CpuIsa::Neon, kiln_quant_qai8_f32_neon,
                                      kiln_dequant_f32_qai8_neon};
#else
constexpr StaticQuantVariant kVariant{CpuIsa::Avx2, kiln_quant_qai8_f32_avx2,
                                      kiln_dequant_f32_qai8_avx2};
#endif

const uint32_t kCounts[] = {1, 7, 8, 9, 15, 16, 17, 31, 32, 33, 64, 100, 1000};

TEST(StaticQuantTest, VectorQuantizeMatchesTheScalarKernelBitForBit) {
  if (!cpuIsaAvailable(kVariant.isa))
    GTEST_SKIP() << "no " << cpuIsaName(kVariant.isa) << " on this CPU";
  std::mt19937 rng(test::testSeed());
  std::normal_distribution<float> normal(0.0f, 60.0f);
  for (uint32_t count : kCounts)
    for (auto [invScale, zeroPoint] : {std::pair{1.0f, 0}, {0.5f, -128}, {3.7f, 17}, {0.0f, 5}}) {
      std::vector<float> x(count);
      for (uint32_t i = 0; i < count; ++i) {
        switch (i % 4) {
        case 0: x[i] = normal(rng); break;
        case 1: x[i] = (float(i % 41) - 20.0f) * 0.5f / (invScale == 0 ? 1 : invScale); break;
        case 2: x[i] = (i % 8 < 4 ? 1e6f : -1e6f); break; // past ±256 and int8
        default: x[i] = -0.0f;
        }
      }
      std::vector<int8_t> got(count, 0x55), want(count, 0x55);
      vgf::KernelDescriptor d;
      d.kind = vgf::KernelKind::QuantizeStatic;
      d.quantize = {count, invScale, zeroPoint};
      ASSERT_TRUE(runKernelScalar(d, {view(x), view(want)}).isOk());
      kVariant.quantize(count, invScale, zeroPoint, x.data(), got.data());
      EXPECT_EQ(got, want) << "count " << count << ", invScale " << invScale << ", zp "
                           << zeroPoint;
    }
}

TEST(StaticQuantTest, VectorDequantizeMatchesTheScalarKernelBitForBit) {
  if (!cpuIsaAvailable(kVariant.isa))
    GTEST_SKIP() << "no " << cpuIsaName(kVariant.isa) << " on this CPU";
  for (uint32_t count : {1u, 7u, 8u, 9u, 256u, 1000u})
    for (auto [scale, zeroPoint] : {std::pair{1.0f, 0}, {0.0123f, -128}, {-2.5f, 127}}) {
      std::vector<int8_t> q(count);
      for (uint32_t i = 0; i < count; ++i)
        q[i] = int8_t(i * 37 + 11); // every value once count reaches 256
      std::vector<float> got(count, 9.0f), want(count, 9.0f);
      vgf::KernelDescriptor d;
      d.kind = vgf::KernelKind::Dequantize;
      d.dequantize = {count, zeroPoint, scale};
      ASSERT_TRUE(runKernelScalar(d, {view(q), view(want)}).isOk());
      kVariant.dequantize(count, scale, zeroPoint, q.data(), got.data());
      EXPECT_EQ(std::memcmp(got.data(), want.data(), count * 4), 0)
          << "count " << count << ", scale " << scale << ", zp " << zeroPoint;
    }
}

} // namespace
} // namespace kiln::cpu
