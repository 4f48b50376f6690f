#pragma once
/// `dense_resource` constants (how PyTorch/IREE exporters write large weights as
/// blobs in the MLIR file) become inline dense attributes, which is what the
/// quantization passes and the lowering read.

#include "mlir/IR/BuiltinOps.h"

namespace kiln {

/// Replaces every DenseResourceElementsAttr attribute of an op in `module` by the
/// equal DenseElementsAttr. A missing blob (e.g. printed with elided resources) or a
/// blob whose size does not fit the type is an error at the op.
mlir::LogicalResult inlineResourceConstants(mlir::ModuleOp module);

} // namespace kiln
