//===- FloatFormat.cpp - round-to-nearest-even narrow float conversions ----===//

#include "kiln/support/FloatFormat.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace kiln {
namespace {

int bias(FloatFormat f) { return (1 << (f.exponentBits - 1)) - 1; }
/// Exponent of the smallest normal number (the subnormal quantum is 2^(this - m)).
int minExponent(FloatFormat f) { return 1 - bias(f); }

} // namespace

double largestFinite(FloatFormat f) {
  return std::ldexp(2.0 - std::ldexp(1.0, -f.mantissaBits), bias(f));
}

double roundToFormat(double x, FloatFormat f) {
  if (std::isnan(x) || std::isinf(x) || x == 0.0)
    return x;
  int exp;
  std::frexp(x, &exp); // |x| = m * 2^exp with m in [0.5, 1)
  int unbiased = std::max(exp - 1, minExponent(f));
  // The spacing of representable values around x; below the normal range it is
  // the subnormal quantum, which is how gradual underflow rounds.
  double quantum = std::ldexp(1.0, unbiased - f.mantissaBits);
  // x / quantum is exact (a power-of-two scaling) and has at most m+2 integer bits,
  // so nearbyint (ties to even in the default rounding mode) rounds exactly once.
  double rounded = std::nearbyint(x / quantum) * quantum;
  if (std::fabs(rounded) > largestFinite(f))
    return std::copysign(std::numeric_limits<double>::infinity(), x);
  return rounded;
}

uint32_t encodeFloat(double x, FloatFormat f) {
  uint32_t sign = std::signbit(x) ? 1u : 0u;
  uint32_t expMask = (1u << f.exponentBits) - 1;
  uint32_t signShift = f.mantissaBits + f.exponentBits;
  if (std::isnan(x))
    return (expMask << f.mantissaBits) | (1u << (f.mantissaBits - 1));
  double a = std::fabs(x);
  uint32_t bits;
  if (std::isinf(a)) {
    bits = expMask << f.mantissaBits;
  } else if (a == 0.0) {
    bits = 0;
  } else {
    int exp;
    std::frexp(a, &exp);
    int unbiased = exp - 1;
    if (unbiased < minExponent(f)) { // subnormal: biased exponent 0
      bits = uint32_t(std::ldexp(a, f.mantissaBits - minExponent(f)));
    } else {
      uint32_t fraction =
          uint32_t(std::ldexp(a, f.mantissaBits - unbiased)) - (1u << f.mantissaBits);
      bits = (uint32_t(unbiased + bias(f)) << f.mantissaBits) | fraction;
    }
  }
  return (sign << signShift) | bits;
}

double decodeFloat(uint32_t bits, FloatFormat f) {
  uint32_t expMask = (1u << f.exponentBits) - 1;
  uint32_t fraction = bits & ((1u << f.mantissaBits) - 1);
  uint32_t biased = (bits >> f.mantissaBits) & expMask;
  bool negative = (bits >> (f.mantissaBits + f.exponentBits)) & 1u;
  double v;
  if (biased == expMask)
    v = fraction ? std::numeric_limits<double>::quiet_NaN()
                 : std::numeric_limits<double>::infinity();
  else if (biased == 0)
    v = std::ldexp(double(fraction), minExponent(f) - f.mantissaBits);
  else
    v = std::ldexp(double(fraction + (1u << f.mantissaBits)),
                   int(biased) - bias(f) - f.mantissaBits);
  return negative ? -v : v;
}

} // namespace kiln
