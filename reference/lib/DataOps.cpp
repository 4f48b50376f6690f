//===- DataOps.cpp - CONST, CONST_SHAPE, RESHAPE, TRANSPOSE, IDENTITY ------===//

#include "Ops.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/BuiltinAttributes.h"

namespace kiln::ref::detail {
namespace {

using namespace mlir;

/// Copies a dense attribute's elements into `result` (whose type came from the
/// op's result type, so it matches the attribute's).
LogicalResult fillFromAttr(Operation *op, Attribute attr, Tensor &result) {
  auto dense = dyn_cast<DenseElementsAttr>(attr);
  if (!dense)
    return op->emitOpError() << "expected a dense elements attribute for 'values', got "
                             << attr << " (only inline dense constants are supported)";
  int64_t i = 0;
  if (result.isFloat()) {
    for (const APFloat &v : dense.getValues<APFloat>())
      result.setFloat(i++, v.convertToDouble());
  } else if (result.type() == ElementType::Bool) {
    for (bool v : dense.getValues<bool>())
      result.setInt(i++, v ? 1 : 0);
  } else {
    for (const APInt &v : dense.getValues<APInt>())
      result.setInt(i++, v.getSExtValue());
  }
  return success();
}

LogicalResult evalConst(Operation *op, ArrayRef<const Tensor *>,
                        MutableArrayRef<Tensor> results) {
  return fillFromAttr(op, cast<tosa::ConstOp>(op).getValues(), results[0]);
}

LogicalResult evalConstShape(Operation *op, ArrayRef<const Tensor *>,
                             MutableArrayRef<Tensor> results) {
  return fillFromAttr(op, cast<tosa::ConstShapeOp>(op).getValues(), results[0]);
}

/// RESHAPE: the elements in C order are unchanged; only the shape differs.
LogicalResult evalReshape(Operation *op, ArrayRef<const Tensor *> operands,
                          MutableArrayRef<Tensor> results) {
  const Tensor &in = *operands[0];
  Tensor &out = results[0];
  if (in.numElements() != out.numElements())
    return op->emitOpError() << "expected the result to have " << in.numElements()
                             << " elements like the input, got " << out.numElements();
  if (operands.size() > 1) {
    const Tensor &shape = *operands[1];
    for (int64_t d = 0; d < shape.numElements(); ++d)
      if (d >= out.rank() || shape.getInt(d) != out.shape()[d])
        return op->emitOpError() << "the shape operand disagrees with the result type "
                                 << "tensor<" << out.typeString() << "> at dimension " << d;
  }
  for (int64_t i = 0; i < in.numElements(); ++i)
    out.copyElement(i, in, i);
  return success();
}

/// TRANSPOSE: output dimension d is input dimension perms[d].
LogicalResult evalTranspose(Operation *op, ArrayRef<const Tensor *> operands,
                            MutableArrayRef<Tensor> results) {
  const Tensor &in = *operands[0];
  Tensor &out = results[0];
  ArrayRef<int32_t> perms = cast<tosa::TransposeOp>(op).getPerms();
  if (int64_t(perms.size()) != in.rank())
    return op->emitOpError() << "expected " << in.rank() << " perms, got " << perms.size();
  std::vector<int64_t> inStrides = in.strides();
  forEachIndex(out.shape(), [&](int64_t linear, ArrayRef<int64_t> index) {
    int64_t src = 0;
    for (size_t d = 0; d < perms.size(); ++d)
      src += index[d] * inStrides[size_t(perms[d])];
    out.copyElement(linear, in, src);
  });
  return success();
}

LogicalResult evalIdentity(Operation *, ArrayRef<const Tensor *> operands,
                           MutableArrayRef<Tensor> results) {
  results[0] = *operands[0];
  return success();
}

} // namespace

void registerDataOps(OpTable &table) {
  table["tosa.const"] = evalConst;
  table["tosa.const_shape"] = evalConstShape;
  table["tosa.reshape"] = evalReshape;
  table["tosa.transpose"] = evalTranspose;
  table["tosa.identity"] = evalIdentity;
}

} // namespace kiln::ref::detail
