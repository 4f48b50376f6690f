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

Value TosaBuilder::add(Value lhs, Value rhs) {
  return tosa::AddOp::create(b_, lhs.getType(), lhs, rhs);
}

Value TosaBuilder::clampFloat(Value value, float min, float max) {
  Type element = cast<RankedTensorType>(value.getType()).getElementType();
  return tosa::ClampOp::create(b_, value.getType(), value,
                               b_.getFloatAttr(element, min),
                               b_.getFloatAttr(element, max),
                               /*nan_mode=*/nullptr);
}

} // namespace kiln
