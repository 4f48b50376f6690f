#pragma once
/// The quantization formulas of docs/numerics.md as plain functions on float arrays:
/// the weight quantizers the compiler runs once, the calibration observer, and the
/// requantization multiplier. No MLIR, so tests check them against hand-worked cases.

#include <cstdint>
#include <vector>

namespace kiln {

/// fp32 → fp16 bits, round to nearest even, saturating to ±65504 (numerics.md: pf16
/// weights never become infinities).
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

/// The values the kernels compute with, back in fp32: w_q·s_w[n] (qc8w) and
/// w_q·bf16(s[n,j]) (qb4w). kiln-compile --report measures the SQNR of these.
std::vector<float> dequantize(const ChannelQuantized &q, int64_t n, int64_t k);
std::vector<float> dequantize(const BlockQuantized &q, int64_t n, int64_t k,
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

} // namespace kiln
