#include "Int8Weights.h"

#include <algorithm>
#include <cmath>

namespace kiln::bench {

Int8Weights::Int8Weights(const GemmProblem &p)
    : q(size_t(p.n * p.k)), scales(size_t(p.n)), sums(size_t(p.n), 0) {
  for (int64_t n = 0; n < p.n; ++n) {
    const float *row = &p.weights[size_t(n * p.k)];
    float amax = 0;
    for (int64_t k = 0; k < p.k; ++k)
      amax = std::max(amax, std::fabs(row[k]));
    float s = std::max(amax, 127.0f * 1.1920929e-7f) / 127.0f;
    scales[n] = s;
    for (int64_t k = 0; k < p.k; ++k) {
      int v = int(std::clamp(std::nearbyint(row[k] / s), -127.0f, 127.0f));
      q[size_t(n * p.k + k)] = int8_t(v);
      sums[n] += v;
    }
  }
}

} // namespace kiln::bench
