// End to end on the Vulkan runtime (lavapipe in CI), with the validation layer on:
// a built-in model goes through the whole compiler in process (kiln -> TOSA ->
// kernels -> .vgf bytes), runs on Vulkan, and is compared with the TOSA reference
// evaluator on the same lowered function (docs/numerics.md's contract):
//   pqs8_qc8w bit-exact; dynamic schemes within 2^-20 of the output magnitude;
//   pf32 within 2·ΣK·eps and pf16 within one fp16 ulp of the output magnitude.
// Llama-sized layers also go through the CPU executor (the widest ISA's kernels, or
// KILN_CPU_ISA's), which must agree with both.

#include "kiln/codegen/EmitVgf.h"
#include "kiln/compiler/Compiler.h"
#include "kiln/cpu/Executor.h"
#include "kiln/cpu/Isa.h"
#include "kiln/import/BuiltinModels.h"
#include "kiln/reference/Evaluator.h"
#include "kiln/runtime/Npy.h"
#include "kiln/runtime/Session.h"
#include "kiln/vgf/Decoder.h"
#include "kiln/vgf/Encoder.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>
#include <string>

namespace kiln {
namespace {

struct Case {
  const char *scheme;
  int64_t batch;
  std::vector<int64_t> sizes; ///< inputs, then each layer's outputs
};

std::string caseName(const Case &c) {
  std::string name = std::string(c.scheme) + "_m" + std::to_string(c.batch);
  for (int64_t s : c.sizes)
    name += "_" + std::to_string(s);
  return name;
}

std::vector<float> gaussian(size_t count, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<float> values(count);
  for (float &v : values)
    v = normal(rng);
  return values;
}

/// A compiled model, its input and the reference evaluator's output.
struct Compiled {
  std::vector<uint8_t> vgf;
  std::vector<float> input;
  std::vector<float> reference;
  int64_t totalK = 0;
};

/// Compiles `c` in process and evaluates the lowered TOSA on the reference evaluator.
void compile(const Case &c, Compiled &out) {
  mlir::DialectRegistry registry;
  registerCompilerDialects(registry);
  mlir::MLIRContext context(registry);
  context.loadAllAvailableDialects();
  std::string diagnostics;
  mlir::ScopedDiagnosticHandler handler(&context, [&](mlir::Diagnostic &d) {
    diagnostics += d.str() + "\n";
    return mlir::success();
  });

  BuiltinModelOptions options;
  options.batch = c.batch;
  options.mlpSizes = c.sizes;
  options.seed = 7;
  std::optional<SchemeKind> scheme = parseSchemeName(c.scheme);
  ASSERT_TRUE(scheme.has_value());
  options.scheme = *scheme;
  mlir::OwningOpRef<mlir::ModuleOp> module = buildBuiltinModel(&context, "mlp", options);
  ASSERT_TRUE(module) << diagnostics;

  CompileOptions compileOptions;
  if (*scheme == SchemeKind::pqs8_qc8w) {
    rt::NpyArray samples;
    samples.dtype = rt::DType::F32;
    samples.shape = {16, c.sizes[0]};
    std::vector<float> values = gaussian(size_t(16 * c.sizes[0]), 99);
    samples.data.resize(values.size() * 4);
    std::memcpy(samples.data.data(), values.data(), samples.data.size());
    compileOptions.calibrationData = ::testing::TempDir() + "kiln_e2e_" + caseName(c) + ".npy";
    ASSERT_TRUE(rt::writeNpy(compileOptions.calibrationData, samples).isOk());
  }
  // The library's stages one by one: the reference runs on the TOSA in between.
  ASSERT_TRUE(mlir::succeeded(lowerModel(*module, compileOptions))) << diagnostics;
  auto func = *module->getOps<mlir::func::FuncOp>().begin();

  out.input = gaussian(size_t(c.batch * c.sizes[0]), 1);
  for (size_t i = 0; i + 1 < c.sizes.size(); ++i)
    out.totalK += c.sizes[i];
  ref::Tensor x(ref::ElementType::F32, {c.batch, c.sizes[0]});
  for (size_t i = 0; i < out.input.size(); ++i)
    x.setFloat(int64_t(i), out.input[i]);
  mlir::FailureOr<std::vector<ref::Tensor>> y = ref::evaluate(func, {x});
  ASSERT_TRUE(mlir::succeeded(y)) << diagnostics;
  for (int64_t i = 0; i < (*y)[0].numElements(); ++i)
    out.reference.push_back(float((*y)[0].getFloat(i)));

  Expected<codegen::KernelGraph> graph = formKernelGraph(*module);
  ASSERT_TRUE(graph.hasValue()) << graph.status().message();
  Expected<vgf::Model> model = codegen::buildVgfModel(*graph);
  ASSERT_TRUE(model.hasValue()) << model.status().message();
  Expected<std::vector<uint8_t>> bytes = vgf::encodeVgf(*model);
  ASSERT_TRUE(bytes.hasValue()) << bytes.status().message();
  out.vgf = std::move(*bytes);
}

std::vector<float> runOnVulkan(const Compiled &compiled) {
  rt::DeviceOptions options;
  options.validation = true; // any validation error fails run()
  Expected<std::unique_ptr<rt::Session>> session = rt::Session::openBytes(compiled.vgf, options);
  EXPECT_TRUE(session.hasValue()) << session.status().message();
  if (!session)
    return {};
  rt::Session &s = **session;
  EXPECT_TRUE(s.setInput(0, compiled.input.data(), compiled.input.size() * 4).isOk());
  Status ran = s.run();
  EXPECT_TRUE(ran.isOk()) << ran.message();
  std::vector<float> y(s.outputs()[0].byteSize / 4);
  EXPECT_TRUE(s.readOutput(0, y.data(), y.size() * 4).isOk());
  return y;
}

/// Through CpuModel's caller-owned-memory steps (what kiln-bench runs); kiln-run and the
/// concurrency suite use run(inputs), which is built on them.
std::vector<float> runOnCpu(const Compiled &compiled) {
  Expected<vgf::DecodedVgf> decoded = vgf::decodeVgfCopy(compiled.vgf.data(), compiled.vgf.size());
  EXPECT_TRUE(decoded.hasValue()) << decoded.status().message();
  if (!decoded)
    return {};
  Expected<std::unique_ptr<cpu::CpuModel>> model = cpu::CpuModel::prepare(decoded->model);
  EXPECT_TRUE(model.hasValue()) << model.status().message();
  if (!model)
    return {};
  cpu::CpuModel &m = **model;
  EXPECT_TRUE(m.setInput(0, compiled.input.data(), compiled.input.size() * 4).isOk());
  Status ran = m.run();
  EXPECT_TRUE(ran.isOk()) << ran.message();
  std::vector<float> y(compiled.reference.size());
  EXPECT_TRUE(m.readOutput(0, y.data(), y.size() * 4).isOk());
  return y;
}

/// The largest |y - expected| the scheme's contract allows, given max |expected|.
double allowedError(const std::string &scheme, double magnitude, int64_t totalK) {
  if (scheme == "pqs8_qc8w")
    return 0;
  if (scheme == "pf16")
    return std::ldexp(magnitude, -10);
  if (scheme == "pf32")
    return 2.0 * double(totalK) * std::ldexp(magnitude, -23);
  return std::ldexp(magnitude, -20);
}

void expectAgreement(const std::string &scheme, const std::vector<float> &expected,
                     const std::vector<float> &actual, int64_t totalK) {
  ASSERT_EQ(expected.size(), actual.size());
  double magnitude = 0;
  for (float v : expected)
    magnitude = std::max(magnitude, std::fabs(double(v)));
  double allowed = allowedError(scheme, magnitude, totalK);
  for (size_t i = 0; i < expected.size(); ++i)
    ASSERT_LE(std::fabs(double(actual[i]) - double(expected[i])), allowed)
        << "element " << i << ": expected " << expected[i] << ", got " << actual[i];
}

/// Compiles `c` and compares what `run` computes with the reference evaluator.
void expectBackendMatches(const Case &c, std::vector<float> (*run)(const Compiled &)) {
  Compiled compiled;
  compile(c, compiled);
  if (::testing::Test::HasFatalFailure())
    return;
  expectAgreement(c.scheme, compiled.reference, run(compiled), compiled.totalK);
}

/// Why a CPU test has nothing to run: ctest also runs the CPU suites with KILN_CPU_ISA
/// forcing a narrower tier, which a CPU may lack. Empty when the tier is there.
std::string missingCpuTier() {
  Expected<cpu::CpuIsa> isa = cpu::selectCpuIsa();
  return !isa && isa.status().code() == StatusCode::Unsupported ? isa.status().message() : "";
}

class VulkanMatchesReference : public ::testing::TestWithParam<Case> {};

TEST_P(VulkanMatchesReference, OnLavapipeWithValidation) {
  expectBackendMatches(GetParam(), runOnVulkan);
}

/// The CPU executor with the widest ISA here and (ctest's cpu_e2e_* tests) every
/// narrower tier.
class CpuMatchesReference : public ::testing::TestWithParam<Case> {};

TEST_P(CpuMatchesReference, WithTheSelectedIsa) {
  if (std::string missing = missingCpuTier(); !missing.empty())
    GTEST_SKIP() << missing;
  expectBackendMatches(GetParam(), runOnCpu);
}

TEST(CpuModelSteps, NameTheResourceAndSizeTheyExpected) {
  Compiled compiled;
  compile({"pf32", 1, {256, 256}}, compiled);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  Expected<vgf::DecodedVgf> decoded = vgf::decodeVgfCopy(compiled.vgf.data(), compiled.vgf.size());
  ASSERT_TRUE(decoded.hasValue()) << decoded.status().message();
  Expected<std::unique_ptr<cpu::CpuModel>> model = cpu::CpuModel::prepare(decoded->model);
  ASSERT_TRUE(model.hasValue()) << model.status().message();
  cpu::CpuModel &m = **model;
  std::vector<uint8_t> bytes(1028);
  EXPECT_EQ(m.setInput(0, bytes.data(), 1028).message(), "input 0: expected 1024 bytes, got 1028");
  EXPECT_EQ(m.setInput(1, bytes.data(), 1024).message(), "no input 1: the model has 1");
  EXPECT_EQ(m.readOutput(0, bytes.data(), 4).message(), "output 0: expected 1024 bytes, got 4");
  EXPECT_EQ(m.readOutput(1, bytes.data(), 1024).message(), "no output 1: the model has 1");
  // A rejected input leaves the last accepted one: two runs read back the same bytes.
  ASSERT_TRUE(m.setInput(0, compiled.input.data(), 1024).isOk());
  ASSERT_TRUE(m.run().isOk());
  std::vector<uint8_t> first(1024), second(1024);
  ASSERT_TRUE(m.readOutput(0, first.data(), 1024).isOk());
  EXPECT_FALSE(m.setInput(0, bytes.data(), 1000).isOk());
  ASSERT_TRUE(m.run().isOk());
  ASSERT_TRUE(m.readOutput(0, second.data(), 1024).isOk());
  EXPECT_EQ(first, second);
}

// DemoLinearModel, a 3-layer MLP and ragged shapes for each scheme. int4 needs K to be
// a multiple of its block (32), so its ragged cases are ragged in M and N only.
std::vector<Case> referenceCases() {
  std::vector<Case> cases;
  for (const char *scheme : {"pf32", "pf16", "pqs8_qc8w", "qp8_f32_qc8w", "qp8_f32_qb4w"}) {
    cases.push_back({scheme, 1, {256, 256}});
    cases.push_back({scheme, 3, {64, 96, 96, 48}});
    bool int4 = std::string(scheme) == "qp8_f32_qb4w";
    cases.push_back({scheme, 1, {int4 ? 64 : 33, 65}});
    cases.push_back({scheme, 7, {int4 ? 256 : 250, 300}});
    cases.push_back({scheme, 40, {int4 ? 96 : 72, 70}}); // the tiled GEMM (M > 8)
  }
  return cases;
}

// Llama-3.2-1B-sized layers: prefill through the int8 kernels, decode through int4.
const Case kLlamaCases[] = {{"qp8_f32_qc8w", 128, {2048, 2048}}, {"qp8_f32_qb4w", 1, {2048, 2048}}};

std::string nameOf(const ::testing::TestParamInfo<Case> &info) { return caseName(info.param); }

INSTANTIATE_TEST_SUITE_P(Schemes, VulkanMatchesReference, ::testing::ValuesIn(referenceCases()),
                         nameOf);
INSTANTIATE_TEST_SUITE_P(Schemes, CpuMatchesReference, ::testing::ValuesIn(referenceCases()),
                         nameOf);
INSTANTIATE_TEST_SUITE_P(Llama, VulkanMatchesReference, ::testing::ValuesIn(kLlamaCases), nameOf);
INSTANTIATE_TEST_SUITE_P(Llama, CpuMatchesReference, ::testing::ValuesIn(kLlamaCases), nameOf);

} // namespace
} // namespace kiln
