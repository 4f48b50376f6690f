// apply_scale_32 / apply_scale_16 against values worked by hand from the TOSA 1.0
// pseudocode (scale_helpers).
#include "kiln/reference/Scale.h"

#include <gtest/gtest.h>

namespace kiln::ref {
namespace {

constexpr int32_t kOne = 1 << 30; // multiplier of 1.0 with shift 30

TEST(ScaleTest, SingleRoundTiesGoTowardsPlusInfinity) {
  // value * 0.5: (5 * 2^30 + 2^30) >> 31 = 3 ; (-5 * 2^30 + 2^30) >> 31 = -2.
  EXPECT_EQ(applyScale32(5, kOne, 31, false), 3);
  EXPECT_EQ(applyScale32(-5, kOne, 31, false), -2);
  EXPECT_EQ(applyScale32(4, kOne, 31, false), 2);
  EXPECT_EQ(applyScale32(7, kOne, 30, false), 7); // scale 1.0 is exact
}

TEST(ScaleTest, DoubleRoundMovesNegativeTiesAwayFromZero) {
  // shift 33 > 31: round = 2^32 -+ 2^30. value * 2^30 / 2^33 = value / 8.
  EXPECT_EQ(applyScale32(4, kOne, 33, true), 1);   // 0.5 -> 1 (same as single)
  EXPECT_EQ(applyScale32(-4, kOne, 33, true), -1);  // -0.5 -> -1 (single gives 0)
  EXPECT_EQ(applyScale32(-4, kOne, 33, false), 0);
  EXPECT_EQ(applyScale32(-12, kOne, 33, true), -2); // -1.5 -> -2
  EXPECT_EQ(applyScale32(-12, kOne, 33, false), -1);
  // shift <= 31: DOUBLE_ROUND is the same as SINGLE_ROUND.
  EXPECT_EQ(applyScale32(-5, kOne, 31, true), -2);
}

TEST(ScaleTest, Scale32Requires) {
  EXPECT_FALSE(applyScale32(1, -1, 30, false));          // negative multiplier
  EXPECT_FALSE(applyScale32(1, kOne, 1, false));          // shift < 2
  EXPECT_FALSE(applyScale32(1, kOne, 63, false));         // shift > 62
  EXPECT_TRUE(applyScale32(1, kOne, 62, false));
  EXPECT_TRUE(applyScale32(1, kOne, 2, false));
  EXPECT_FALSE(applyScale32(2, kOne, 2, false));          // value >= 2^(shift-1)
  EXPECT_TRUE(applyScale32(-2, kOne, 2, false));
  EXPECT_FALSE(applyScale32(-3, kOne, 2, false));
}

TEST(ScaleTest, Scale16) {
  // multiplier 1<<14 with shift 14 is 1.0; 3 * 0.5 = 1.5 rounds up to 2.
  EXPECT_EQ(applyScale16(3, 1 << 14, 15), 2);
  EXPECT_EQ(applyScale16(-3, 1 << 14, 15), -1);
  EXPECT_EQ(applyScale16((int64_t(1) << 47) - 1, 1 << 14, 16), std::nullopt); // > i32
  EXPECT_EQ(applyScale16(int64_t(1) << 40, 1 << 14, 24), int32_t(1) << 30);
  EXPECT_FALSE(applyScale16(1, -1, 14));
}

} // namespace
} // namespace kiln::ref
