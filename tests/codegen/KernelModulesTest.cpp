// buildKernel: every kernel kind and GEMM scheme compiles and passes spirv-val for
// aligned and ragged shapes in both GEMM forms; bad descriptors are errors.

#include "kiln/codegen/KernelModules.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <string>

namespace kiln::codegen {
namespace {

using vgf::GemmScheme;
using vgf::KernelDescriptor;
using vgf::KernelKind;

KernelDescriptor gemm(GemmScheme scheme, uint32_t m, uint32_t n, uint32_t k, bool bias) {
  KernelDescriptor d;
  d.kind = KernelKind::Gemm;
  d.gemm.scheme = scheme;
  d.gemm.m = m;
  d.gemm.n = n;
  d.gemm.k = k;
  d.gemm.blockSize = scheme == GemmScheme::Qp8F32Qb4w ? 32 : 0;
  d.gemm.hasBias = bias;
  d.gemm.clampMin = -std::numeric_limits<float>::infinity();
  d.gemm.clampMax = 6.0f;
  d.gemm.lhsZeroPoint = scheme == GemmScheme::Pqs8Qc8w ? -3 : 0;
  d.gemm.tiling = chooseGemmTiling(d.gemm);
  return d;
}

/// Whether `spirv` holds an instruction with `opcode` (the low half of its first word).
bool hasOpcode(const std::vector<uint32_t> &spirv, uint32_t opcode) {
  for (size_t i = 5; i < spirv.size(); i += std::max(spirv[i] >> 16, 1u))
    if ((spirv[i] & 0xFFFFu) == opcode)
      return true;
  return false;
}

/// Whether some OpDecorate (71) gives an id `decoration`.
bool hasDecoration(const std::vector<uint32_t> &spirv, uint32_t decoration) {
  for (size_t i = 5; i < spirv.size(); i += std::max(spirv[i] >> 16, 1u))
    if ((spirv[i] & 0xFFFFu) == 71 && i + 2 < spirv.size() && spirv[i + 2] == decoration)
      return true;
  return false;
}

/// Whether `spirv` declares OpCapability (17) `capability`.
bool hasCapability(const std::vector<uint32_t> &spirv, uint32_t capability) {
  for (size_t i = 5; i < spirv.size(); i += std::max(spirv[i] >> 16, 1u))
    if ((spirv[i] & 0xFFFFu) == 17 && i + 1 < spirv.size() && spirv[i + 1] == capability)
      return true;
  return false;
}

bool isInteger(GemmScheme s) { return s != GemmScheme::Pf32 && s != GemmScheme::Pf16; }

class GemmSchemeTest : public ::testing::TestWithParam<GemmScheme> {};

TEST_P(GemmSchemeTest, CompilesAndValidatesEveryForm) {
  GemmScheme scheme = GetParam();
  struct Shape {
    uint32_t m, n, k;
  };
  // GEMV and tiled forms; K aligned to 8, to 4 only, and (non-qb4w) not at all.
  std::vector<Shape> shapes = {{1, 64, 256}, {7, 250, 96}, {128, 96, 160}, {33, 40, 32}};
  if (scheme != GemmScheme::Qp8F32Qb4w)
    shapes.push_back({3, 65, 33});
  for (const Shape &s : shapes)
    for (bool bias : {false, true}) {
      SCOPED_TRACE(std::to_string(s.m) + "x" + std::to_string(s.n) + "x" + std::to_string(s.k));
      Expected<KernelBinary> binary = buildKernel(gemm(scheme, s.m, s.n, s.k, bias));
      ASSERT_TRUE(binary) << binary.status().message();
      // Portable first; then 64-bit loads where the kernel has 16- or 8-byte loads
      // (K a multiple of 4 for float schemes, 16- or 32-value chunks for integer
      // ones); then SDot (integer schemes).
      vgf::GemmDesc g = gemm(scheme, s.m, s.n, s.k, bias).gemm;
      bool wide = isInteger(scheme) ? g.tiling.tileK >= 16 : s.k % 4 == 0;
      std::vector<std::pair<bool, bool>> sdotAndInt64 = {{false, false}};
      if (wide)
        sdotAndInt64.push_back({false, true});
      if (isInteger(scheme))
        sdotAndInt64.push_back({true, false});
      ASSERT_EQ(binary->modules.size(), sdotAndInt64.size());
      constexpr uint32_t kOpSDot = 4450, kNoContraction = 42, kCapabilityInt64 = 11;
      for (size_t i = 0; i < binary->modules.size(); ++i) {
        SCOPED_TRACE("module " + std::to_string(i));
        const KernelModule &module = binary->modules[i];
        EXPECT_EQ(module.spirv.at(0), 0x07230203u);
        auto [sdot, int64] = sdotAndInt64[i];
        EXPECT_EQ(module.requiredFeatures,
                  sdot ? vgf::kFeatureIntegerDotProduct : vgf::kFeatureNone);
        EXPECT_EQ(hasOpcode(module.spirv, kOpSDot), sdot);
        EXPECT_EQ(hasCapability(module.spirv, kCapabilityInt64), int64);
      }
      // The unfused float epilogues (numerics.md) reach SPIR-V as NoContraction.
      if (scheme != GemmScheme::Pqs8Qc8w && (bias || isInteger(scheme)))
        EXPECT_TRUE(hasDecoration(binary->modules[0].spirv, kNoContraction));
      EXPECT_EQ(binary->bindings.front(), 0u);
      EXPECT_EQ(binary->bindings.back(), 9u);
      bool hasBiasBinding = std::count(binary->bindings.begin(), binary->bindings.end(), 3u);
      EXPECT_EQ(hasBiasBinding, bias);
    }
}

INSTANTIATE_TEST_SUITE_P(AllSchemes, GemmSchemeTest,
                         ::testing::Values(GemmScheme::Pf32, GemmScheme::Pf16,
                                           GemmScheme::Pqs8Qc8w, GemmScheme::Qp8F32Qc8w,
                                           GemmScheme::Qp8F32Qb4w),
                         [](const auto &info) { return vgf::gemmSchemeName(info.param); });

TEST(KernelModulesTest, BindingsFollowTheScheme) {
  auto bindings = [](GemmScheme s) { return buildKernel(gemm(s, 1, 8, 64, true))->bindings; };
  EXPECT_EQ(bindings(GemmScheme::Pf32), (std::vector<uint32_t>{0, 1, 3, 9}));
  EXPECT_EQ(bindings(GemmScheme::Pqs8Qc8w), (std::vector<uint32_t>{0, 1, 3, 7, 8, 9}));
  EXPECT_EQ(bindings(GemmScheme::Qp8F32Qb4w), (std::vector<uint32_t>{0, 1, 2, 3, 4, 5, 6, 9}));
}

TEST(KernelModulesTest, WorkgroupsCoverTheOutput) {
  Expected<KernelBinary> gemv = buildKernel(gemm(GemmScheme::Pf32, 1, 130, 64, false));
  ASSERT_TRUE(gemv);
  // 32 invocations per workgroup, of 4 columns for up to 4 rows, else of 8 columns;
  // every row in one tile up to 8 rows, 8 rows per tile beyond.
  EXPECT_EQ(gemv->workgroups, (std::array<uint32_t, 3>{2, 1, 1}));
  Expected<KernelBinary> tiled = buildKernel(gemm(GemmScheme::Pf32, 130, 130, 64, false));
  ASSERT_TRUE(tiled);
  EXPECT_EQ(tiled->workgroups, (std::array<uint32_t, 3>{1, 17, 1}));
}

TEST(KernelModulesTest, CompilesLlamaSizedShapes) {
  for (uint32_t m : {1u, 128u})
    for (GemmScheme s : {GemmScheme::Qp8F32Qc8w, GemmScheme::Qp8F32Qb4w}) {
      Expected<KernelBinary> binary = buildKernel(gemm(s, m, 8192, 2048, true));
      ASSERT_TRUE(binary) << binary.status().message();
    }
}

TEST(KernelModulesTest, CompilesTheOtherKinds) {
  for (uint32_t k : {1u, 33u, 2048u}) {
    KernelDescriptor rows;
    rows.kind = KernelKind::QuantizeRows;
    rows.quantizeRows = {5, k};
    Expected<KernelBinary> binary = buildKernel(rows);
    ASSERT_TRUE(binary) << binary.status().message();
    EXPECT_EQ(binary->bindings, (std::vector<uint32_t>{0, 1, 2, 3}));
    EXPECT_EQ(binary->workgroups[0], 5u);
  }
  KernelDescriptor quantize;
  quantize.kind = KernelKind::QuantizeStatic;
  quantize.quantize = {1000, 12.5f, -7};
  Expected<KernelBinary> q = buildKernel(quantize);
  ASSERT_TRUE(q) << q.status().message();
  EXPECT_EQ(q->bindings, (std::vector<uint32_t>{0, 1}));
  KernelDescriptor dequantize;
  dequantize.kind = KernelKind::Dequantize;
  dequantize.dequantize = {7, 3, 0.25f};
  Expected<KernelBinary> dq = buildKernel(dequantize);
  ASSERT_TRUE(dq) << dq.status().message();
  EXPECT_EQ(dq->modules.size(), 1u);
}

void expectInvalid(const KernelDescriptor &d, const std::string &fragment) {
  Expected<KernelBinary> binary = buildKernel(d);
  ASSERT_FALSE(binary);
  EXPECT_EQ(binary.status().code(), StatusCode::InvalidArgument);
  EXPECT_NE(binary.status().message().find(fragment), std::string::npos)
      << binary.status().message();
}

TEST(KernelModulesTest, RejectsBadDescriptors) {
  KernelDescriptor d = gemm(GemmScheme::Pf32, 4, 8, 16, false);
  d.gemm.k = 0;
  expectInvalid(d, "expected k > 0");

  d = gemm(GemmScheme::Qp8F32Qb4w, 1, 8, 64, false);
  d.gemm.blockSize = 6;
  expectInvalid(d, "multiple of 4 and divides k = 64, got 6");

  d = gemm(GemmScheme::Pf32, 64, 64, 64, false);
  d.gemm.tiling.workgroupSize = 512;
  expectInvalid(d, "expected workgroup_size in [1, 128]");

  d = gemm(GemmScheme::Pf32, 64, 64, 64, false);
  d.gemm.tiling.tileK = 16;
  expectInvalid(d, "expected tile_k = 4, or 16 for int8 weights");

  d = gemm(GemmScheme::Qp8F32Qc8w, 64, 64, 72, false);
  d.gemm.tiling.tileK = 16;
  expectInvalid(d, "with k a multiple of 16");

  d = gemm(GemmScheme::Qp8F32Qb4w, 4, 64, 96, false);
  d.gemm.tiling.tileK = 32;
  d.gemm.blockSize = 48;
  expectInvalid(d, "8 or 32 dividing the qb4w block size");

  d = gemm(GemmScheme::Pf32, 64, 64, 64, false);
  d.gemm.tiling.tileM = 12;
  expectInvalid(d, "expected tile_m in [1, 8]");

  d = gemm(GemmScheme::Pf32, 2, 64, 64, false);
  d.gemm.tiling.tileN = 48;
  expectInvalid(d, "expected tile_n to be 1 to 8 times workgroup_size");

  d = gemm(GemmScheme::Pf32, 2, 64, 200000, false);
  expectInvalid(d, "int32 accumulators");

  d = gemm(GemmScheme::Pf32, 2, 64, 64, false);
  d.gemm.scheme = static_cast<GemmScheme>(17);
  expectInvalid(d, "unknown scheme 17");

  KernelDescriptor rows;
  rows.kind = KernelKind::QuantizeRows;
  rows.quantizeRows = {70000, 4};
  expectInvalid(rows, "one workgroup per row");

  KernelDescriptor unknown;
  unknown.kind = static_cast<KernelKind>(9);
  expectInvalid(unknown, "unknown kind 9");
}

} // namespace
} // namespace kiln::codegen
