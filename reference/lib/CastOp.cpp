//===- CastOp.cpp - CAST ----------------------------------------------------===//
//
// TOSA 1.0 CAST (type_conversion.adoc): float -> integer rounds to nearest with
// ties to even and saturates; a NaN input has an unpredictable result, which the
// evaluator reports as an error. Integer -> integer sign-extends or truncates;
// anything -> bool is (in != 0); float -> float rounds to nearest even.
//
//===----------------------------------------------------------------------===//

#include "Ops.h"

#include "mlir/IR/Diagnostics.h"

#include <cmath>

namespace kiln::ref::detail {
namespace {

using namespace mlir;

LogicalResult evalCast(Operation *op, ArrayRef<const Tensor *> operands,
                       MutableArrayRef<Tensor> results) {
  const Tensor &in = *operands[0];
  Tensor &out = results[0];
  for (int64_t i = 0; i < in.numElements(); ++i) {
    if (out.type() == ElementType::Bool) {
      out.setInt(i, in.isFloat() ? in.getFloat(i) != 0.0 : in.getInt(i) != 0);
    } else if (out.isFloat()) {
      // Integers up to 48 bits are exact in double, so one rounding happens here.
      out.setFloat(i, in.isFloat() ? in.getFloat(i) : double(in.getInt(i)));
    } else if (in.isFloat()) {
      double v = in.getFloat(i);
      if (std::isnan(v))
        return op->emitOpError() << "cast of NaN to " << elementTypeName(out.type())
                                 << " at element " << i
                                 << " has an unpredictable result (CAST)";
      double r = std::nearbyint(v); // round to nearest, ties to even
      r = std::min(std::max(r, double(intMin(out.type()))), double(intMax(out.type())));
      out.setInt(i, int64_t(r));
    } else {
      out.setInt(i, wrapInt(in.getInt(i), out.type())); // sign_extend or truncate
    }
  }
  return success();
}

} // namespace

void registerCastOp(OpTable &table) { table["tosa.cast"] = evalCast; }

} // namespace kiln::ref::detail
