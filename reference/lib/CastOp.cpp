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

/// Saturates an integral double to the range of `type`. The comparison is made in
/// double against exact bounds: double(INT64_MAX) rounds up to 2^63, and converting
/// a double >= 2^63 to int64_t is undefined behaviour, so the upper bound is tested
/// as `r >= 2^63` rather than clamped to double(intMax).
int64_t saturateToInt(double r, ElementType type) {
  double upperExclusive = std::ldexp(1.0, intBits(type) - 1); // 2^(bits-1), exact
  if (r >= upperExclusive)
    return intMax(type);
  if (r < -upperExclusive)
    return intMin(type);
  return int64_t(r);
}

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
      out.setInt(i, saturateToInt(r, out.type()));
    } else {
      out.setInt(i, wrapInt(in.getInt(i), out.type())); // sign_extend or truncate
    }
  }
  return success();
}

} // namespace

void registerCastOp(OpTable &table) { table["tosa.cast"] = evalCast; }

} // namespace kiln::ref::detail
