#pragma once
/// The quantization formulas of docs/numerics.md as plain functions on float arrays:
/// the weight quantizers the compiler runs once, the calibration observer, and the
/// requantization multiplier. No MLIR, so tests check them against hand-worked cases.

#include <cstdint>
#include <vector>

namespace kiln {

/// fp32 → bf16 bits, round to nearest even (NaN stays NaN).
uint16_t floatToBf16(float value);
float bf16ToFloat(uint16_t bits);
/// fp32 → fp16 bits, round to nearest even, saturating finite values to ±65504.
uint16_t floatToF16Saturating(float value);

/// Per-channel symmetric int8 (qc8w) of an N×K row-major matrix.
struct ChannelQuantized {
  std::vector<int8_t> values; ///< N×K in [-127, 127]
  std::vector<float> scales;  ///< N
};
ChannelQuantized quantizePerChannelInt8(const float *weight, int64_t n, int64_t k);

/// Block-wise symmetric int4 (qb4w) of an N×K row-major matrix, blocks along K.
struct BlockQuantized {
  std::vector<int8_t> values;   ///< N×K in [-8, 7] (unpacked)
  std::vector<uint16_t> scales; ///< N×(K/block), bf16 bits
};
BlockQuantized quantizeBlockwiseInt4(const float *weight, int64_t n, int64_t k,
                                     int64_t block);

/// Per-tensor asymmetric int8 parameters (PT2E MinMaxObserver).
struct AffineParams {
  float scale = 1.0f;
  int32_t zeroPoint = 0;
};
/// Observes [lo, hi] (extended to contain 0) and returns scale and zero point.
AffineParams affineParamsFromRange(float lo, float hi);

/// A 31-bit fixed-point multiplier: value ≈ multiplier · 2^-shift with multiplier in
/// [2^30, 2^31) and shift in [2, 62] (TOSA RESCALE, scale32).
struct FixedPointScale {
  int32_t multiplier = 0;
  int8_t shift = 0;
};
/// Fails (returns false) when `value` is not positive or out of the shift range.
bool computeFixedPointScale(double value, FixedPointScale &out);

/// SQNR in dB of `approx` against `reference`: 20·log10(‖ref‖ / ‖ref − approx‖),
/// as torchao's compute_error; +inf for an exact match.
double sqnrDb(const float *reference, const float *approx, int64_t count);

} // namespace kiln
