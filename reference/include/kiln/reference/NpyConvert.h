#pragma once
/// Conversions between the evaluator's Tensor and the runtime's NpyArray.
///
/// Dtype mapping: i1 <-> bool, i4 -> I4 (one value per int8 byte), i8, i16, i32,
/// i48 -> I64 (NumPy has no 48-bit integer), i64, f16, bf16 (bit patterns), f32,
/// f64, shape -> I64. Reading back, an I8 array becomes i4 only when the caller
/// asks for it (NumPy cannot mark int4), after a range check.

#include "kiln/reference/Tensor.h"
#include "kiln/runtime/Npy.h"
#include "kiln/support/Status.h"

#include <string>

namespace kiln::ref {

rt::NpyArray toNpy(const Tensor &tensor);

/// Converts an array read from `name`. With `asInt4`, an I8 (or I4) array becomes
/// an i4 tensor, and every value must lie in [-8, 7]. U8 arrays are rejected:
/// TOSA integers are signed.
kiln::Expected<Tensor> fromNpy(const rt::NpyArray &array, const std::string &name,
                               bool asInt4 = false);

} // namespace kiln::ref
