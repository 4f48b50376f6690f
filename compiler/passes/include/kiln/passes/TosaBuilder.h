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
  /// Elementwise tosa.add/sub/mul of rank-equal tensors of one element type; size-1
  /// dimensions broadcast (TOSA's rule), so the result takes the larger of each.
  mlir::Value add(mlir::Value lhs, mlir::Value rhs);
  mlir::Value sub(mlir::Value lhs, mlir::Value rhs);
  mlir::Value mul(mlir::Value lhs, mlir::Value rhs);
  /// tosa.cast of `value` to `elementType`.
  mlir::Value castTo(mlir::Value value, mlir::Type elementType);
  /// tosa.clamp with float bounds (converted to the element type of `value`).
  mlir::Value clampFloat(mlir::Value value, float min, float max);
  /// tosa.clamp with integer bounds (the element type of `value` is an integer).
  mlir::Value clampInt(mlir::Value value, int64_t min, int64_t max);
  /// tosa.transpose by `perms`.
  mlir::Value transpose(mlir::Value value, llvm::ArrayRef<int32_t> perms);
  /// tosa.reduce_sum over `axis` (kept as a size-1 dimension).
  mlir::Value reduceSum(mlir::Value value, int32_t axis);
  /// tosa.rescale (scale32, SINGLE_ROUND) of an i32 tensor to `outElement`: one
  /// multiplier/shift pair per channel (innermost dimension), or a single pair for
  /// the whole tensor; the result saturates to the output type after + outputZp.
  mlir::Value rescale(mlir::Value value, llvm::ArrayRef<int32_t> multipliers,
                                llvm::ArrayRef<int8_t> shifts, int64_t outputZp,
                                mlir::Type outElement);

  mlir::ImplicitLocOpBuilder &builder() { return b_; }

private:
  mlir::ImplicitLocOpBuilder &b_;
};

} // namespace kiln
