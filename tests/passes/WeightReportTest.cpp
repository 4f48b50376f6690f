// kiln-compile --report against a direct computation of the same numbers.
#include "kiln/passes/WeightReport.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/Parser/Parser.h"

#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>

namespace kiln {
namespace {

// Two channels of K = 32: row 0 is i/8 for i in 0..31 (amax 3.875), row 1 is all
// zero except 1.0 at k = 0.
constexpr const char *kModel = R"(
func.func @f(%x: tensor<1x32xf32>) -> tensor<1x2xf32> {
  %w = arith.constant dense<[
    [0.0, 0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875, 1.0, 1.125, 1.25, 1.375, 1.5,
     1.625, 1.75, 1.875, 2.0, 2.125, 2.25, 2.375, 2.5, 2.625, 2.75, 2.875, 3.0, 3.125,
     3.25, 3.375, 3.5, 3.625, 3.75, 3.875],
    [1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
     0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]]>
    : tensor<2x32xf32>
  %a = kiln.linear %x, %w scheme <qp8_f32_qc8w> {layer_name = "a"} : (tensor<1x32xf32>, tensor<2x32xf32>) -> tensor<1x2xf32>
  %b = kiln.linear %x, %w scheme <pf32> : (tensor<1x32xf32>, tensor<2x32xf32>) -> tensor<1x2xf32>
  return %a : tensor<1x2xf32>
}
)";

TEST(WeightReportTest, MatchesADirectComputation) {
  mlir::MLIRContext context;
  context.loadDialect<KilnDialect, mlir::tosa::TosaDialect, mlir::func::FuncDialect,
                      mlir::arith::ArithDialect>();
  auto module = mlir::parseSourceString<mlir::ModuleOp>(kModel, &context);
  ASSERT_TRUE(module);
  mlir::FailureOr<std::vector<LayerWeightReport>> report = reportWeights(*module);
  ASSERT_TRUE(succeeded(report));
  ASSERT_EQ(report->size(), 2u);

  // qc8w, by hand: row 0 has scale 3.875/127 and q = round(i·127/31); row 1 is exact.
  const LayerWeightReport &a = (*report)[0];
  EXPECT_EQ(a.layer, "a");
  EXPECT_EQ(a.bytesBefore, 2 * 32 * 4);
  EXPECT_EQ(a.bytesAfter, 2 * 32 + 2 * 4); // int8 values + one f32 scale per channel
  double signal = 1.0, noise = 0.0;          // row 1 contributes 1² of signal only
  float scale = 3.875f / 127.0f;
  for (int i = 0; i < 32; ++i) {
    float w = float(i) / 8.0f;
    float dq = std::nearbyint(w / scale) * scale;
    signal += double(w) * w;
    noise += (double(w) - dq) * (double(w) - dq);
  }
  EXPECT_NEAR(a.sqnrDb, 10.0 * std::log10(signal / noise), 1e-9);

  const LayerWeightReport &b = (*report)[1];
  EXPECT_EQ(b.layer, "#1"); // unnamed: its index
  EXPECT_EQ(b.bytesAfter, b.bytesBefore);
  EXPECT_TRUE(std::isinf(b.sqnrDb));
}

} // namespace
} // namespace kiln
