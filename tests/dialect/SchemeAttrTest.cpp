// Tests of the kiln attributes through their textual form and C++ builders.
#include "kiln/dialect/KilnDialect.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"

#include <gtest/gtest.h>

namespace kiln {
namespace {

class SchemeAttrTest : public ::testing::Test {
protected:
  SchemeAttrTest() { context.loadDialect<KilnDialect>(); }

  /// Parses `text`, returning the attribute (null on error) and the diagnostic.
  mlir::Attribute parse(const std::string &text) {
    lastError.clear();
    mlir::ScopedDiagnosticHandler handler(&context, [&](mlir::Diagnostic &d) {
      lastError = d.str();
      return mlir::success();
    });
    return mlir::parseAttribute(text, &context);
  }

  std::string print(mlir::Attribute attr) {
    std::string s;
    llvm::raw_string_ostream os(s);
    os << attr;
    return s;
  }

  mlir::MLIRContext context;
  std::string lastError;
};

TEST_F(SchemeAttrTest, BuilderUsesDefaultBlockSize) {
  auto qb4w = SchemeAttr::get(&context, SchemeKind::qp8_f32_qb4w);
  EXPECT_EQ(qb4w.getBlockSize(), 32);
  EXPECT_EQ(SchemeAttr::get(&context, SchemeKind::pf32).getBlockSize(), 0);
}

TEST_F(SchemeAttrTest, RoundTripsThroughText) {
  for (const char *text : {"#kiln.scheme<pf32>", "#kiln.scheme<pqs8_qc8w>",
                           "#kiln.scheme<qp8_f32_qb4w, block = 64>"}) {
    mlir::Attribute attr = parse(text);
    ASSERT_TRUE(attr) << text << ": " << lastError;
    EXPECT_EQ(print(attr), text);
  }
  // The default block size is printed explicitly.
  EXPECT_EQ(print(parse("#kiln.scheme<qp8_f32_qb4w>")),
            "#kiln.scheme<qp8_f32_qb4w, block = 32>");
}

TEST_F(SchemeAttrTest, RejectsBadBlockSizes) {
  EXPECT_FALSE(parse("#kiln.scheme<qp8_f32_qb4w, block = 48>"));
  EXPECT_EQ(lastError, "expected block size to be a positive multiple of 32, got 48 "
                       "(scheme_c2)");
  EXPECT_FALSE(parse("#kiln.scheme<pf32, block = 32>"));
  EXPECT_EQ(lastError, "expected no block size for scheme pf32, got 32 (scheme_c1)");
}

TEST_F(SchemeAttrTest, UnknownSchemeListsTheKnownOnes) {
  EXPECT_FALSE(parse("#kiln.scheme<int3>"));
  EXPECT_EQ(lastError, "unknown scheme 'int3', expected one of pf32, pf16, pqs8_qc8w, "
                       "qp8_f32_qc8w, qp8_f32_qb4w");
}

TEST_F(SchemeAttrTest, ClampBoundsDefaultToInfinity) {
  auto relu = mlir::dyn_cast_or_null<ClampAttr>(parse("#kiln.clamp<min = 0.0>"));
  ASSERT_TRUE(relu) << lastError;
  EXPECT_EQ(relu.getMinValue(), 0.0f);
  EXPECT_TRUE(std::isinf(relu.getMaxValue()));
  EXPECT_EQ(print(relu), "#kiln.clamp<min = 0.000000e+00>");
  EXPECT_FALSE(parse("#kiln.clamp<min = 6.0, max = 0.0>"));
  EXPECT_EQ(lastError, "expected clamp min <= max, got min = 6.000000e+00 > max = 0.000000e+00 (clamp_c2)");
}

TEST_F(SchemeAttrTest, QuantParamsAreChecked) {
  auto q = mlir::dyn_cast_or_null<QuantParamsAttr>(
      parse("#kiln.quant<scale = 0.5, zero_point = -12>"));
  ASSERT_TRUE(q) << lastError;
  EXPECT_EQ(q.getScaleValue(), 0.5f);
  EXPECT_EQ(q.getZeroPoint(), -12);
  EXPECT_FALSE(parse("#kiln.quant<scale = 0.0, zero_point = 0>"));
  EXPECT_EQ(lastError, "expected scale to be a positive finite number, got 0.000000e+00 (quant_c1)");
  EXPECT_FALSE(parse("#kiln.quant<scale = 1.0, zero_point = 128>"));
  EXPECT_EQ(lastError, "expected zero_point in [-128, 127], got 128 (quant_c2)");
}

} // namespace
} // namespace kiln
