#pragma once
/// Internal interface between the evaluator's driver (Evaluator.cpp) and the op
/// families, one file each. An op evaluator gets its evaluated operands and the
/// op's result tensors, already allocated from the result types; it fills them or
/// emits an error on the op and fails.

#include "kiln/reference/Tensor.h"

#include "mlir/IR/Operation.h"
#include "llvm/ADT/StringMap.h"

namespace kiln::ref::detail {

using OpEvalFn = mlir::LogicalResult (*)(mlir::Operation *op,
                                         llvm::ArrayRef<const Tensor *> operands,
                                         llvm::MutableArrayRef<Tensor> results);
/// Operation name ("tosa.add") to its evaluator.
using OpTable = llvm::StringMap<OpEvalFn>;

void registerDataOps(OpTable &table);        // const, const_shape, reshape, transpose
void registerElementwiseOps(OpTable &table); // add, sub, mul, max/min, compare, select
void registerUnaryOps(OpTable &table);       // abs, reciprocal, floor, ceil, clamp
void registerCastOp(OpTable &table);
void registerRescaleOp(OpTable &table);
void registerReduceOps(OpTable &table);
void registerContractionOps(OpTable &table); // matmul, conv2d
void registerCustomOps(OpTable &table);      // tosa.custom ops of domain "kiln"

/// Calls fn(linearIndex, index) for every element of `shape`, in C order.
void forEachIndex(llvm::ArrayRef<int64_t> shape,
                  llvm::function_ref<void(int64_t, llvm::ArrayRef<int64_t>)> fn);

/// Linear index into `in` of the element that broadcasts to `outIndex`
/// (TOSA's apply_broadcast: a dimension of size 1 always reads index 0).
int64_t broadcastOffset(const Tensor &in, llvm::ArrayRef<int64_t> outIndex);

/// Checks TOSA 1.0 broadcasting of `in` (operand number `operandIndex`) to
/// `resultShape`: equal rank, and each dimension equal or 1.
mlir::LogicalResult checkBroadcast(mlir::Operation *op, const Tensor &in,
                                   unsigned operandIndex, const Tensor &result);

/// TOSA's apply_max_s / apply_min_s for floats (arithmetic_helpers): with
/// PROPAGATE a NaN operand gives NaN, with IGNORE the other operand.
double applyMaxFloat(double a, double b, bool propagateNan);
double applyMinFloat(double a, double b, bool propagateNan);

/// The single value of a one-element zero-point or shift operand.
int64_t scalarOf(const Tensor &t);

} // namespace kiln::ref::detail
