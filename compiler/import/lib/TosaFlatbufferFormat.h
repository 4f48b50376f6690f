#pragma once
/// What the TOSA flatbuffer importer and exporter share: the operator table, the
/// dtype <-> MLIR type mapping and the byte layout of constant data. Keeping them in
/// one place is what makes export -> import a round trip.

#include "kiln/import/tosa_generated.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"

#include <optional>
#include <string>
#include <vector>

namespace kiln::tosafb {

/// The MLIR op ("tosa.matmul") an operator imports to, or "" when Kiln does not
/// support it. The attribute union member of an operator is the one whose tag equals
/// the operator's value (the schema lists both in the same order).
llvm::StringRef mlirOpName(Op op);
/// The flatbuffer operator of an MLIR op name, if Kiln exports it.
std::optional<Op> opOfMlirName(llvm::StringRef name);

/// The MLIR element type of a tensor dtype, or null for one Kiln does not support
/// (UNKNOWN, the fp8 types; SHAPE is not an element type, see shapeType).
mlir::Type elementTypeOf(DType dtype, mlir::MLIRContext *context);
/// The dtype of an MLIR element type (index is SHAPE), if it has one.
std::optional<DType> dtypeOf(mlir::Type elementType);

/// Decodes constant data (little-endian, row-major; i4 two per byte low nibble first,
/// i48 six bytes, index eight bytes) into an attribute of `type`. A size that does not
/// match the type is an error: returns null and sets `error`.
mlir::DenseElementsAttr decodeElements(llvm::ArrayRef<uint8_t> data, mlir::ShapedType type,
                                       std::string &error);
/// The inverse of decodeElements.
std::vector<uint8_t> encodeElements(mlir::DenseElementsAttr values);

} // namespace kiln::tosafb
