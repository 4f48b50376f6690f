#include "kiln/reference/Compare.h"

#include <gtest/gtest.h>

#include <cmath>

namespace kiln::ref {
namespace {

TEST(CompareTest, SqnrMatchesTorchaoDefinition) {
  double ref[] = {3.0, 4.0}, same[] = {3.0, 4.0}, noisy[] = {3.0, 4.5};
  EXPECT_TRUE(std::isinf(sqnrDb(ref, same, 2)));
  EXPECT_NEAR(sqnrDb(ref, noisy, 2), 20.0 * std::log10(5.0 / 0.5), 1e-12);
}

TEST(CompareTest, UlpDistanceAcrossZero) {
  Tensor a(ElementType::F32, {2}), b(ElementType::F32, {2});
  a.setFloat(0, 1.0);
  b.setFloat(0, 1.0 + std::ldexp(1.0, -23) * 2);
  a.setFloat(1, std::ldexp(1.0, -149));
  b.setFloat(1, -std::ldexp(1.0, -149));
  ErrorStats s = compareTensors(a, b);
  EXPECT_EQ(s.maxUlp, 2.0);
  EXPECT_EQ(s.maxAbsError, std::ldexp(1.0, -22));
}

} // namespace
} // namespace kiln::ref
