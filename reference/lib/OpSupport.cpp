//===- OpSupport.cpp - index iteration and broadcasting for op evaluators ---===//

#include "Ops.h"

#include "mlir/IR/Diagnostics.h"

#include <cmath>
#include <limits>

namespace kiln::ref::detail {

void forEachIndex(llvm::ArrayRef<int64_t> shape,
                  llvm::function_ref<void(int64_t, llvm::ArrayRef<int64_t>)> fn) {
  int64_t total = 1;
  for (int64_t d : shape)
    total *= d;
  llvm::SmallVector<int64_t> index(shape.size(), 0);
  for (int64_t linear = 0; linear < total; ++linear) {
    fn(linear, index);
    // Odometer increment, innermost dimension first (C order).
    for (int64_t d = int64_t(shape.size()) - 1; d >= 0; --d) {
      if (++index[d] < shape[d])
        break;
      index[d] = 0;
    }
  }
}

int64_t broadcastOffset(const Tensor &in, llvm::ArrayRef<int64_t> outIndex) {
  int64_t offset = 0;
  for (int64_t d = 0; d < in.rank(); ++d)
    offset = offset * in.shape()[d] + (in.shape()[d] == 1 ? 0 : outIndex[d]);
  return offset;
}

mlir::LogicalResult checkBroadcast(mlir::Operation *op, const Tensor &in,
                                   unsigned operandIndex, const Tensor &result) {
  bool ok = in.rank() == result.rank();
  for (int64_t d = 0; ok && d < in.rank(); ++d)
    ok = in.shape()[d] == result.shape()[d] || in.shape()[d] == 1;
  if (ok)
    return mlir::success();
  return op->emitOpError() << "operand " << operandIndex << " of type tensor<"
                           << in.typeString() << "> does not broadcast to the result "
                           << "tensor<" << result.typeString()
                           << "> (TOSA 1.0 broadcast: equal rank, each dimension "
                              "equal or 1)";
}

double applyMaxFloat(double a, double b, bool propagateNan) {
  if (std::isnan(a) || std::isnan(b))
    return propagateNan ? std::numeric_limits<double>::quiet_NaN() : (std::isnan(a) ? b : a);
  return a >= b ? a : b;
}

double applyMinFloat(double a, double b, bool propagateNan) {
  if (std::isnan(a) || std::isnan(b))
    return propagateNan ? std::numeric_limits<double>::quiet_NaN() : (std::isnan(a) ? b : a);
  return a < b ? a : b;
}

int64_t scalarOf(const Tensor &t) {
  return t.isFloat() ? int64_t(t.getFloat(0)) : t.getInt(0);
}

} // namespace kiln::ref::detail
