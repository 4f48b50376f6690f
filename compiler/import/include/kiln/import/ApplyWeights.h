#pragma once
/// Puts weights read from files (WeightFile.h) into a kiln model, before the
/// pipeline runs: each kiln.linear takes "<layer_name>.weight" and, when it has a
/// bias, "<layer_name>.bias" (PyTorch state_dict names).

#include "kiln/import/WeightFile.h"

#include "mlir/IR/BuiltinOps.h"

namespace kiln {

/// Replaces the float weight and bias of every layer by the tensors named after its
/// `layer_name`. A layer without a name or a tensor, a missing, mis-shaped or
/// surplus bias, and weights that are not f32 are errors at the layer; a tensor no
/// layer uses is a warning. On failure the module is left unchanged.
mlir::LogicalResult applyWeights(mlir::ModuleOp module, const WeightMap &weights);

} // namespace kiln
