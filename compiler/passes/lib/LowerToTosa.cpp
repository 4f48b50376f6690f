//===- LowerToTosa.cpp - kiln.linear to TOSA 1.0 ---------------------------===//
//
// Each kiln.linear becomes the TOSA 1.0 op sequence of its scheme
// (docs/lowering.md). TOSA's matmul is batched and rank 3, so a layer's [M,K]
// input is reshaped to [1,M,K] and the N×K weight is stored transposed as a
// [1,K,N] constant, computed here once rather than by a tosa.transpose at run time.
//
//===----------------------------------------------------------------------===//

#include "kiln/passes/Passes.h"
#include "kiln/passes/TosaBuilder.h"

#include "mlir/Dialect/Tosa/IR/TargetEnv.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

namespace kiln {
#define GEN_PASS_DEF_KILNLOWERTOTOSA
#include "kiln/passes/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace kiln {
namespace {

/// The N×K weight of a layer as a [1,K,N] attribute (TOSA's matmul RHS layout).
DenseElementsAttr transposeWeight(DenseElementsAttr weight) {
  auto type = cast<RankedTensorType>(weight.getType());
  int64_t n = type.getDimSize(0), k = type.getDimSize(1);
  auto values = llvm::to_vector(weight.getValues<Attribute>());
  SmallVector<Attribute> transposed(values.size());
  for (int64_t row = 0; row < n; ++row)
    for (int64_t col = 0; col < k; ++col)
      transposed[col * n + row] = values[row * k + col];
  return DenseElementsAttr::get(
      RankedTensorType::get({1, k, n}, type.getElementType()), transposed);
}

/// The constant value of `v`, or a diagnostic on `op` saying it must be constant.
FailureOr<DenseElementsAttr> requireConstant(LinearOp op, Value v, StringRef what) {
  DenseElementsAttr attr;
  if (matchPattern(v, m_Constant(&attr)))
    return attr;
  return op.emitOpError() << "expected the " << what
                          << " to be a compile-time constant (tosa.const or "
                             "arith.constant) to lower to TOSA";
}

/// pf32: y = clamp(matmul(x, Wᵀ) + b).
LogicalResult lowerFloatLinear(LinearOp op, ImplicitLocOpBuilder &b) {
  TosaBuilder tosa(b);
  int64_t m = op.getM(), k = op.getK(), n = op.getN();
  FailureOr<DenseElementsAttr> weight = requireConstant(op, op.getWeight(), "weight");
  if (failed(weight))
    return failure();
  Type element = op.getInput().getType().getElementType();

  Value x = tosa.reshape(op.getInput(), {1, m, k});
  Value w = tosa.constant(transposeWeight(*weight));
  Value acc = tosa.matmul(x, w, 0, 0, element);
  if (Value bias = op.getBias())
    acc = tosa.add(acc, tosa.reshape(bias, {1, 1, n}));
  if (ClampAttr clamp = op.getClampAttr())
    acc = tosa.clampFloat(acc, clamp.getMinValue(), clamp.getMaxValue());
  op.replaceAllUsesWith(tosa.reshape(acc, {m, n}));
  op.erase();
  return success();
}

struct LowerToTosaPass : impl::KilnLowerToTosaBase<LowerToTosaPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    bool failedAny = false;
    module.walk([&](LinearOp op) {
      ImplicitLocOpBuilder b(op.getLoc(), op);
      SchemeKind kind = op.getScheme().getKind();
      LogicalResult result = failure();
      if (kind == SchemeKind::pf32)
        result = lowerFloatLinear(op, b);
      else
        op.emitOpError() << "lowering of scheme " << stringifySchemeKind(kind)
                         << " to TOSA is not implemented yet";
      failedAny |= failed(result);
    });
    if (failedAny)
      return signalPassFailure();
    attachTarget(module);
  }

  /// Records the TOSA 1.0 profiles the lowered ops need, so that strict validation
  /// (--tosa-validate=strict-op-spec-alignment) checks against exactly them.
  void attachTarget(ModuleOp module) {
    if (module->hasAttr(tosa::TargetEnvAttr::name))
      return;
    MLIRContext *ctx = module.getContext();
    module->setAttr(tosa::TargetEnvAttr::name,
                    tosa::TargetEnvAttr::get(ctx, tosa::SpecificationVersion::V_1_0,
                                             tosa::Level::eightK,
                                             {tosa::Profile::pro_fp}, {}));
  }
};

} // namespace
} // namespace kiln
