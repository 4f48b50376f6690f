//===- ElementwiseOps.cpp - ADD, SUB, MUL, MAXIMUM, MINIMUM, comparisons, SELECT -===//
//
// Binary and ternary element-wise ops with TOSA 1.0 broadcasting (equal ranks,
// dimensions equal or 1). Float results are computed in double and rounded once
// to the element type: double has more than 2p+2 bits for fp16/bf16/fp32, so this
// equals the correctly rounded single operation.
//
//===----------------------------------------------------------------------===//

#include "Ops.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Diagnostics.h"

#include <optional>

namespace kiln::ref::detail {
namespace {

using namespace mlir;

/// An integer element function; nullopt means a spec REQUIRE failed.
using IntFn = llvm::function_ref<std::optional<int64_t>(int64_t, int64_t)>;
using FloatFn = llvm::function_ref<double(double, double)>;

/// Applies fn to the broadcast operands 0 and 1. `requireText` says which REQUIRE
/// an integer failure breaks.
LogicalResult evalBinary(Operation *op, ArrayRef<const Tensor *> operands, Tensor &out,
                         IntFn intFn, FloatFn floatFn, StringRef requireText) {
  const Tensor &a = *operands[0], &b = *operands[1];
  if (failed(checkBroadcast(op, a, 0, out)) || failed(checkBroadcast(op, b, 1, out)))
    return failure();
  if (a.type() != b.type())
    return op->emitOpError() << "expected operands of one element type, got "
                             << elementTypeName(a.type()) << " and "
                             << elementTypeName(b.type());
  std::optional<std::string> error;
  forEachIndex(out.shape(), [&](int64_t i, ArrayRef<int64_t> index) {
    if (error)
      return;
    int64_t ia = broadcastOffset(a, index), ib = broadcastOffset(b, index);
    if (a.isFloat()) {
      double r = floatFn(a.getFloat(ia), b.getFloat(ib));
      if (out.isFloat())
        out.setFloat(i, r);
      else
        out.setInt(i, r != 0.0); // comparisons produce 1.0 / 0.0
      return;
    }
    std::optional<int64_t> r = intFn(a.getInt(ia), b.getInt(ib));
    if (!r) {
      error = (llvm::Twine(requireText) + " at element " + llvm::Twine(i) + " (" +
               llvm::Twine(a.getInt(ia)) + ", " + llvm::Twine(b.getInt(ib)) + ")")
                  .str();
      return;
    }
    out.setInt(i, *r);
  });
  if (error)
    return op->emitOpError() << *error;
  return success();
}

/// apply_add_s / apply_sub_s: REQUIRE that the result fits the element type.
std::optional<int64_t> checked(int64_t v, ElementType type) {
  if (v < intMin(type) || v > intMax(type))
    return std::nullopt;
  return v;
}

LogicalResult evalAdd(Operation *op, ArrayRef<const Tensor *> operands,
                      MutableArrayRef<Tensor> results) {
  ElementType t = results[0].type();
  return evalBinary(
      op, operands, results[0],
      [&](int64_t a, int64_t b) { return checked(a + b, t); },
      [](double a, double b) { return a + b; },
      (llvm::Twine("the sum overflows ") + elementTypeName(t) + " (apply_add_s REQUIRE)").str());
}

LogicalResult evalSub(Operation *op, ArrayRef<const Tensor *> operands,
                      MutableArrayRef<Tensor> results) {
  ElementType t = results[0].type();
  return evalBinary(
      op, operands, results[0],
      [&](int64_t a, int64_t b) { return checked(a - b, t); },
      [](double a, double b) { return a - b; },
      (llvm::Twine("the difference overflows ") + elementTypeName(t) +
       " (apply_sub_s REQUIRE)")
          .str());
}

/// MUL: i32 inputs may be multiplied with a rounding right shift (0..63); other
/// integer inputs and floats need shift 0. Without a shift the result is the low
/// bits of the product (apply_mul_s).
LogicalResult evalMul(Operation *op, ArrayRef<const Tensor *> operands,
                      MutableArrayRef<Tensor> results) {
  Tensor &out = results[0];
  int64_t shift = operands.size() > 2 ? scalarOf(*operands[2]) : 0;
  if (shift < 0 || shift > 63)
    return op->emitOpError() << "expected shift in [0, 63], got " << shift
                             << " (MUL REQUIRE)";
  if (shift != 0 && operands[0]->type() != ElementType::I32)
    return op->emitOpError() << "expected shift 0 for "
                             << elementTypeName(operands[0]->type()) << " inputs, got "
                             << shift << " (MUL REQUIRE: only i32 inputs take a shift)";
  ElementType t = out.type();
  return evalBinary(
      op, operands, out,
      [&](int64_t a, int64_t b) -> std::optional<int64_t> {
        if (shift == 0)
          return wrapInt(int64_t(uint64_t(a) * uint64_t(b)), t);
        // |a*b| <= 2^62 for i32 inputs, so the rounding add cannot overflow int64.
        int64_t product = (a * b + (int64_t(1) << (shift - 1))) >> shift;
        return checked(product, ElementType::I32);
      },
      [](double a, double b) { return a * b; },
      "the shifted product overflows i32 (MUL REQUIRE)");
}

template <bool IsMax> LogicalResult evalMaxMin(Operation *op, ArrayRef<const Tensor *> operands,
                                               MutableArrayRef<Tensor> results) {
  bool propagate = true;
  if (auto maxOp = dyn_cast<tosa::MaximumOp>(op))
    propagate = maxOp.getNanMode() == tosa::NanPropagationMode::PROPAGATE;
  if (auto minOp = dyn_cast<tosa::MinimumOp>(op))
    propagate = minOp.getNanMode() == tosa::NanPropagationMode::PROPAGATE;
  return evalBinary(
      op, operands, results[0],
      [](int64_t a, int64_t b) -> std::optional<int64_t> {
        return IsMax ? std::max(a, b) : std::min(a, b);
      },
      [&](double a, double b) {
        return IsMax ? applyMaxFloat(a, b, propagate) : applyMinFloat(a, b, propagate);
      },
      "");
}

/// GREATER / GREATER_EQUAL / EQUAL: a NaN operand compares false, as in C++.
template <typename Compare>
LogicalResult evalCompare(Operation *op, ArrayRef<const Tensor *> operands,
                          MutableArrayRef<Tensor> results) {
  Compare cmp;
  return evalBinary(
      op, operands, results[0],
      [&](int64_t a, int64_t b) -> std::optional<int64_t> { return cmp(a, b) ? 1 : 0; },
      [&](double a, double b) { return cmp(a, b) ? 1.0 : 0.0; }, "");
}

/// SELECT: out = pred ? on_true : on_false, all three broadcast.
LogicalResult evalSelect(Operation *op, ArrayRef<const Tensor *> operands,
                         MutableArrayRef<Tensor> results) {
  Tensor &out = results[0];
  for (unsigned i = 0; i < 3; ++i)
    if (failed(checkBroadcast(op, *operands[i], i, out)))
      return failure();
  const Tensor &pred = *operands[0], &onTrue = *operands[1], &onFalse = *operands[2];
  forEachIndex(out.shape(), [&](int64_t i, ArrayRef<int64_t> index) {
    bool p = pred.getInt(broadcastOffset(pred, index)) != 0;
    const Tensor &src = p ? onTrue : onFalse;
    out.copyElement(i, src, broadcastOffset(src, index));
  });
  return success();
}

} // namespace

void registerElementwiseOps(OpTable &table) {
  table["tosa.add"] = evalAdd;
  table["tosa.sub"] = evalSub;
  table["tosa.mul"] = evalMul;
  table["tosa.maximum"] = evalMaxMin<true>;
  table["tosa.minimum"] = evalMaxMin<false>;
  table["tosa.greater"] = evalCompare<std::greater<>>;
  table["tosa.greater_equal"] = evalCompare<std::greater_equal<>>;
  table["tosa.equal"] = evalCompare<std::equal_to<>>;
  table["tosa.select"] = evalSelect;
}

} // namespace kiln::ref::detail
