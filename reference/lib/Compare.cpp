//===- Compare.cpp - error statistics and SQNR ------------------------------===//

#include "kiln/reference/Compare.h"

#include "kiln/reference/Float.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

namespace kiln::ref {
namespace {

/// Maps a float's bit pattern to an integer that is monotonic in its value, so the
/// difference of two is their distance in ulps (both zeros map to 0).
int64_t orderedBits(double v, ElementType type) {
  int64_t bits, signBit;
  if (type == ElementType::F64) {
    uint64_t u;
    std::memcpy(&u, &v, 8);
    bits = int64_t(u & ~(uint64_t(1) << 63));
    signBit = int64_t(u >> 63);
  } else {
    FloatFormat f = type == ElementType::F16 ? kFp16 : type == ElementType::BF16 ? kBf16 : kFp32;
    uint32_t u = encodeFloat(v, f);
    int width = 1 + f.exponentBits + f.mantissaBits;
    bits = int64_t(u & ((uint32_t(1) << (width - 1)) - 1));
    signBit = int64_t(u >> (width - 1));
  }
  return signBit ? -bits : bits;
}

double valueAt(const Tensor &t, int64_t i) {
  return t.isFloat() ? t.getFloat(i) : double(t.getInt(i));
}

} // namespace

ErrorStats compareTensors(const Tensor &ref, const Tensor &actual) {
  ErrorStats stats;
  std::vector<double> r(size_t(ref.numElements())), a(size_t(ref.numElements()));
  for (int64_t i = 0; i < ref.numElements(); ++i) {
    r[size_t(i)] = valueAt(ref, i);
    a[size_t(i)] = valueAt(actual, i);
    double diff = std::fabs(r[size_t(i)] - a[size_t(i)]);
    if (std::isnan(r[size_t(i)]) != std::isnan(a[size_t(i)]))
      diff = std::numeric_limits<double>::infinity();
    stats.maxAbsError = std::max(stats.maxAbsError, std::isnan(diff) ? 0.0 : diff);
    if (!ref.isFloat())
      continue;
    double ulp = std::isinf(diff) ? diff
                                  : std::fabs(double(orderedBits(r[size_t(i)], ref.type()) -
                                                     orderedBits(a[size_t(i)], ref.type())));
    if (std::isnan(r[size_t(i)]) && std::isnan(a[size_t(i)]))
      ulp = 0.0;
    stats.maxUlp = std::max(stats.maxUlp, ulp);
  }
  stats.sqnrDb = kiln::sqnrDb(r.data(), a.data(), r.size());
  return stats;
}

} // namespace kiln::ref
