//===- ApplyWeights.cpp - weight-file tensors into kiln.linear layers ------===//

#include "kiln/import/ApplyWeights.h"

#include "kiln/dialect/KilnDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Builders.h"

#include <set>

using namespace mlir;

namespace kiln {
namespace {

std::string shapeText(ArrayRef<int64_t> shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

/// What one layer takes from the files.
struct LayerWeights {
  LinearOp op;
  const WeightTensor *weight = nullptr;
  const WeightTensor *bias = nullptr;
};

LogicalResult checkShape(LinearOp op, const WeightTensor &t, ArrayRef<int64_t> expected) {
  if (ArrayRef<int64_t>(t.shape) == expected)
    return success();
  return op.emitError() << "tensor '" << t.name << "' in " << t.file << ": expected shape "
                        << shapeText(expected) << " for layer '"
                        << *op.getLayerName() << "', got " << shapeText(t.shape);
}

/// Finds and checks the tensors of one layer without changing anything.
FailureOr<LayerWeights> matchLayer(LinearOp op, const WeightMap &weights) {
  if (!op.getLayerName())
    return op.emitError() << "expected a layer_name attribute on the layer: weight "
                             "files are matched to layers by name";
  std::string name = op.getLayerName()->str();
  Type weightElement = op.getWeight().getType().getElementType();
  if (!weightElement.isF32())
    return op.emitError() << "expected layer '" << name
                          << "' to have f32 weights for --weights to replace, got "
                          << weightElement;
  LayerWeights layer{op};
  auto weight = weights.find(name + ".weight");
  if (weight == weights.end())
    return op.emitError() << "weight files have no tensor '" << name
                          << ".weight' for layer '" << name << "'";
  layer.weight = &weight->second;
  if (failed(checkShape(op, *layer.weight, {op.getN(), op.getK()})))
    return failure();

  auto bias = weights.find(name + ".bias");
  if (op.getBias()) {
    if (bias == weights.end())
      return op.emitError() << "weight files have no tensor '" << name
                            << ".bias' for layer '" << name << "', which has a bias";
    Type biasElement = op.getBias().getType().getElementType();
    if (!biasElement.isF32())
      return op.emitError() << "expected layer '" << name
                            << "' to have an f32 bias for --weights to replace, got "
                            << biasElement;
    layer.bias = &bias->second;
    if (failed(checkShape(op, *layer.bias, {op.getN()})))
      return failure();
  } else if (bias != weights.end()) {
    return op.emitError() << "tensor '" << bias->first << "' in " << bias->second.file
                          << " is a bias, but layer '" << name << "' has none";
  }
  return layer;
}

/// A tosa.const holding `t` (whose shape matchLayer checked) before `op`.
Value makeConstant(OpBuilder &b, LinearOp op, const WeightTensor &t) {
  auto type = RankedTensorType::get(t.shape, b.getF32Type());
  return tosa::ConstOp::create(b, op.getLoc(), type,
                               DenseElementsAttr::get(type, ArrayRef<float>(t.values)));
}

/// Erases the constant a replaced operand came from once nothing else uses it, so
/// --emit=kiln shows only the weights that are used.
void eraseIfDead(Value old) {
  Operation *def = old.getDefiningOp();
  if (def && def->use_empty() && isMemoryEffectFree(def))
    def->erase();
}

} // namespace

LogicalResult applyWeights(ModuleOp module, const WeightMap &weights) {
  SmallVector<LayerWeights> layers;
  WalkResult walk = module.walk([&](LinearOp op) {
    FailureOr<LayerWeights> layer = matchLayer(op, weights);
    if (failed(layer))
      return WalkResult::interrupt();
    layers.push_back(*layer);
    return WalkResult::advance();
  });
  if (walk.wasInterrupted())
    return failure();
  if (layers.empty())
    return module.emitError() << "--weights needs a model of kiln.linear layers; this "
                                 "module has none";

  std::set<const WeightTensor *> used;
  OpBuilder b(module.getContext());
  for (LayerWeights &layer : layers) {
    b.setInsertionPoint(layer.op);
    Value oldWeight = layer.op.getWeight();
    layer.op.getWeightMutable().assign(makeConstant(b, layer.op, *layer.weight));
    eraseIfDead(oldWeight);
    used.insert(layer.weight);
    if (layer.bias) {
      Value oldBias = layer.op.getBias();
      layer.op.getBiasMutable().assign(makeConstant(b, layer.op, *layer.bias));
      eraseIfDead(oldBias);
      used.insert(layer.bias);
    }
  }
  for (const auto &[name, tensor] : weights)
    if (!used.count(&tensor))
      // At the file, which is where the user has to look.
      emitWarning(FileLineColLoc::get(module.getContext(), tensor.file, 0, 0))
          << "tensor '" << name << "' is not used by any layer";
  return success();
}

} // namespace kiln
