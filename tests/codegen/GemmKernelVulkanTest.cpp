// The register-tile GEMM kernel on Vulkan (lavapipe in CI, validation on) against the
// scalar reference kernels (runtime/cpu, plain loops in numerics.md's order), one
// descriptor at a time: every operand is a model input filled with seeded random
// values, so edge tiles, K chunks and qb4w blocks are exercised directly.
// Integer and dynamic-scheme outputs must match bit for bit; pf32 within
// numerics.md's summation bound (a driver may contract the accumulation into FMAs).

#include "kiln/codegen/EmitVgf.h"
#include "kiln/codegen/KernelModules.h"
#include "kiln/cpu/ScalarKernels.h"
#include "kiln/runtime/Session.h"
#include "kiln/vgf/Encoder.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <random>
#include <string>

namespace kiln::codegen {
namespace {

using vgf::GemmScheme;

struct GemmCase {
  GemmScheme scheme;
  uint32_t m, n, k;
  uint32_t blockSize = 32; ///< qb4w only
  uint32_t tileK = 0;      ///< 0: chooseGemmTiling's
  uint32_t tileM = 0;      ///< 0: chooseGemmTiling's
};

std::string caseName(const GemmCase &c) {
  std::string name = std::string(vgf::gemmSchemeName(c.scheme)) + "_" + std::to_string(c.m) +
                     "x" + std::to_string(c.n) + "x" + std::to_string(c.k);
  if (c.scheme == GemmScheme::Qp8F32Qb4w)
    name += "_b" + std::to_string(c.blockSize);
  if (c.tileK)
    name += "_tk" + std::to_string(c.tileK);
  if (c.tileM)
    name += "_tm" + std::to_string(c.tileM);
  return name;
}

unsigned testSeed() {
  const char *seed = std::getenv("KILN_TEST_SEED");
  return seed ? unsigned(std::strtoul(seed, nullptr, 10)) : 20261123u;
}

vgf::KernelDescriptor descriptorOf(const GemmCase &c) {
  vgf::KernelDescriptor d;
  d.kind = vgf::KernelKind::Gemm;
  vgf::GemmDesc &g = d.gemm;
  g.scheme = c.scheme;
  g.m = c.m;
  g.n = c.n;
  g.k = c.k;
  g.blockSize = c.scheme == GemmScheme::Qp8F32Qb4w ? c.blockSize : 0;
  g.hasBias = true;
  bool pqs8 = c.scheme == GemmScheme::Pqs8Qc8w;
  // Clamps that bite: about a quarter of the outputs on each side.
  g.clampMin = pqs8 ? -std::numeric_limits<float>::infinity() : -0.5f;
  g.clampMax = pqs8 ? std::numeric_limits<float>::infinity() : 0.5f;
  g.lhsZeroPoint = pqs8 ? -7 : 0;
  g.outZeroPoint = pqs8 ? 5 : 0;
  g.outMin = pqs8 ? -100 : -128;
  g.outMax = pqs8 ? 90 : 127;
  g.tiling = chooseGemmTiling(g);
  if (c.tileK)
    g.tiling.tileK = c.tileK;
  if (c.tileM)
    g.tiling.tileM = c.tileM;
  return d;
}

/// One binding's buffer, as a graph tensor type and its bytes.
struct Operand {
  uint32_t binding;
  ElementType type;
  std::vector<int64_t> shape;
  std::vector<uint8_t> bytes;
};

template <typename T> void put(std::vector<uint8_t> &bytes, size_t i, T v) {
  std::memcpy(bytes.data() + i * sizeof(T), &v, sizeof(T));
}

/// Random operands for every binding the kernel reads (binding 9 is the output).
std::vector<Operand> randomOperands(const vgf::GemmDesc &g, std::mt19937 &rng) {
  auto uniform = [&](float lo, float hi) { return std::uniform_real_distribution<float>(lo, hi)(rng); };
  auto integer = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  auto make = [](uint32_t binding, ElementType type, std::vector<int64_t> shape) {
    int64_t count = 1;
    for (int64_t s : shape)
      count *= s;
    return Operand{binding, type, shape, std::vector<uint8_t>(count * elementBytes(type))};
  };
  bool floatGemm = g.scheme == GemmScheme::Pf32 || g.scheme == GemmScheme::Pf16;
  bool pqs8 = g.scheme == GemmScheme::Pqs8Qc8w;
  bool qb4w = g.scheme == GemmScheme::Qp8F32Qb4w;
  int64_t m = g.m, n = g.n, k = g.k, groups = qb4w ? k / g.blockSize : 1;
  // Scale the float data so that sums stay near the clamp range.
  float spread = 1.0f / std::sqrt(float(k));
  std::vector<Operand> ops;

  Operand lhs = make(0, floatGemm ? ElementType::F32 : ElementType::I8, {m, k});
  for (int64_t i = 0; i < m * k; ++i)
    floatGemm ? put(lhs.bytes, i, uniform(-1, 1)) : put(lhs.bytes, i, int8_t(integer(-128, 127)));
  ops.push_back(lhs);

  Operand w = g.scheme == GemmScheme::Pf32   ? make(1, ElementType::F32, {n, k})
              : g.scheme == GemmScheme::Pf16 ? make(1, ElementType::F16, {n, k})
              : qb4w                         ? make(1, ElementType::I8, {n, k / 2})
                                             : make(1, ElementType::I8, {n, k});
  for (size_t i = 0; i < w.bytes.size() / elementBytes(w.type); ++i) {
    if (g.scheme == GemmScheme::Pf32)
      put(w.bytes, i, uniform(-spread, spread));
    else if (g.scheme == GemmScheme::Pf16) // fp16 bits of small normal values, both signs
      put(w.bytes, i, uint16_t((integer(0, 1) << 15) | (integer(8, 13) << 10) | integer(0, 1023)));
    else
      put(w.bytes, i, int8_t(qb4w ? integer(-128, 127) : integer(-127, 127)));
  }
  ops.push_back(w);

  if (!floatGemm && !pqs8) {
    Operand scales = make(2, ElementType::F32, {n, groups});
    Operand sums = make(4, ElementType::I32, {n, groups});
    for (int64_t i = 0; i < n * groups; ++i) {
      put(scales.bytes, i, uniform(0.5f, 2.0f) * spread / 64);
      put(sums.bytes, i, int32_t(integer(-2000, 2000)));
    }
    ops.push_back(scales);
    ops.push_back(sums);
    Operand rowScales = make(5, ElementType::F32, {m});
    Operand rowZps = make(6, ElementType::I32, {m});
    for (int64_t i = 0; i < m; ++i) {
      put(rowScales.bytes, i, uniform(0.5f, 2.0f) / 128);
      put(rowZps.bytes, i, int32_t(integer(-128, 127)));
    }
    ops.push_back(rowScales);
    ops.push_back(rowZps);
  }
  Operand bias = make(3, pqs8 ? ElementType::I32 : ElementType::F32, {n});
  for (int64_t i = 0; i < n; ++i)
    pqs8 ? put(bias.bytes, i, int32_t(integer(-5000, 5000))) : put(bias.bytes, i, uniform(-0.3f, 0.3f));
  ops.push_back(bias);
  if (pqs8) {
    Operand multipliers = make(7, ElementType::I32, {n});
    Operand shifts = make(8, ElementType::I32, {n});
    for (int64_t i = 0; i < n; ++i) {
      put(multipliers.bytes, i, int32_t(integer(1 << 30, std::numeric_limits<int32_t>::max())));
      put(shifts.bytes, i, int32_t(integer(38, 44)));
    }
    ops.push_back(multipliers);
    ops.push_back(shifts);
  }
  return ops;
}

/// The kernel as a one-segment model whose inputs are `ops`, in order, where every
/// module holds the code of module `only`, so that the device runs that one whichever
/// variant it prefers (lavapipe has every variant's features).
std::vector<uint8_t> oneKernelVgf(const vgf::KernelDescriptor &d, const std::vector<Operand> &ops,
                                  ElementType outputType, size_t only) {
  KernelGraph graph;
  Kernel kernel;
  kernel.name = "gemm_0";
  kernel.descriptor = d;
  for (const Operand &op : ops) {
    graph.inputs.push_back(uint32_t(graph.tensors.size()));
    kernel.bindings.push_back({op.binding, uint32_t(graph.tensors.size())});
    graph.tensors.push_back({"b" + std::to_string(op.binding), op.type, op.shape,
                             vgf::ResourceCategory::Input, nullptr, vgf::kUnset});
  }
  uint32_t output = uint32_t(graph.tensors.size());
  graph.tensors.push_back({"y", outputType, {int64_t(d.gemm.m), int64_t(d.gemm.n)},
                           vgf::ResourceCategory::Output, nullptr, vgf::kUnset});
  graph.outputs.push_back(output);
  kernel.bindings.push_back({9, output});
  kernel.results.push_back(output);
  std::sort(kernel.bindings.begin(), kernel.bindings.end(),
            [](const KernelBinding &a, const KernelBinding &b) { return a.binding < b.binding; });
  graph.kernels.push_back(kernel);
  Expected<vgf::Model> model = buildVgfModel(graph);
  EXPECT_TRUE(model.hasValue()) << model.status().message();
  if (!model)
    return {};
  std::vector<uint32_t> code = model->modules.at(only).spirv;
  for (vgf::Module &module : model->modules)
    module.spirv = code;
  Expected<std::vector<uint8_t>> bytes = vgf::encodeVgf(*model);
  EXPECT_TRUE(bytes.hasValue()) << bytes.status().message();
  return bytes ? *bytes : std::vector<uint8_t>{};
}

/// numerics.md's pf32 bound for output (row, col): 2·K·eps·Σk|x·w| + |b|·eps.
double pf32Bound(const vgf::GemmDesc &g, const std::vector<Operand> &ops, uint32_t row,
                 uint32_t col) {
  const float *x = reinterpret_cast<const float *>(ops[0].bytes.data()) + size_t(row) * g.k;
  const float *w = reinterpret_cast<const float *>(ops[1].bytes.data()) + size_t(col) * g.k;
  double sum = 0;
  for (uint32_t k = 0; k < g.k; ++k)
    sum += std::fabs(double(x[k]) * double(w[k]));
  float b;
  std::memcpy(&b, ops.back().bytes.data() + 4 * col, 4);
  return 2.0 * g.k * std::ldexp(sum, -23) + std::ldexp(std::fabs(double(b)), -23);
}

std::vector<uint8_t> runOnVulkan(const std::vector<uint8_t> &vgfBytes,
                                 const std::vector<Operand> &ops, size_t outputBytes) {
  rt::DeviceOptions options;
  options.validation = true; // any validation error fails open or run()
  Expected<std::unique_ptr<rt::Session>> session = rt::Session::openBytes(vgfBytes, options);
  EXPECT_TRUE(session.hasValue()) << session.status().message();
  if (!session)
    return {};
  for (size_t i = 0; i < ops.size(); ++i)
    EXPECT_TRUE((*session)->setInput(i, ops[i].bytes.data(), ops[i].bytes.size()).isOk());
  Status ran = (*session)->run();
  EXPECT_TRUE(ran.isOk()) << ran.message();
  std::vector<uint8_t> actual(outputBytes);
  EXPECT_TRUE((*session)->readOutput(0, actual.data(), actual.size()).isOk());
  return actual;
}

/// `expected` is the scalar output with 32 guard bytes on each side.
void expectMatch(const GemmCase &c, const vgf::GemmDesc &g, const std::vector<Operand> &ops,
                 const std::vector<uint8_t> &expected, const std::vector<uint8_t> &actual) {
  bool pqs8 = c.scheme == GemmScheme::Pqs8Qc8w;
  for (size_t i = 0; i < 32; ++i)
    ASSERT_TRUE(expected[i] == 0xA5 && expected[expected.size() - 1 - i] == 0xA5)
        << "the scalar kernel wrote outside its output";
  for (uint32_t row = 0; row < c.m; ++row)
    for (uint32_t col = 0; col < c.n; ++col) {
      size_t i = size_t(row) * c.n + col;
      if (pqs8) {
        ASSERT_EQ(int8_t(actual[i]), int8_t(expected[32 + i])) << "row " << row << " col " << col;
        continue;
      }
      float want, got;
      std::memcpy(&want, expected.data() + 32 + 4 * i, 4);
      std::memcpy(&got, actual.data() + 4 * i, 4);
      if (c.scheme == GemmScheme::Pf32)
        ASSERT_LE(std::fabs(double(got) - double(want)), pf32Bound(g, ops, row, col))
            << "row " << row << " col " << col;
      else
        ASSERT_EQ(std::memcmp(&got, &want, 4), 0)
            << "row " << row << " col " << col << ": expected " << want << ", got " << got;
    }
}


class GemmKernelOnVulkan : public ::testing::TestWithParam<GemmCase> {};

TEST_P(GemmKernelOnVulkan, MatchesTheScalarKernel) {
  const GemmCase &c = GetParam();
  vgf::KernelDescriptor d = descriptorOf(c);
  ASSERT_TRUE(buildKernel(d).hasValue()) << buildKernel(d).status().message();
  unsigned seed = testSeed();
  SCOPED_TRACE("seed " + std::to_string(seed) + " (KILN_TEST_SEED)");
  std::mt19937 rng(seed);
  std::vector<Operand> ops = randomOperands(d.gemm, rng);
  bool pqs8 = c.scheme == GemmScheme::Pqs8Qc8w;
  ElementType outputType = pqs8 ? ElementType::I8 : ElementType::F32;
  size_t outputBytes = size_t(c.m) * c.n * elementBytes(outputType);

  // The scalar kernel, with guard bytes around its output.
  std::vector<uint8_t> expected(outputBytes + 64, 0xA5);
  cpu::KernelBuffers buffers{};
  for (Operand &op : ops)
    buffers[op.binding] = {op.bytes.data(), op.bytes.size()};
  buffers[9] = {expected.data() + 32, outputBytes};
  ASSERT_TRUE(cpu::runKernelScalar(d, buffers).isOk());

  // Every module: the portable one and each variant.
  size_t modules = buildKernel(d)->modules.size();
  for (size_t module = 0; module < modules; ++module) {
    SCOPED_TRACE("module " + std::to_string(module));
    std::vector<uint8_t> actual =
        runOnVulkan(oneKernelVgf(d, ops, outputType, module), ops, outputBytes);
    ASSERT_EQ(actual.size(), outputBytes);
    expectMatch(c, d.gemm, ops, expected, actual);
  }
}

// Every tile size the chooser picks (1 to 8 rows; 4 columns per invocation up to 4
// rows, else 8), edge tiles in M and N (n = 1, just under and over the 128- and
// 256-column workgroups, 2·128 + 3, 2·256 + 3), every K chunk (4 with a ragged tail, the
// 16-value int8 chunk, the 8- and 32-value int4 chunks) and qb4w blocks of one to
// several chunks.
std::vector<GemmCase> cases() {
  std::vector<GemmCase> all;
  for (GemmScheme s : {GemmScheme::Pf32, GemmScheme::Pf16, GemmScheme::Pqs8Qc8w,
                       GemmScheme::Qp8F32Qc8w}) {
    all.push_back({s, 1, 259, 64});
    all.push_back({s, 3, 127, 33});
    all.push_back({s, 8, 129, 48});
    all.push_back({s, 13, 1, 70});
    all.push_back({s, 9, 131, 100});
    all.push_back({s, 6, 515, 32});
  }
  for (GemmScheme s : {GemmScheme::Pqs8Qc8w, GemmScheme::Qp8F32Qc8w}) {
    all.push_back({s, 5, 70, 48, 0, 4});       // K a multiple of 16, 4-value chunks
    all.push_back({s, 17, 33, 64, 0, 0, 3});  // 3-row tiles, ragged last tile
  }
  GemmScheme q = GemmScheme::Qp8F32Qb4w;
  for (uint32_t block : {32u, 64u})
    for (uint32_t m : {1u, 6u, 11u})
      all.push_back({q, m, 131, 4 * block, block});
  all.push_back({q, 2, 65, 96, 24});        // block 24: 8-value chunks
  all.push_back({q, 9, 40, 60, 12});        // block 12: 4-value chunks
  all.push_back({q, 1, 259, 128, 32, 8});   // 8-value chunks in 32-blocks
  all.push_back({q, 4, 30, 128, 64, 4, 8}); // 4-value chunks, 8-row tile
  return all;
}

INSTANTIATE_TEST_SUITE_P(Shapes, GemmKernelOnVulkan, ::testing::ValuesIn(cases()),
                         [](const auto &info) { return caseName(info.param); });

} // namespace
} // namespace kiln::codegen
