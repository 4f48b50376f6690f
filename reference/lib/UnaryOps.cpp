//===- UnaryOps.cpp - ABS, RECIPROCAL, FLOOR, CEIL, CLAMP ------------------===//

#include "Ops.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"

#include <cmath>

namespace kiln::ref::detail {
namespace {

using namespace mlir;

/// Applies a float function element by element (the result is rounded to the
/// element type by setFloat).
LogicalResult mapFloat(Operation *op, const Tensor &in, Tensor &out,
                       llvm::function_ref<double(double)> fn) {
  if (!in.isFloat())
    return op->emitOpError() << "expected a float input, got "
                             << elementTypeName(in.type());
  for (int64_t i = 0; i < in.numElements(); ++i)
    out.setFloat(i, fn(in.getFloat(i)));
  return success();
}

/// ABS: integers use apply_sub_s(0, v), so the most negative value breaks its
/// REQUIRE instead of wrapping.
LogicalResult evalAbs(Operation *op, ArrayRef<const Tensor *> operands,
                      MutableArrayRef<Tensor> results) {
  const Tensor &in = *operands[0];
  Tensor &out = results[0];
  if (in.isFloat())
    return mapFloat(op, in, out, [](double v) { return std::fabs(v); });
  for (int64_t i = 0; i < in.numElements(); ++i) {
    int64_t v = in.getInt(i);
    if (v == intMin(in.type()))
      return op->emitOpError() << "abs of " << v << " overflows "
                               << elementTypeName(in.type()) << " at element " << i
                               << " (apply_sub_s REQUIRE)";
    out.setInt(i, v < 0 ? -v : v);
  }
  return success();
}

LogicalResult evalReciprocal(Operation *op, ArrayRef<const Tensor *> operands,
                             MutableArrayRef<Tensor> results) {
  return mapFloat(op, *operands[0], results[0], [](double v) { return 1.0 / v; });
}

LogicalResult evalFloor(Operation *op, ArrayRef<const Tensor *> operands,
                        MutableArrayRef<Tensor> results) {
  return mapFloat(op, *operands[0], results[0], [](double v) { return std::floor(v); });
}

LogicalResult evalCeil(Operation *op, ArrayRef<const Tensor *> operands,
                       MutableArrayRef<Tensor> results) {
  return mapFloat(op, *operands[0], results[0], [](double v) { return std::ceil(v); });
}

double attrValue(Attribute attr) {
  if (auto f = dyn_cast<FloatAttr>(attr))
    return f.getValueAsDouble();
  return double(cast<IntegerAttr>(attr).getValue().getSExtValue());
}

/// CLAMP: ERROR_IF(max_val < min_val), ERROR_IF(NaN bounds), then apply_clip_s,
/// which is apply_max_s(v, min) followed by apply_min_s(., max) with nan_mode.
LogicalResult evalClamp(Operation *op, ArrayRef<const Tensor *> operands,
                        MutableArrayRef<Tensor> results) {
  auto clamp = cast<tosa::ClampOp>(op);
  const Tensor &in = *operands[0];
  Tensor &out = results[0];
  double lo = attrValue(clamp.getMinVal()), hi = attrValue(clamp.getMaxVal());
  if (std::isnan(lo) || std::isnan(hi))
    return op->emitOpError() << "expected non-NaN bounds, got min_val " << lo
                             << " and max_val " << hi << " (CLAMP ERROR_IF)";
  if (hi < lo)
    return op->emitOpError() << "expected min_val <= max_val, got " << lo << " > " << hi
                             << " (CLAMP ERROR_IF)";
  bool propagate = clamp.getNanMode() == tosa::NanPropagationMode::PROPAGATE;
  if (in.isFloat())
    return mapFloat(op, in, out, [&](double v) {
      return applyMinFloat(applyMaxFloat(v, lo, propagate), hi, propagate);
    });
  for (int64_t i = 0; i < in.numElements(); ++i)
    out.setInt(i, std::min(std::max(in.getInt(i), int64_t(lo)), int64_t(hi)));
  return success();
}

} // namespace

void registerUnaryOps(OpTable &table) {
  table["tosa.abs"] = evalAbs;
  table["tosa.reciprocal"] = evalReciprocal;
  table["tosa.floor"] = evalFloor;
  table["tosa.ceil"] = evalCeil;
  table["tosa.clamp"] = evalClamp;
}

} // namespace kiln::ref::detail
