//===- DataOps.cpp - CONST, CONST_SHAPE, RESHAPE, TRANSPOSE, IDENTITY ------===//

#include "Ops.h"

#include "kiln/reference/Float.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

#include <cstring>

namespace kiln::ref::detail {
namespace {

using namespace mlir;

/// Bytes per element of a dense_resource blob: whole-byte little-endian elements
/// only (0 for i1/i4/i48, whose packing in blobs is not one fixed format).
int blobElementBytes(ElementType type) {
  switch (type) {
  case ElementType::I8: return 1;
  case ElementType::I16: case ElementType::F16: case ElementType::BF16: return 2;
  case ElementType::I32: case ElementType::F32: return 4;
  case ElementType::I64: case ElementType::F64: case ElementType::Shape: return 8;
  default: return 0;
  }
}

/// Copies a dense_resource blob (how exporters store large constants) into
/// `result`, checking its size against the type first.
LogicalResult fillFromBlob(Operation *op, DenseResourceElementsAttr attr, Tensor &result) {
  AsmResourceBlob *blob = attr.getRawHandle().getBlob();
  if (!blob)
    return op->emitOpError() << "dense_resource blob '" << attr.getRawHandle().getKey()
                             << "' has no data (resources missing or elided)";
  int width = blobElementBytes(result.type());
  if (width == 0)
    return op->emitOpError() << "dense_resource constants of "
                             << elementTypeName(result.type()) << " are not supported";
  ArrayRef<char> data = blob->getData();
  if (data.size() != size_t(result.numElements()) * size_t(width))
    return op->emitOpError() << "dense_resource blob '" << attr.getRawHandle().getKey()
                             << "' has " << data.size() << " bytes, expected "
                             << result.numElements() * width;
  for (int64_t i = 0; i < result.numElements(); ++i) {
    uint64_t bits = 0;
    for (int b = width - 1; b >= 0; --b)
      bits = bits << 8 | uint8_t(data[size_t(i * width + b)]);
    switch (result.type()) {
    case ElementType::F16: result.setFloat(i, decodeFloat(uint32_t(bits), kFp16)); break;
    case ElementType::BF16: result.setFloat(i, decodeFloat(uint32_t(bits), kBf16)); break;
    case ElementType::F32: result.setFloat(i, decodeFloat(uint32_t(bits), kFp32)); break;
    case ElementType::F64: {
      double v;
      std::memcpy(&v, &bits, sizeof v);
      result.setFloat(i, v);
      break;
    }
    default: // sign-extend the little-endian integer
      result.setInt(i, wrapInt(int64_t(bits), result.type()));
    }
  }
  return success();
}

/// Copies a constant's elements into `result` (whose type came from the op's result
/// type, so it matches the attribute's).
LogicalResult fillFromAttr(Operation *op, Attribute attr, Tensor &result) {
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr))
    return fillFromBlob(op, resource, result);
  auto dense = dyn_cast<DenseElementsAttr>(attr);
  if (!dense)
    return op->emitOpError() << "expected dense or dense_resource elements for "
                                "'values', got "
                             << attr;
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
