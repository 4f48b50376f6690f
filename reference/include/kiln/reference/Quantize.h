#pragma once
/// Kiln's dynamic per-row int8 quantization (scheme `qp8`, KleidiAI `qai8dx`), the
/// semantics of the custom op `kiln.quantize_rows_qai8dx` (docs/reference.md).

#include <cstdint>

namespace kiln::ref {

/// The quantization parameters of one row.
struct RowQuantization {
  float scale;       ///< s = 1 / inv (0 when inv is 0)
  int32_t zeroPoint; ///< in [-128, 127]
};

/// Quantizes one row of `k` floats into `out` exactly as numerics.md's qai8dx
/// formula does (fp32 throughout, in that order): the zero point rounds half to
/// even, the values round half away from zero.
RowQuantization quantizeRowQai8dx(const float *row, int64_t k, int8_t *out);

} // namespace kiln::ref
