// quantize_rows_qai8dx against rows worked by hand from numerics.md's formula.
#include "kiln/reference/Quantize.h"

#include <gtest/gtest.h>

#include <vector>

namespace kiln::ref {
namespace {

TEST(QuantizeTest, AllZeroRow) {
  std::vector<float> row(4, 0.0f);
  std::vector<int8_t> q(4, 99);
  RowQuantization p = quantizeRowQai8dx(row.data(), 4, q.data());
  // lo == hi == 0: inv = 1, s = 1; zf_min + zf_max = -1 <= 0, so zp = 127 - 0 = 127.
  EXPECT_EQ(p.scale, 1.0f);
  EXPECT_EQ(p.zeroPoint, 127);
  EXPECT_EQ(q, std::vector<int8_t>(4, 127));
}

TEST(QuantizeTest, AllPositiveRow) {
  std::vector<float> row = {0.0f, 255.0f, 127.5f, 1.0f};
  std::vector<int8_t> q(4);
  RowQuantization p = quantizeRowQai8dx(row.data(), 4, q.data());
  // lo = 0, hi = 255: inv = 1, zf_min + zf_max = -128 + 382 > 0, zp = -128.
  EXPECT_EQ(p.scale, 1.0f);
  EXPECT_EQ(p.zeroPoint, -128);
  // 127.5 * 1 rounds half away from zero to 128; 128 - 128 = 0.
  EXPECT_EQ(q, (std::vector<int8_t>{-128, 127, 0, -127}));
}

TEST(QuantizeTest, TiesInXTimesInvRoundAwayFromZero) {
  // lo = -2.5, hi = 2.5: inv = 255 / 5 = 51, zf_min = -255.5, zf_max = 254.5,
  // sum -1 <= 0 so zp = 127 - 127.5 = -0.5 -> nearbyint (half to even) = -0.
  std::vector<float> row = {-2.5f, 2.5f};
  std::vector<int8_t> q(2);
  RowQuantization p = quantizeRowQai8dx(row.data(), 2, q.data());
  EXPECT_EQ(p.zeroPoint, 0);
  EXPECT_EQ(p.scale, 1.0f / 51.0f);
  // -2.5*51 = -127.5 -> -128 (away from zero); 127.5 -> 128 -> clamped 127.
  EXPECT_EQ(q[0], -128);
  EXPECT_EQ(q[1], 127);
}

TEST(QuantizeTest, ExactTieValuesRoundAwayFromZero) {
  // lo = -1, hi = 254: inv = 255 / 255 = 1; zf_min + zf_max = -129 + 381 > 0,
  // zp = -128 + 1 = -127. x = 2.5 -> 3 (half to even would give 2), -0.5 -> -1.
  std::vector<float> row = {-1.0f, 254.0f, 2.5f, -0.5f};
  std::vector<int8_t> q(4);
  RowQuantization p = quantizeRowQai8dx(row.data(), 4, q.data());
  EXPECT_EQ(p.zeroPoint, -127);
  EXPECT_EQ(q, (std::vector<int8_t>{-128, 127, -124, -128}));
}

} // namespace
} // namespace kiln::ref
