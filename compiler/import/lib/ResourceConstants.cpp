//===- ResourceConstants.cpp - dense_resource blobs to dense attributes -----===//

#include "kiln/import/ResourceConstants.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

using namespace mlir;

namespace kiln {
namespace {

FailureOr<DenseElementsAttr> toDense(Operation *op, StringRef name,
                                     DenseResourceElementsAttr attr) {
  ShapedType type = attr.getType();
  DenseResourceElementsHandle handle = attr.getRawHandle();
  AsmResourceBlob *blob = handle.getBlob();
  if (!blob)
    return op->emitError() << "attribute '" << name << "': dense_resource blob '"
                           << handle.getKey()
                           << "' has no data (is the file missing its "
                              "dialect_resources section, or were resources elided?)";
  ArrayRef<char> data = blob->getData();
  // Whole-byte elements only: sub-byte packing of blobs is not one fixed format.
  unsigned bits = type.getElementTypeBitWidth();
  if (bits % 8 != 0)
    return op->emitError() << "attribute '" << name << "': dense_resource of "
                           << type.getElementType() << " is not supported";
  uint64_t expected = uint64_t(type.getNumElements()) * (bits / 8);
  if (data.size() != expected)
    return op->emitError() << "attribute '" << name << "': dense_resource blob '"
                           << handle.getKey() << "' has " << data.size()
                           << " bytes, expected " << expected << " for " << type;
  return DenseElementsAttr::getFromRawBuffer(type, data);
}

} // namespace

LogicalResult inlineResourceConstants(ModuleOp module) {
  WalkResult walk = module.walk([&](Operation *op) {
    for (NamedAttribute named : op->getAttrs()) {
      auto resource = dyn_cast<DenseResourceElementsAttr>(named.getValue());
      if (!resource)
        continue;
      FailureOr<DenseElementsAttr> dense = toDense(op, named.getName(), resource);
      if (failed(dense))
        return WalkResult::interrupt();
      op->setAttr(named.getName(), *dense);
    }
    return WalkResult::advance();
  });
  return failure(walk.wasInterrupted());
}

} // namespace kiln
