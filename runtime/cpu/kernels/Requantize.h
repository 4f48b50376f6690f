#pragma once
/// pqs8_qc8w's requantization (numerics.md): TOSA apply_scale_32 with SINGLE_ROUND on a
/// 64-bit intermediate, then the output zero point and the clamps, in the order the
/// scalar kernel and every vector kernel share. Internal linkage: each kernel file is
/// built with its own ISA flags, so no copy compiled for one ISA may be shared.

#include "kiln/cpu/MatmulStatic.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace kiln::cpu {
namespace {

/// Requires multiplier >= 0 and 2 <= shift <= 62 (checked before any kernel runs).
inline int32_t applyScale32(int32_t value, int32_t multiplier, int32_t shift) {
  int64_t round = int64_t(1) << (shift - 1);
  return int32_t((int64_t(value) * multiplier + round) >> shift);
}

/// y_q = clamp(clamp(apply_scale_32(acc) + zp_y, -128, 127), lo, hi).
inline int8_t requantize(int32_t acc, int32_t multiplier, int32_t shift, int32_t outZeroPoint,
                         int32_t outMin, int32_t outMax) {
  int64_t q = int64_t(applyScale32(acc, multiplier, shift)) + outZeroPoint;
  q = std::min<int64_t>(std::max<int64_t>(q, -128), 127);
  return int8_t(std::min<int64_t>(std::max<int64_t>(q, outMin), outMax));
}

/// One output row of a pqs8_qc8w tile: `count` int32 accumulators of channels
/// [n0, n0 + count) of `a`, requantized lane by lane into `out`.
inline void requantizeRow(const StaticMatmulArgs &a, const int32_t *acc, size_t n0, size_t count,
                          int8_t *out) {
  for (size_t c = 0; c < count; ++c)
    out[c] = requantize(acc[c], a.multipliers[n0 + c], a.shifts[n0 + c], a.outZeroPoint,
                        a.outMin, a.outMax);
}

} // namespace
} // namespace kiln::cpu
