// DemoLinearModel (nn.Linear(256, 256), input 1x256) through the Kiln pipeline and
// the reference evaluator, against a double-precision matmul of the float model.
#include "EvalTestUtil.h"

#include "kiln/passes/Passes.h"
#include "kiln/reference/Compare.h"
#include "kiln/runtime/Npy.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>

namespace kiln::ref {
namespace {

constexpr int64_t kK = 256, kN = 256;

unsigned testSeed() {
  const char *env = std::getenv("KILN_TEST_SEED");
  return env ? unsigned(std::strtoul(env, nullptr, 10)) : 1234u;
}

struct DemoModel {
  std::vector<float> x, w, b; // x[K], w[N][K], b[N]
};

DemoModel makeModel(unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  DemoModel m;
  for (int64_t i = 0; i < kK; ++i)
    m.x.push_back(normal(rng));
  for (int64_t i = 0; i < kN * kK; ++i)
    m.w.push_back(normal(rng) / 16.0f); // nn.Linear-like magnitude 1/sqrt(K)
  for (int64_t i = 0; i < kN; ++i)
    m.b.push_back(normal(rng) / 16.0f);
  return m;
}

std::string denseText(const std::vector<float> &values) {
  std::string s = "[";
  char buffer[32];
  for (size_t i = 0; i < values.size(); ++i) {
    std::snprintf(buffer, sizeof(buffer), "%s%.9g", i ? ", " : "", double(values[i]));
    s += buffer;
  }
  return s + "]";
}

std::string moduleText(const DemoModel &m, const std::string &scheme) {
  std::string w = "[";
  for (int64_t n = 0; n < kN; ++n)
    w += (n ? ", " : "") +
         denseText(std::vector<float>(m.w.begin() + n * kK, m.w.begin() + (n + 1) * kK));
  w += "]";
  return "func.func @demo(%x: tensor<1x256xf32>) -> tensor<1x256xf32> {\n"
         "  %w = arith.constant dense<" + w + "> : tensor<256x256xf32>\n"
         "  %b = arith.constant dense<" + denseText(m.b) + "> : tensor<256xf32>\n"
         "  %y = kiln.linear %x, %w bias(%b) scheme <" + scheme +
         "> : (tensor<1x256xf32>, tensor<256x256xf32>, tensor<256xf32>) -> tensor<1x256xf32>\n"
         "  return %y : tensor<1x256xf32>\n}\n";
}

/// Lowers the model with the Kiln pipeline (calibrated on `calibration`, an .npy
/// path, when not empty) and evaluates it on m.x.
mlir::FailureOr<Tensor> runScheme(const DemoModel &m, const std::string &scheme,
                                  std::string &diagnostics,
                                  const std::string &calibration = "") {
  testing::EvalFixture f;
  auto module = mlir::parseSourceString<mlir::ModuleOp>(moduleText(m, scheme), &f.context());
  if (!module)
    return (diagnostics = "parse failed"), mlir::failure();
  mlir::PassManager pm(&f.context());
  kiln::PipelineOptions options;
  options.calibrationData = calibration;
  kiln::buildKilnPipeline(pm, options);
  if (failed(pm.run(*module)))
    return (diagnostics = "pipeline failed"), mlir::failure();
  Tensor x(ElementType::F32, {1, kK});
  for (int64_t i = 0; i < kK; ++i)
    x.setFloat(i, m.x[size_t(i)]);
  auto func = *module->getOps<mlir::func::FuncOp>().begin();
  mlir::FailureOr<std::vector<Tensor>> out = evaluate(func, {x});
  diagnostics = f.diagnostics();
  if (failed(out))
    return mlir::failure();
  return (*out)[0];
}

TEST(EndToEndTest, DemoLinearPf32MatchesDoubleMatmul) {
  unsigned seed = testSeed();
  DemoModel m = makeModel(seed);
  std::string diagnostics;
  mlir::FailureOr<Tensor> y = runScheme(m, "pf32", diagnostics);
  ASSERT_TRUE(succeeded(y)) << diagnostics << " (seed " << seed << ")";
  const double eps = std::ldexp(1.0, -23);
  for (int64_t n = 0; n < kN; ++n) {
    double ref = m.b[size_t(n)], magnitude = std::fabs(m.b[size_t(n)]);
    for (int64_t k = 0; k < kK; ++k) {
      double p = double(m.x[size_t(k)]) * double(m.w[size_t(n * kK + k)]);
      ref += p;
      magnitude += std::fabs(p);
    }
    // numerics.md: |y - y_ref| <= 2 K eps sum_k |x W| (the bias add is one more term).
    EXPECT_LE(std::fabs(y->getFloat(n) - ref), 2.0 * (kK + 1) * eps * magnitude)
        << "output " << n << " (seed " << seed << ")";
  }
}

/// Calibration samples for pqs8_qc8w: the test input plus 15 more rows from the same
/// distribution (a representative set, as PT2E calibration would use), written to
/// a temporary .npy whose path is returned.
std::string writeCalibration(const DemoModel &m, unsigned seed) {
  std::mt19937 rng(seed + 1);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  rt::NpyArray samples;
  samples.dtype = rt::DType::F32;
  samples.shape = {16, kK};
  std::vector<float> values(m.x);
  while (values.size() < size_t(16 * kK))
    values.push_back(normal(rng));
  samples.data.resize(values.size() * sizeof(float));
  std::memcpy(samples.data.data(), values.data(), samples.data.size());
  std::string path = ::testing::TempDir() + "kiln-e2e-calibration.npy";
  Status status = rt::writeNpy(path, samples);
  EXPECT_TRUE(status.isOk()) << status.message();
  return path;
}

/// SQNR of a scheme against the double-precision float model, and its gate.
void expectSqnr(const std::string &scheme, double gateDb) {
  unsigned seed = testSeed();
  DemoModel m = makeModel(seed);
  std::string diagnostics;
  std::string calibration = scheme == "pqs8_qc8w" ? writeCalibration(m, seed) : "";
  mlir::FailureOr<Tensor> y = runScheme(m, scheme, diagnostics, calibration);
  ASSERT_TRUE(succeeded(y)) << scheme << ": " << diagnostics;
  std::vector<double> ref(kN), actual(kN);
  for (int64_t n = 0; n < kN; ++n) {
    ref[size_t(n)] = m.b[size_t(n)];
    for (int64_t k = 0; k < kK; ++k)
      ref[size_t(n)] += double(m.x[size_t(k)]) * double(m.w[size_t(n * kK + k)]);
    actual[size_t(n)] = y->getFloat(n);
  }
  double db = sqnrDb(ref.data(), actual.data(), ref.size());
  std::printf("[ SQNR     ] %s: %.2f dB (seed %u)\n", scheme.c_str(), db, seed);
  EXPECT_GE(db, gateDb) << scheme << " (seed " << seed << ")";
}

TEST(EndToEndTest, DemoLinearPf16Sqnr) { expectSqnr("pf16", 50.0); }
TEST(EndToEndTest, DemoLinearPqs8Qc8wSqnr) { expectSqnr("pqs8_qc8w", 33.0); }
TEST(EndToEndTest, DemoLinearQp8F32Qc8wSqnr) { expectSqnr("qp8_f32_qc8w", 33.0); }
TEST(EndToEndTest, DemoLinearQp8F32Qb4wSqnr) { expectSqnr("qp8_f32_qb4w", 18.0); }

} // namespace
} // namespace kiln::ref
