#pragma once
/// Signal-to-quantization-noise ratio, the accuracy figure Kiln reports everywhere
/// (kiln-compile --report, kiln-run --compare-to, the end-to-end tests). One
/// definition so every report means the same number.

#include <cmath>
#include <cstddef>
#include <limits>

namespace kiln {

/// SQNR in dB of `approx` against `reference`, as torchao's compute_error:
/// 20·log10(‖ref‖ / ‖ref − approx‖) over all `count` elements, accumulated in double.
/// +infinity for an exact match (also when both are all zero); -infinity when the
/// reference is all zero and the approximation is not.
template <typename T>
double sqnrDb(const T *reference, const T *approx, size_t count) {
  double signal = 0.0, noise = 0.0;
  for (size_t i = 0; i < count; ++i) {
    double r = static_cast<double>(reference[i]);
    double d = r - static_cast<double>(approx[i]);
    signal += r * r;
    noise += d * d;
  }
  if (noise == 0.0)
    return std::numeric_limits<double>::infinity();
  return 20.0 * std::log10(std::sqrt(signal) / std::sqrt(noise));
}

} // namespace kiln
