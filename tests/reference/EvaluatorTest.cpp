// Each op against cases worked by hand from the TOSA 1.0 pseudocode.
#include "EvalTestUtil.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace kiln::ref {
namespace {

using testing::EvalFixture;
using testing::floatTensor;
using testing::intTensor;

std::vector<int64_t> ints(const Tensor &t) { return t.ints(); }
std::vector<double> floats(const Tensor &t) { return t.floats(); }

TEST(EvaluatorTest, MatmulInt8WithZeroPoints) {
  EvalFixture f;
  auto r = f.run(R"(
    func.func @m(%a: tensor<1x2x3xi8>, %b: tensor<1x3x2xi8>) -> tensor<1x2x2xi32> {
      %azp = "tosa.const"() <{values = dense<-5> : tensor<1xi8>}> : () -> tensor<1xi8>
      %bzp = "tosa.const"() <{values = dense<2> : tensor<1xi8>}> : () -> tensor<1xi8>
      %c = tosa.matmul %a, %b, %azp, %bzp : (tensor<1x2x3xi8>, tensor<1x3x2xi8>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x2x2xi32>
      return %c : tensor<1x2x2xi32>
    })",
                 {intTensor(ElementType::I8, {1, 2, 3}, {-128, 0, 127, 1, 2, 3}),
                  intTensor(ElementType::I8, {1, 3, 2}, {2, 3, 4, 5, -128, 127})});
  ASSERT_TRUE(succeeded(r)) << f.diagnostics();
  // (a+5) = [[-123,5,132],[6,7,8]]; (b-2) = [[0,1],[2,3],[-130,125]].
  EXPECT_EQ(ints((*r)[0]), (std::vector<int64_t>{-123 * 0 + 5 * 2 + 132 * -130,
                                                 -123 * 1 + 5 * 3 + 132 * 125,
                                                 6 * 0 + 7 * 2 + 8 * -130,
                                                 6 * 1 + 7 * 3 + 8 * 125}));
}

TEST(EvaluatorTest, Conv2DInt4WeightsIsALinearLayer) {
  EvalFixture f;
  // y[m, n] = sum_k (x[m,k] - zp) * w[n,k] + bias[n], int4 weights at both range ends.
  auto r = f.run(R"(
    func.func @c(%x: tensor<1x1x2x2xi8>) -> tensor<1x1x2x2xi32> {
      %w = "tosa.const"() <{values = dense<[[[[-8, 7]]], [[[1, -1]]]]> : tensor<2x1x1x2xi4>}> : () -> tensor<2x1x1x2xi4>
      %b = "tosa.const"() <{values = dense<[100, -100]> : tensor<2xi32>}> : () -> tensor<2xi32>
      %xzp = "tosa.const"() <{values = dense<3> : tensor<1xi8>}> : () -> tensor<1xi8>
      %wzp = "tosa.const"() <{values = dense<0> : tensor<1xi4>}> : () -> tensor<1xi4>
      %y = tosa.conv2d %x, %w, %b, %xzp, %wzp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x2x2xi8>, tensor<2x1x1x2xi4>, tensor<2xi32>, tensor<1xi8>, tensor<1xi4>) -> tensor<1x1x2x2xi32>
      return %y : tensor<1x1x2x2xi32>
    })",
                 {intTensor(ElementType::I8, {1, 1, 2, 2}, {127, -128, 3, 4})});
  ASSERT_TRUE(succeeded(r)) << f.diagnostics();
  // row 0: x - 3 = (124, -131): n0 = -992 - 917 + 100, n1 = 124 + 131 - 100.
  // row 1: x - 3 = (0, 1): n0 = 7 + 100, n1 = -1 - 100.
  EXPECT_EQ(ints((*r)[0]), (std::vector<int64_t>{-1809, 155, 107, -101}));
}

TEST(EvaluatorTest, CastFloatToIntRoundsTiesToEvenAndSaturates) {
  EvalFixture f;
  auto r = f.run(R"(
    func.func @c(%x: tensor<8xf32>) -> tensor<8xi8> {
      %y = tosa.cast %x : (tensor<8xf32>) -> tensor<8xi8>
      return %y : tensor<8xi8>
    })",
                 {floatTensor(ElementType::F32, {8},
                              {0.5, 1.5, 2.5, -0.5, -1.5, 300.0, -1e30,
                               std::numeric_limits<double>::infinity()})});
  ASSERT_TRUE(succeeded(r)) << f.diagnostics();
  EXPECT_EQ(ints((*r)[0]), (std::vector<int64_t>{0, 2, 2, 0, -2, 127, -128, 127}));
}

// double(INT64_MAX) is 2^63, which does not fit int64: the cast must saturate there
// instead of converting an out-of-range double (undefined behaviour).
TEST(EvaluatorTest, CastFloatToInt64SaturatesAt2To63) {
  EvalFixture f;
  auto r = f.run(R"(
    func.func @c(%x: tensor<6xf32>) -> tensor<6xi64> {
      %y = tosa.cast %x : (tensor<6xf32>) -> tensor<6xi64>
      return %y : tensor<6xi64>
    })",
                 {floatTensor(ElementType::F32, {6},
                              {std::ldexp(1.0, 63), -std::ldexp(1.0, 63), std::ldexp(1.0, 62),
                               1e30, -std::numeric_limits<double>::infinity(), -2.5})});
  ASSERT_TRUE(succeeded(r)) << f.diagnostics();
  EXPECT_EQ(ints((*r)[0]), (std::vector<int64_t>{std::numeric_limits<int64_t>::max(),
                                                 std::numeric_limits<int64_t>::min(),
                                                 int64_t(1) << 62,
                                                 std::numeric_limits<int64_t>::max(),
                                                 std::numeric_limits<int64_t>::min(), -2}));
}

TEST(EvaluatorTest, CastNaNToIntIsReported) {
  EvalFixture f;
  auto r = f.run(R"(
    func.func @c(%x: tensor<1xf32>) -> tensor<1xi32> {
      %y = tosa.cast %x : (tensor<1xf32>) -> tensor<1xi32>
      return %y : tensor<1xi32>
    })",
                 {floatTensor(ElementType::F32, {1}, {std::nan("")})});
  ASSERT_TRUE(failed(r));
  EXPECT_NE(f.diagnostics().find("cast of NaN to i32 at element 0 has an unpredictable result"),
            std::string::npos)
      << f.diagnostics();
}

TEST(EvaluatorTest, CastToFp16AndIntNarrowing) {
  EvalFixture f;
  auto r = f.run(R"(
    func.func @c(%x: tensor<3xf32>, %i: tensor<3xi32>) -> (tensor<3xf16>, tensor<3xi8>, tensor<3xi1>) {
      %h = tosa.cast %x : (tensor<3xf32>) -> tensor<3xf16>
      %n = tosa.cast %i : (tensor<3xi32>) -> tensor<3xi8>
      %b = tosa.cast %i : (tensor<3xi32>) -> tensor<3xi1>
      return %h, %n, %b : tensor<3xf16>, tensor<3xi8>, tensor<3xi1>
    })",
                 {floatTensor(ElementType::F32, {3}, {1.0 + std::ldexp(1.0, -11), 70000.0, 0.1}),
                  intTensor(ElementType::I32, {3}, {300, -129, 0})});
  ASSERT_TRUE(succeeded(r)) << f.diagnostics();
  EXPECT_EQ((*r)[0].getFloat(0), 1.0);
  EXPECT_TRUE(std::isinf((*r)[0].getFloat(1)));
  EXPECT_EQ((*r)[0].getFloat(2), 0.0999755859375);
  EXPECT_EQ(ints((*r)[1]), (std::vector<int64_t>{44, 127, 0})); // truncation
  EXPECT_EQ(ints((*r)[2]), (std::vector<int64_t>{1, 1, 0}));
}

TEST(EvaluatorTest, RescalePerChannelScale16AndUnsignedOutput) {
  EvalFixture f;
  auto r = f.run(R"(
    func.func @r(%x: tensor<1x2xi16>) -> tensor<1x2xi8> {
      %m = "tosa.const"() <{values = dense<[16384, 8192]> : tensor<2xi16>}> : () -> tensor<2xi16>
      %s = "tosa.const"() <{values = dense<[14, 14]> : tensor<2xi8>}> : () -> tensor<2xi8>
      %izp = "tosa.const"() <{values = dense<0> : tensor<1xi16>}> : () -> tensor<1xi16>
      %ozp = "tosa.const"() <{values = dense<-128> : tensor<1xi8>}> : () -> tensor<1xi8>
      %y = tosa.rescale %x, %m, %s, %izp, %ozp {scale32 = false, rounding_mode = SINGLE_ROUND, per_channel = true, input_unsigned = false, output_unsigned = true} : (tensor<1x2xi16>, tensor<2xi16>, tensor<2xi8>, tensor<1xi16>, tensor<1xi8>) -> tensor<1x2xi8>
      return %y : tensor<1x2xi8>
    })",
                 {intTensor(ElementType::I16, {1, 2}, {200, -300})});
  ASSERT_TRUE(succeeded(r)) << f.diagnostics();
  // u8 zero point 128: 200 + 128 = 328 -> 255 (bits -1); -300/2 = -150 + 128 = -22 -> 0.
  EXPECT_EQ(ints((*r)[0]), (std::vector<int64_t>{-1, 0}));
}

TEST(EvaluatorTest, RescaleRejectsDoubleRoundWithScale16) {
  EvalFixture f;
  auto r = f.run(R"(
    func.func @r(%x: tensor<1xi16>) -> tensor<1xi8> {
      %m = "tosa.const"() <{values = dense<16384> : tensor<1xi16>}> : () -> tensor<1xi16>
      %s = "tosa.const"() <{values = dense<14> : tensor<1xi8>}> : () -> tensor<1xi8>
      %izp = "tosa.const"() <{values = dense<0> : tensor<1xi16>}> : () -> tensor<1xi16>
      %ozp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
      %y = tosa.rescale %x, %m, %s, %izp, %ozp {scale32 = false, rounding_mode = DOUBLE_ROUND, per_channel = false, input_unsigned = false, output_unsigned = false} : (tensor<1xi16>, tensor<1xi16>, tensor<1xi8>, tensor<1xi16>, tensor<1xi8>) -> tensor<1xi8>
      return %y : tensor<1xi8>
    })",
                 {intTensor(ElementType::I16, {1}, {1})});
  ASSERT_TRUE(failed(r));
  EXPECT_NE(f.diagnostics().find("expected scale32 = true with DOUBLE_ROUND (RESCALE ERROR_IF)"),
            std::string::npos)
      << f.diagnostics();
}

TEST(EvaluatorTest, MulShiftRoundsAndAddBroadcasts) {
  EvalFixture f;
  auto r = f.run(R"(
    func.func @m(%a: tensor<1x3xi32>, %b: tensor<1x1xi32>) -> (tensor<1x3xi32>, tensor<1x3xi32>) {
      %s = "tosa.const"() <{values = dense<2> : tensor<1xi8>}> : () -> tensor<1xi8>
      %p = tosa.mul %a, %b, %s : (tensor<1x3xi32>, tensor<1x1xi32>, tensor<1xi8>) -> tensor<1x3xi32>
      %q = tosa.add %a, %b : (tensor<1x3xi32>, tensor<1x1xi32>) -> tensor<1x3xi32>
      return %p, %q : tensor<1x3xi32>, tensor<1x3xi32>
    })",
                 {intTensor(ElementType::I32, {1, 3}, {3, -3, 5}),
                  intTensor(ElementType::I32, {1, 1}, {2})});
  ASSERT_TRUE(succeeded(r)) << f.diagnostics();
  // (6 + 2) >> 2 = 2, (-6 + 2) >> 2 = -1, (10 + 2) >> 2 = 3.
  EXPECT_EQ(ints((*r)[0]), (std::vector<int64_t>{2, -1, 3}));
  EXPECT_EQ(ints((*r)[1]), (std::vector<int64_t>{5, -1, 7}));
}

TEST(EvaluatorTest, AddOverflowIsReported) {
  EvalFixture f;
  auto r = f.run(R"(
    func.func @a(%a: tensor<1xi32>) -> tensor<1xi32> {
      %y = tosa.add %a, %a : (tensor<1xi32>, tensor<1xi32>) -> tensor<1xi32>
      return %y : tensor<1xi32>
    })",
                 {intTensor(ElementType::I32, {1}, {INT32_MAX})});
  ASSERT_TRUE(failed(r));
  EXPECT_NE(f.diagnostics().find("the sum overflows i32 (apply_add_s REQUIRE) at element 0"),
            std::string::npos)
      << f.diagnostics();
}

TEST(EvaluatorTest, ClampNanModesAndReduce) {
  EvalFixture f;
  double nan = std::nan("");
  auto r = f.run(R"(
    func.func @c(%x: tensor<2x2xf32>) -> (tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x1xf32>, tensor<1x2xf32>) {
      %p = tosa.clamp %x {min_val = -1.0 : f32, max_val = 1.0 : f32} : (tensor<2x2xf32>) -> tensor<2x2xf32>
      %i = tosa.clamp %x {min_val = -1.0 : f32, max_val = 1.0 : f32, nan_mode = IGNORE} : (tensor<2x2xf32>) -> tensor<2x2xf32>
      %m = tosa.reduce_max %x {axis = 1 : i32, nan_mode = IGNORE} : (tensor<2x2xf32>) -> tensor<2x1xf32>
      %s = tosa.reduce_sum %x {axis = 0 : i32} : (tensor<2x2xf32>) -> tensor<1x2xf32>
      return %p, %i, %m, %s : tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x1xf32>, tensor<1x2xf32>
    })",
                 {floatTensor(ElementType::F32, {2, 2}, {nan, 5.0, -3.0, 0.25})});
  ASSERT_TRUE(succeeded(r)) << f.diagnostics();
  EXPECT_TRUE(std::isnan((*r)[0].getFloat(0)));
  EXPECT_EQ((*r)[0].getFloat(1), 1.0);
  EXPECT_EQ((*r)[1].getFloat(0), -1.0); // IGNORE: max(NaN, -1) = -1
  EXPECT_EQ(floats((*r)[2]), (std::vector<double>{5.0, 0.25}));
  EXPECT_TRUE(std::isnan((*r)[3].getFloat(0)));
  EXPECT_EQ((*r)[3].getFloat(1), 5.25);
}

TEST(EvaluatorTest, TransposeReshapeSelectCompare) {
  EvalFixture f;
  auto r = f.run(R"(
    func.func @t(%x: tensor<2x3xi32>) -> (tensor<3x2xi32>, tensor<6xi32>, tensor<2x3xi32>) {
      %t = tosa.transpose %x {perms = array<i32: 1, 0>} : (tensor<2x3xi32>) -> tensor<3x2xi32>
      %shape = tosa.const_shape {values = dense<6> : tensor<1xindex>} : () -> !tosa.shape<1>
      %r = tosa.reshape %x, %shape : (tensor<2x3xi32>, !tosa.shape<1>) -> tensor<6xi32>
      %two = "tosa.const"() <{values = dense<2> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
      %g = tosa.greater %x, %two : (tensor<2x3xi32>, tensor<1x1xi32>) -> tensor<2x3xi1>
      %s = tosa.select %g, %x, %two : (tensor<2x3xi1>, tensor<2x3xi32>, tensor<1x1xi32>) -> tensor<2x3xi32>
      return %t, %r, %s : tensor<3x2xi32>, tensor<6xi32>, tensor<2x3xi32>
    })",
                 {intTensor(ElementType::I32, {2, 3}, {1, 2, 3, 4, 5, 6})});
  ASSERT_TRUE(succeeded(r)) << f.diagnostics();
  EXPECT_EQ(ints((*r)[0]), (std::vector<int64_t>{1, 4, 2, 5, 3, 6}));
  EXPECT_EQ(ints((*r)[1]), (std::vector<int64_t>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(ints((*r)[2]), (std::vector<int64_t>{2, 2, 3, 4, 5, 6}));
}

TEST(EvaluatorTest, QuantizeRowsCustomOpAndObserver) {
  EvalFixture f;
  unsigned observed = 0;
  EvalOptions options;
  options.onResult = [&](mlir::Operation *, unsigned, llvm::ArrayRef<Tensor>) { ++observed; };
  auto r = f.run(R"(
    func.func @q(%x: tensor<1x2x4xf32>) -> (tensor<1x2x4xi8>, tensor<1x2x1xf32>, tensor<1x2x1xi32>) {
      %q, %s, %z = tosa.custom %x {domain_name = "kiln", operator_name = "quantize_rows_qai8dx", implementation_attrs = ""} : (tensor<1x2x4xf32>) -> (tensor<1x2x4xi8>, tensor<1x2x1xf32>, tensor<1x2x1xi32>)
      return %q, %s, %z : tensor<1x2x4xi8>, tensor<1x2x1xf32>, tensor<1x2x1xi32>
    })",
                 {floatTensor(ElementType::F32, {1, 2, 4}, {0, 0, 0, 0, -1.0, 254.0, 2.5, -0.5})},
                 options);
  ASSERT_TRUE(succeeded(r)) << f.diagnostics();
  EXPECT_EQ(observed, 1u);
  EXPECT_EQ(ints((*r)[0]), (std::vector<int64_t>{127, 127, 127, 127, -128, 127, -124, -128}));
  EXPECT_EQ(floats((*r)[1]), (std::vector<double>{1.0, 1.0}));
  EXPECT_EQ(ints((*r)[2]), (std::vector<int64_t>{127, -127}));
}

TEST(EvaluatorTest, UnknownCustomOperatorIsReported) {
  EvalFixture f;
  auto r = f.run(R"(
    func.func @q(%x: tensor<1xf32>) -> tensor<1xf32> {
      %y = tosa.custom %x {domain_name = "acme", operator_name = "gelu", implementation_attrs = ""} : (tensor<1xf32>) -> tensor<1xf32>
      return %y : tensor<1xf32>
    })",
                 {floatTensor(ElementType::F32, {1}, {1.0})});
  ASSERT_TRUE(failed(r));
  EXPECT_NE(f.diagnostics().find("unsupported custom operator 'gelu' of domain 'acme'"),
            std::string::npos)
      << f.diagnostics();
}

TEST(EvaluatorTest, WrongInputShapeNamesTheArgument) {
  EvalFixture f;
  auto r = f.run(R"(
    func.func @a(%a: tensor<2xf32>, %b: tensor<2xf32>) -> tensor<2xf32> {
      %y = tosa.maximum %a, %b : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
      return %y : tensor<2xf32>
    })",
                 {floatTensor(ElementType::F32, {2}, {1, 2}),
                  floatTensor(ElementType::F16, {2}, {1, 2})});
  ASSERT_TRUE(failed(r));
  EXPECT_NE(f.diagnostics().find("argument 1: expected tensor<2xf32>, got tensor<2xf16>"),
            std::string::npos)
      << f.diagnostics();
}

// Blobs hold little-endian elements after a 4-byte alignment prefix: f32 0.5 and
// -2.0, i8 -1 and 7, bf16 1.5 (0x3FC0).
TEST(EvaluatorTest, DenseResourceConstants) {
  EvalFixture f;
  auto r = f.run(R"(
    func.func @c() -> (tensor<2xf32>, tensor<2xi8>, tensor<1xbf16>) {
      %a = "tosa.const"() <{values = dense_resource<a> : tensor<2xf32>}> : () -> tensor<2xf32>
      %b = "tosa.const"() <{values = dense_resource<b> : tensor<2xi8>}> : () -> tensor<2xi8>
      %c = "tosa.const"() <{values = dense_resource<c> : tensor<1xbf16>}> : () -> tensor<1xbf16>
      return %a, %b, %c : tensor<2xf32>, tensor<2xi8>, tensor<1xbf16>
    }
    {-#
      dialect_resources: { builtin: {
        a: "0x040000000000003F000000C0",
        b: "0x01000000FF07",
        c: "0x02000000C03F"
      } }
    #-})",
                 {});
  ASSERT_TRUE(succeeded(r)) << f.diagnostics();
  EXPECT_EQ(floats((*r)[0]), (std::vector<double>{0.5, -2.0}));
  EXPECT_EQ(ints((*r)[1]), (std::vector<int64_t>{-1, 7}));
  EXPECT_EQ(floats((*r)[2]), (std::vector<double>{1.5}));
}

TEST(EvaluatorTest, DenseResourceOfTheWrongSizeIsReported) {
  EvalFixture f;
  auto r = f.run(R"(
    func.func @c() -> tensor<2xf32> {
      %a = "tosa.const"() <{values = dense_resource<short> : tensor<2xf32>}> : () -> tensor<2xf32>
      return %a : tensor<2xf32>
    }
    {-#
      dialect_resources: { builtin: { short: "0x040000000000003F" } }
    #-})",
                 {});
  ASSERT_TRUE(failed(r));
  EXPECT_NE(f.diagnostics().find("dense_resource blob 'short' has 4 bytes, expected 8"),
            std::string::npos)
      << f.diagnostics();
}

} // namespace
} // namespace kiln::ref
