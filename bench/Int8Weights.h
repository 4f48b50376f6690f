#pragma once
/// The int8 baselines' weights: per-channel symmetric int8 (numerics.md's qc8w
/// formula), as Kiln's qp8_f32_qc8w and pqs8_qc8w store them, with their sums.

#include "Baselines.h"

#include <cstdint>
#include <vector>

namespace kiln::bench {

struct Int8Weights {
  std::vector<int8_t> q;      ///< [N,K]
  std::vector<float> scales;  ///< [N]
  std::vector<int32_t> sums;  ///< [N], Σ_k q

  explicit Int8Weights(const GemmProblem &p);
};

} // namespace kiln::bench
