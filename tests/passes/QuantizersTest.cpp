// The quantizers of kiln/passes/Quantizers.h against cases worked by hand from the
// formulas in numerics.md.
#include "kiln/passes/Quantizers.h"

#include "kiln/support/FloatFormat.h"

#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <limits>

namespace kiln {
namespace {

using Ints = std::vector<int8_t>;

// amax 127 makes the scale exactly 1, so the quantized values are round(w): ties go
// to even (0.5 -> 0, 1.5 -> 2, -2.5 -> -2, 63.5 -> 64).
TEST(QuantizersTest, PerChannelInt8RoundsTiesToEven) {
  float w[] = {127.0f, 0.5f, 1.5f, -0.5f, -2.5f, 63.5f, -127.0f, 2.5f};
  ChannelQuantized q = quantizePerChannelInt8(w, 1, 8);
  EXPECT_EQ(q.scales, std::vector<float>{1.0f});
  EXPECT_EQ(q.values, (Ints{127, 0, 2, 0, -2, 64, -127, 2}));
}

// An all-zero channel takes the floor scale eps·127/127 = eps and stays zero; a
// channel of tiny values also takes the floor, so it quantizes to zero.
TEST(QuantizersTest, PerChannelInt8ZeroAndTinyChannelsUseTheEpsilonFloor) {
  float w[] = {0.0f, 0.0f, -0.0f, 1e-30f, -1e-30f, 0.0f};
  ChannelQuantized q = quantizePerChannelInt8(w, 2, 3);
  EXPECT_EQ(q.scales, (std::vector<float>{FLT_EPSILON, FLT_EPSILON}));
  EXPECT_EQ(q.values, (Ints{0, 0, 0, 0, 0, 0}));
}

// ±FLT_MAX does not overflow: the scale is FLT_MAX/127 and the ends map to ±127.
TEST(QuantizersTest, PerChannelInt8ExtremeValues) {
  float w[] = {FLT_MAX, -FLT_MAX, FLT_MAX / 254.0f, 0.0f};
  ChannelQuantized q = quantizePerChannelInt8(w, 1, 4);
  EXPECT_EQ(q.scales[0], FLT_MAX / 127.0f);
  EXPECT_EQ(q.values, (Ints{127, -127, 0, 0})); // FLT_MAX/254 / s = 0.5 (a tie) -> 0
}

// amax 7.5 gives the scale 1 (bf16 0x3F80): 7.5 rounds to 8 and clamps to 7, -7.5
// rounds to the even -8 (the bottom of the range), 6.5 -> 6, -0.5 -> 0.
TEST(QuantizersTest, BlockwiseInt4RangeEndsAndTies) {
  std::vector<float> w(32, 0.0f);
  w[0] = 7.5f;
  w[1] = -7.5f;
  w[2] = 6.5f;
  w[3] = -0.5f;
  w[4] = 7.4f;
  w[5] = -7.4f;
  BlockQuantized q = quantizeBlockwiseInt4(w.data(), 1, 32, 32);
  ASSERT_EQ(q.scales.size(), 1u);
  EXPECT_EQ(q.scales[0], 0x3F80);
  EXPECT_EQ(Ints(q.values.begin(), q.values.begin() + 7), (Ints{7, -8, 6, 0, 7, -7, 0}));
}

// The stored scale is bf16(s), rounded to nearest even: s = 1 + 2^-8 is halfway
// between bf16 1.0 and 1 + 2^-7 and rounds to 1.0; s = 1 + 3·2^-8 rounds up.
// Each block has its own scale; an all-zero block takes eps/7.5.
TEST(QuantizersTest, BlockwiseInt4ScalesAreBf16PerBlock) {
  std::vector<float> w(96, 0.0f);
  w[0] = 7.5f * (1.0f + 0x1p-8f);
  w[32] = -7.5f * (1.0f + 3 * 0x1p-8f);
  BlockQuantized q = quantizeBlockwiseInt4(w.data(), 1, 96, 32);
  ASSERT_EQ(q.scales.size(), 3u);
  EXPECT_EQ(q.scales[0], 0x3F80); // 1.0
  EXPECT_EQ(q.scales[1], 0x3F82); // 1 + 2^-6
  EXPECT_EQ(q.scales[2], encodeFloat(roundToFormat(FLT_EPSILON / 7.5f, kBf16), kBf16));
  EXPECT_EQ(q.values[0], 7);
  EXPECT_EQ(q.values[32], -8);
}

TEST(QuantizersTest, DequantizeUsesTheStoredScales) {
  float w[] = {2.0f, -1.0f, 0.5f, 0.25f};
  ChannelQuantized c = quantizePerChannelInt8(w, 2, 2);
  std::vector<float> dc = dequantize(c, 2, 2);
  EXPECT_EQ(dc[0], 2.0f);
  EXPECT_EQ(dc[1], -64.0f * (2.0f / 127.0f)); // -63.5 rounds to the even -64
  BlockQuantized b;
  b.values = {7, -8};
  b.scales = {0x3FC0}; // bf16 1.5
  std::vector<float> db = dequantize(b, 1, 2, 2);
  EXPECT_EQ(db, (std::vector<float>{10.5f, -12.0f}));
}

TEST(QuantizersTest, Fp16WeightsRoundToEvenAndSaturate) {
  EXPECT_EQ(floatToF16Saturating(1.0f), 0x3C00);
  EXPECT_EQ(floatToF16Saturating(1.0f + 0x1p-11f), 0x3C00);     // tie -> even
  EXPECT_EQ(floatToF16Saturating(1.0f + 3 * 0x1p-11f), 0x3C02); // tie -> even (up)
  EXPECT_EQ(floatToF16Saturating(65504.0f), 0x7BFF);
  EXPECT_EQ(floatToF16Saturating(65520.0f), 0x7BFF); // would round to inf: saturates
  EXPECT_EQ(floatToF16Saturating(-1e30f), 0xFBFF);
  EXPECT_EQ(floatToF16Saturating(std::numeric_limits<float>::infinity()), 0x7BFF);
  EXPECT_EQ(floatToF16Saturating(0x1p-25f), 0x0000); // half the smallest subnormal
  EXPECT_EQ(floatToF16Saturating(0x1p-24f), 0x0001);
  EXPECT_EQ(floatToF16Saturating(std::nanf("")) & 0x7C00, 0x7C00);
}

// PT2E MinMaxObserver: the range is widened to contain 0.
TEST(QuantizersTest, AffineParamsFromRange) {
  AffineParams pos = affineParamsFromRange(0.5f, 2.55f); // lo widened to 0
  EXPECT_EQ(pos.scale, 2.55f / 255.0f);
  EXPECT_EQ(pos.zeroPoint, -128);
  AffineParams neg = affineParamsFromRange(-2.55f, -1.0f); // hi widened to 0
  EXPECT_EQ(neg.zeroPoint, 127);
  AffineParams zero = affineParamsFromRange(0.0f, 0.0f);
  EXPECT_EQ(zero.scale, FLT_EPSILON);
  EXPECT_EQ(zero.zeroPoint, -128);
}

TEST(QuantizersTest, FixedPointScale) {
  FixedPointScale s;
  ASSERT_TRUE(computeFixedPointScale(0.5, s));
  EXPECT_EQ(s.multiplier, 1 << 30);
  EXPECT_EQ(s.shift, 31);
  ASSERT_TRUE(computeFixedPointScale(0.75, s)); // 0.75 = 3·2^29 · 2^-31
  EXPECT_EQ(s.multiplier, 3 << 29);
  EXPECT_EQ(s.shift, 31);
  // 1 - 2^-40 rounds up to 2^31 · 2^-31: the multiplier renormalises to 2^30.
  ASSERT_TRUE(computeFixedPointScale(1.0 - std::ldexp(1.0, -40), s));
  EXPECT_EQ(s.multiplier, 1 << 30);
  EXPECT_EQ(s.shift, 30);
  EXPECT_FALSE(computeFixedPointScale(0.0, s));
  EXPECT_FALSE(computeFixedPointScale(-1.0, s));
  EXPECT_FALSE(computeFixedPointScale(std::ldexp(1.0, 40), s)); // shift < 2
  EXPECT_FALSE(computeFixedPointScale(std::ldexp(1.0, -40), s)); // shift > 62
}

} // namespace
} // namespace kiln
