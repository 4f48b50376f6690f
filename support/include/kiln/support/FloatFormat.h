#pragma once
/// Round-to-nearest-even conversions between double and the narrow float formats
/// (fp16, bf16, fp32), written out bit by bit so the result never depends on the
/// host compiler's `_Float16`/`__bf16` support. The one implementation shared by the
/// compiler (fp16 weights, bf16 block scales) and the reference evaluator, so the
/// values the compiler stores are the values the oracle computes with.

#include <cstdint>

namespace kiln {

/// An IEEE-754 style binary format: `mantissaBits` stored fraction bits and
/// `exponentBits` exponent bits (with infinities and NaNs).
struct FloatFormat {
  int mantissaBits;
  int exponentBits;
};

inline constexpr FloatFormat kFp16{10, 5};
inline constexpr FloatFormat kBf16{7, 8};
inline constexpr FloatFormat kFp32{23, 8};

/// Rounds `x` to the nearest value of `format`, ties to even; values beyond the
/// largest finite value (after rounding) become infinities, NaN stays NaN.
/// Subnormals of the target format are kept (not flushed).
double roundToFormat(double x, FloatFormat format);

/// The bit pattern of `x`, which must already be a value of `format` (for example a
/// result of roundToFormat); NaN encodes as the canonical quiet NaN.
uint32_t encodeFloat(double x, FloatFormat format);

/// The value of a bit pattern of `format`.
double decodeFloat(uint32_t bits, FloatFormat format);

/// The largest finite value of `format` (65504 for fp16).
double largestFinite(FloatFormat format);

} // namespace kiln
