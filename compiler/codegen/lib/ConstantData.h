#pragma once
/// Reading `tosa.const` payloads for kernel formation (internal): the values of a
/// DenseElementsAttr or a dense_resource blob, splats expanded, as the integer, float
/// or raw fp16 bit patterns the packing code needs.

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Value.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace kiln::codegen::detail {

/// The payload of `value` when it is the result of a `tosa.const`, else null.
mlir::ElementsAttr constantPayload(mlir::Value value);

/// Whether every element of `attr` can be read (a dense_resource blob may be missing
/// or shorter than its type says).
bool payloadAvailable(mlir::ElementsAttr attr);

/// Every element as int64 (integer element types only).
std::vector<int64_t> readIntegers(mlir::ElementsAttr attr);
/// Every element as float (f32, f16 and bf16 element types; exact widening).
std::vector<float> readFloats(mlir::ElementsAttr attr);
/// Every element's fp16 bit pattern (f16 element type only).
std::vector<uint16_t> readHalfBits(mlir::ElementsAttr attr);

/// The single value of a constant whose elements are all equal (any shape), else
/// std::nullopt. Integer or float, as double.
std::optional<double> uniformValue(mlir::Value value);

} // namespace kiln::codegen::detail
