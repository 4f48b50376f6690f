#pragma once
/// TOSA 1.0's integer scaling helpers (pseudocode/library/scale_helpers), exposed
/// so kernels and tests can use exactly the evaluator's arithmetic. Each returns
/// nullopt when one of the function's REQUIREs does not hold.

#include <cstdint>
#include <optional>

namespace kiln::ref {

/// apply_scale_32: (value * multiplier + round) >> shift with round = 2^(shift-1);
/// with doubleRound and shift > 31, round is moved by ±2^30 towards the sign of
/// value (DOUBLE_ROUND). REQUIRE: multiplier >= 0, 2 <= shift <= 62,
/// -2^(shift-1) <= value < 2^(shift-1).
std::optional<int32_t> applyScale32(int64_t value, int32_t multiplier, int32_t shift,
                                    bool doubleRound);

/// apply_scale_16: (value * multiplier + 2^(shift-1)) >> shift for a 48-bit value.
/// REQUIRE: multiplier >= 0, 2 <= shift <= 62, the result fits in int32.
std::optional<int32_t> applyScale16(int64_t value, int16_t multiplier, int32_t shift);

} // namespace kiln::ref
