// Tests of the scheme helpers in kiln/dialect/Scheme.h.
#include "kiln/dialect/Scheme.h"

#include <gtest/gtest.h>

namespace kiln {
namespace {

TEST(SchemeTest, ParsesEverySchemeNameAndRejectsOthers) {
  EXPECT_EQ(parseSchemeName("pf32"), SchemeKind::pf32);
  EXPECT_EQ(parseSchemeName("pf16"), SchemeKind::pf16);
  EXPECT_EQ(parseSchemeName("pqs8_qc8w"), SchemeKind::pqs8_qc8w);
  EXPECT_EQ(parseSchemeName("qp8_f32_qc8w"), SchemeKind::qp8_f32_qc8w);
  EXPECT_EQ(parseSchemeName("qp8_f32_qb4w"), SchemeKind::qp8_f32_qb4w);
  EXPECT_EQ(parseSchemeName("PF32"), std::nullopt);
  EXPECT_EQ(parseSchemeName("qb4w"), std::nullopt);
  EXPECT_EQ(parseSchemeName(""), std::nullopt);
}

TEST(SchemeTest, ListsAllNamesInEnumOrder) {
  EXPECT_EQ(allSchemeNames(), "pf32, pf16, pqs8_qc8w, qp8_f32_qc8w, qp8_f32_qb4w");
}

TEST(SchemeTest, OnlyBlockWiseSchemeHasABlockSize) {
  EXPECT_EQ(defaultBlockSize(SchemeKind::qp8_f32_qb4w), 32);
  for (SchemeKind k : {SchemeKind::pf32, SchemeKind::pf16, SchemeKind::pqs8_qc8w,
                       SchemeKind::qp8_f32_qc8w})
    EXPECT_EQ(defaultBlockSize(k), 0) << stringifySchemeKind(k).str();
}

TEST(SchemeTest, ClassifiesActivationsAndWeights) {
  EXPECT_TRUE(needsCalibration(SchemeKind::pqs8_qc8w));
  EXPECT_FALSE(needsCalibration(SchemeKind::qp8_f32_qc8w));
  EXPECT_TRUE(hasDynamicActivations(SchemeKind::qp8_f32_qc8w));
  EXPECT_TRUE(hasDynamicActivations(SchemeKind::qp8_f32_qb4w));
  EXPECT_FALSE(hasDynamicActivations(SchemeKind::pqs8_qc8w));
  EXPECT_FALSE(hasIntegerWeights(SchemeKind::pf16));
  EXPECT_TRUE(hasIntegerWeights(SchemeKind::pqs8_qc8w));
  EXPECT_EQ(weightBits(SchemeKind::pf32), 32);
  EXPECT_EQ(weightBits(SchemeKind::pf16), 16);
  EXPECT_EQ(weightBits(SchemeKind::qp8_f32_qc8w), 8);
  EXPECT_EQ(weightBits(SchemeKind::qp8_f32_qb4w), 4);
}

TEST(SchemeTest, QuantizedWeightBytesCountScales) {
  // DemoLinearModel: 256x256.
  EXPECT_EQ(quantizedWeightBytes(SchemeKind::pf32, 256, 256, 0), 262144);
  EXPECT_EQ(quantizedWeightBytes(SchemeKind::pf16, 256, 256, 0), 131072);
  // int8 values + one f32 scale per output channel.
  EXPECT_EQ(quantizedWeightBytes(SchemeKind::qp8_f32_qc8w, 256, 256, 0), 65536 + 1024);
  // Two int4 values per byte + one bf16 scale per 32-element block.
  EXPECT_EQ(quantizedWeightBytes(SchemeKind::qp8_f32_qb4w, 256, 256, 32),
            32768 + 256 * 8 * 2);
}

} // namespace
} // namespace kiln
