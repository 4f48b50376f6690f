#include "kiln/passes/TosaBuilder.h"

#include "mlir/Dialect/Tosa/Utils/ConversionUtils.h"

using namespace mlir;

namespace kiln {

Value TosaBuilder::constant(DenseElementsAttr values) {
  return tosa::ConstOp::create(b_, values.getType(), values);
}

Value TosaBuilder::zeroPoint(Type elementType, int64_t zp) {
  auto type = RankedTensorType::get({1}, elementType);
  Attribute value;
  if (auto intType = dyn_cast<IntegerType>(elementType))
    value = b_.getIntegerAttr(intType, zp);
  else
    value = b_.getFloatAttr(elementType, static_cast<double>(zp));
  return constant(DenseElementsAttr::get(type, value));
}

Value TosaBuilder::reshape(Value value, ArrayRef<int64_t> shape) {
  auto type = RankedTensorType::get(
      shape, cast<RankedTensorType>(value.getType()).getElementType());
  Value shapeValue = tosa::getTosaConstShape(b_, shape);
  return tosa::ReshapeOp::create(b_, type, value, shapeValue);
}

Value TosaBuilder::matmul(Value a, Value b, int64_t aZp, int64_t bZp, Type accType) {
  auto aType = cast<RankedTensorType>(a.getType());
  auto bType = cast<RankedTensorType>(b.getType());
  auto type = RankedTensorType::get(
      {aType.getDimSize(0), aType.getDimSize(1), bType.getDimSize(2)}, accType);
  return tosa::MatMulOp::create(b_, type, a, b,
                                zeroPoint(aType.getElementType(), aZp),
                                zeroPoint(bType.getElementType(), bZp));
}

namespace {

RankedTensorType broadcastType(Value lhs, Value rhs) {
  auto l = cast<RankedTensorType>(lhs.getType());
  auto r = cast<RankedTensorType>(rhs.getType());
  SmallVector<int64_t> shape;
  for (auto [a, b] : llvm::zip_equal(l.getShape(), r.getShape()))
    shape.push_back(std::max(a, b));
  return RankedTensorType::get(shape, l.getElementType());
}

Type elementTypeOf(Value v) { return cast<RankedTensorType>(v.getType()).getElementType(); }

} // namespace

Value TosaBuilder::add(Value lhs, Value rhs) {
  return tosa::AddOp::create(b_, broadcastType(lhs, rhs), lhs, rhs);
}

Value TosaBuilder::sub(Value lhs, Value rhs) {
  return tosa::SubOp::create(b_, broadcastType(lhs, rhs), lhs, rhs);
}

Value TosaBuilder::mul(Value lhs, Value rhs) {
  // The shift operand must be a constant 0 except for i32 fixed-point products.
  Value shift = constant(DenseElementsAttr::get(
      RankedTensorType::get({1}, b_.getI8Type()), b_.getI8IntegerAttr(0)));
  return tosa::MulOp::create(b_, broadcastType(lhs, rhs), lhs, rhs, shift);
}

Value TosaBuilder::castTo(Value value, Type elementType) {
  auto type = cast<RankedTensorType>(value.getType()).clone(elementType);
  return tosa::CastOp::create(b_, type, value);
}

Value TosaBuilder::clampInt(Value value, int64_t min, int64_t max) {
  auto element = cast<IntegerType>(elementTypeOf(value));
  return tosa::ClampOp::create(b_, value.getType(), value,
                               b_.getIntegerAttr(element, min),
                               b_.getIntegerAttr(element, max), /*nan_mode=*/nullptr);
}

Value TosaBuilder::transpose(Value value, ArrayRef<int32_t> perms) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<int64_t> shape;
  for (int32_t p : perms)
    shape.push_back(type.getDimSize(p));
  return tosa::TransposeOp::create(b_, type.clone(shape), value,
                                   b_.getDenseI32ArrayAttr(perms));
}

Value TosaBuilder::reduceSum(Value value, int32_t axis) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<int64_t> shape(type.getShape());
  shape[axis] = 1;
  return tosa::ReduceSumOp::create(b_, type.clone(shape), value,
                                   b_.getI32IntegerAttr(axis));
}

Value TosaBuilder::rescale(Value value, ArrayRef<int32_t> multipliers,
                           ArrayRef<int8_t> shifts, int64_t outputZp,
                           Type outElement) {
  int64_t channels = static_cast<int64_t>(multipliers.size());
  Value multiplier = constant(DenseElementsAttr::get(
      RankedTensorType::get({channels}, b_.getI32Type()), multipliers));
  Value shift = constant(DenseElementsAttr::get(
      RankedTensorType::get({channels}, b_.getI8Type()), shifts));
  auto type = cast<RankedTensorType>(value.getType()).clone(outElement);
  return tosa::RescaleOp::create(
      b_, type, value, multiplier, shift, zeroPoint(elementTypeOf(value), 0),
      zeroPoint(outElement, outputZp), b_.getBoolAttr(true),
      tosa::RoundingModeAttr::get(b_.getContext(), tosa::RoundingMode::SINGLE_ROUND),
      /*per_channel=*/b_.getBoolAttr(channels > 1), b_.getBoolAttr(false),
      b_.getBoolAttr(false));
}

Value TosaBuilder::clampFloat(Value value, float min, float max) {
  Type element = cast<RankedTensorType>(value.getType()).getElementType();
  return tosa::ClampOp::create(b_, value.getType(), value,
                               b_.getFloatAttr(element, min),
                               b_.getFloatAttr(element, max),
                               /*nan_mode=*/nullptr);
}

} // namespace kiln
