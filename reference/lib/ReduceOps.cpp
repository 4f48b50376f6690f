//===- ReduceOps.cpp - REDUCE_MIN, REDUCE_MAX, REDUCE_SUM -------------------===//
//
// Each output element folds the input along `axis` in increasing index order, as
// the spec's pseudocode does; float sums therefore round after every addition.
//
//===----------------------------------------------------------------------===//

#include "Ops.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Diagnostics.h"

#include <cmath>
#include <limits>
#include <optional>

namespace kiln::ref::detail {
namespace {

using namespace mlir;

enum class Reduction { Min, Max, Sum };

template <typename OpT, Reduction Kind>
LogicalResult evalReduce(Operation *operation, ArrayRef<const Tensor *> operands,
                         MutableArrayRef<Tensor> results) {
  auto op = cast<OpT>(operation);
  const Tensor &in = *operands[0];
  Tensor &out = results[0];
  int64_t axis = op.getAxis();
  if (axis < 0 || axis >= in.rank())
    return op.emitOpError() << "expected axis in [0, " << in.rank() << "), got " << axis
                            << " (ERROR_IF)";
  if (out.shape()[axis] != 1)
    return op.emitOpError() << "expected the result dimension " << axis << " to be 1, got "
                            << out.shape()[axis] << " (ERROR_IF)";
  bool propagate = true;
  if constexpr (Kind != Reduction::Sum)
    propagate = op.getNanMode() == tosa::NanPropagationMode::PROPAGATE;

  int64_t length = in.shape()[axis], stride = in.strides()[axis];
  std::optional<int64_t> overflowAt;
  forEachIndex(out.shape(), [&](int64_t o, ArrayRef<int64_t> index) {
    int64_t base = 0;
    for (int64_t d = 0; d < in.rank(); ++d)
      base += index[d] * in.strides()[d];
    if (in.isFloat()) {
      double inf = std::numeric_limits<double>::infinity();
      // With IGNORE the spec starts from NaN so that an all-NaN row stays NaN.
      double acc = Kind == Reduction::Sum ? 0.0
                   : !propagate           ? std::numeric_limits<double>::quiet_NaN()
                   : Kind == Reduction::Max ? -inf
                                            : inf;
      for (int64_t k = 0; k < length; ++k) {
        double v = in.getFloat(base + k * stride);
        if constexpr (Kind == Reduction::Sum)
          acc = roundFloat(acc + v, in.type());
        else if constexpr (Kind == Reduction::Max)
          acc = applyMaxFloat(acc, v, propagate);
        else
          acc = applyMinFloat(acc, v, propagate);
      }
      out.setFloat(o, acc);
      return;
    }
    int64_t acc = Kind == Reduction::Sum   ? 0
                  : Kind == Reduction::Max ? intMin(in.type())
                                           : intMax(in.type());
    for (int64_t k = 0; k < length; ++k) {
      int64_t v = in.getInt(base + k * stride);
      if constexpr (Kind == Reduction::Sum) {
        acc += v;
        if ((acc < intMin(in.type()) || acc > intMax(in.type())) && !overflowAt)
          overflowAt = o;
      } else {
        acc = Kind == Reduction::Max ? std::max(acc, v) : std::min(acc, v);
      }
    }
    if (!overflowAt)
      out.setInt(o, acc);
  });
  if (overflowAt)
    return op.emitOpError() << "the sum overflows " << elementTypeName(in.type())
                            << " at output element " << *overflowAt
                            << " (apply_add_s REQUIRE)";
  return success();
}

} // namespace

void registerReduceOps(OpTable &table) {
  table["tosa.reduce_min"] = evalReduce<tosa::ReduceMinOp, Reduction::Min>;
  table["tosa.reduce_max"] = evalReduce<tosa::ReduceMaxOp, Reduction::Max>;
  table["tosa.reduce_sum"] = evalReduce<tosa::ReduceSumOp, Reduction::Sum>;
}

} // namespace kiln::ref::detail
