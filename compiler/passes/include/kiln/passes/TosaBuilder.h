#pragma once
/// Small helpers that build TOSA 1.0 ops with the operand forms MLIR 22 expects
/// (zero points and shapes as operands, rank-3 matmul). Used by the lowering passes.

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

namespace kiln {

class TosaBuilder {
public:
  explicit TosaBuilder(mlir::ImplicitLocOpBuilder &b) : b_(b) {}

  /// A tosa.const holding `values` (whose type is the result type).
  mlir::Value constant(mlir::DenseElementsAttr values);
  /// A rank-1, one-element zero-point tensor of `elementType` holding `zp`.
  mlir::Value zeroPoint(mlir::Type elementType, int64_t zp);
  /// tosa.reshape of `value` to `shape` (same element type).
  mlir::Value reshape(mlir::Value value, llvm::ArrayRef<int64_t> shape);
  /// tosa.matmul of rank-3 a [B,M,K] and b [B,K,N] with zero points, accumulating
  /// into `accType`.
  mlir::Value matmul(mlir::Value a, mlir::Value b, int64_t aZp, int64_t bZp,
                     mlir::Type accType);
  /// tosa.add of two tensors of the same element type, broadcasting ranks-equal
  /// shapes; the result has the shape of `lhs`.
  mlir::Value add(mlir::Value lhs, mlir::Value rhs);
  /// tosa.clamp with float bounds (converted to the element type of `value`).
  mlir::Value clampFloat(mlir::Value value, float min, float max);

  mlir::ImplicitLocOpBuilder &builder() { return b_; }

private:
  mlir::ImplicitLocOpBuilder &b_;
};

} // namespace kiln
