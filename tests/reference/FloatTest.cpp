#include "kiln/reference/Float.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace kiln::ref {
namespace {

TEST(FloatTest, Fp16RoundsTiesToEven) {
  // Around 1.0 the fp16 spacing is 2^-10; 1 + 2^-11 is a tie between 1 and 1+2^-10.
  EXPECT_EQ(roundToFormat(1.0 + std::ldexp(1.0, -11), kFp16), 1.0);
  EXPECT_EQ(roundToFormat(1.0 + 3 * std::ldexp(1.0, -11), kFp16), 1.0 + std::ldexp(1.0, -9));
  EXPECT_EQ(roundToFormat(-(1.0 + std::ldexp(1.0, -11)), kFp16), -1.0);
  EXPECT_EQ(roundToFormat(1.0 + std::ldexp(1.0, -11) + 1e-9, kFp16),
            1.0 + std::ldexp(1.0, -10));
}

TEST(FloatTest, Fp16OverflowAndSubnormals) {
  EXPECT_EQ(roundToFormat(65504.0, kFp16), 65504.0);
  EXPECT_EQ(roundToFormat(65519.0, kFp16), 65504.0);
  EXPECT_TRUE(std::isinf(roundToFormat(65520.0, kFp16))); // tie rounds to the even 2^16
  EXPECT_EQ(roundToFormat(std::ldexp(1.0, -24), kFp16), std::ldexp(1.0, -24));
  EXPECT_EQ(roundToFormat(std::ldexp(1.0, -25), kFp16), 0.0); // tie to even zero
  EXPECT_EQ(roundToFormat(std::ldexp(3.0, -26), kFp16), std::ldexp(1.0, -24));
  EXPECT_TRUE(std::isnan(roundToFormat(std::nan(""), kFp16)));
}

TEST(FloatTest, Fp16Bits) {
  EXPECT_EQ(encodeFloat(1.0, kFp16), 0x3c00u);
  EXPECT_EQ(encodeFloat(-2.0, kFp16), 0xc000u);
  EXPECT_EQ(encodeFloat(65504.0, kFp16), 0x7bffu);
  EXPECT_EQ(encodeFloat(std::ldexp(1.0, -24), kFp16), 0x0001u);
  EXPECT_EQ(encodeFloat(std::numeric_limits<double>::infinity(), kFp16), 0x7c00u);
  EXPECT_EQ(encodeFloat(-0.0, kFp16), 0x8000u);
  for (uint32_t bits = 0; bits < 0x10000; ++bits) {
    double v = decodeFloat(bits, kFp16);
    if (std::isnan(v))
      continue;
    ASSERT_EQ(encodeFloat(v, kFp16), bits) << bits;
    ASSERT_EQ(roundToFormat(v, kFp16), v) << bits;
  }
}

TEST(FloatTest, Bf16RoundsTiesToEvenAndMatchesFp32Truncation) {
  EXPECT_EQ(encodeFloat(1.0, kBf16), 0x3f80u);
  // 1 + 2^-8 is a tie between 1 and 1 + 2^-7: even is 1.
  EXPECT_EQ(roundToFormat(1.0 + std::ldexp(1.0, -8), kBf16), 1.0);
  EXPECT_EQ(roundToFormat(1.0 + 3 * std::ldexp(1.0, -8), kBf16), 1.0 + std::ldexp(1.0, -6));
  EXPECT_TRUE(std::isinf(roundToFormat(3.4e38, kBf16)));
  EXPECT_EQ(decodeFloat(0x4049, kBf16), 3.140625);
}

TEST(FloatTest, Fp32MatchesHostConversion) {
  for (double v : {0.1, -1e-40, 3.4028235e38, 1.0 / 3.0, 1e-45})
    EXPECT_EQ(roundToFormat(v, kFp32), double(float(v))) << v;
}

} // namespace
} // namespace kiln::ref
