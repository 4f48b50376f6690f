//===- QuantizeWeights.cpp - float weights to the scheme's storage ----------===//

#include "kiln/passes/Passes.h"
#include "kiln/passes/Quantizers.h"

#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "mlir/IR/Matchers.h"

namespace kiln {
#define GEN_PASS_DEF_KILNQUANTIZEWEIGHTS
#include "kiln/passes/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace kiln {
namespace {

Value makeConst(ImplicitLocOpBuilder &b, DenseElementsAttr values) {
  return tosa::ConstOp::create(b, values.getType(), values);
}

template <typename T>
DenseElementsAttr intAttr(ArrayRef<int64_t> shape, unsigned bits, ArrayRef<T> values,
                          MLIRContext *ctx) {
  auto type = RankedTensorType::get(shape, IntegerType::get(ctx, bits));
  SmallVector<APInt> ints;
  ints.reserve(values.size());
  for (T v : values)
    ints.emplace_back(bits, static_cast<int64_t>(v), /*isSigned=*/true);
  return DenseElementsAttr::get(type, ints);
}

DenseElementsAttr halfBitsAttr(ArrayRef<int64_t> shape, Type element,
                               ArrayRef<uint16_t> bits) {
  const llvm::fltSemantics &sem = cast<FloatType>(element).getFloatSemantics();
  SmallVector<APFloat> values;
  values.reserve(bits.size());
  for (uint16_t b : bits)
    values.emplace_back(sem, APInt(16, b));
  return DenseElementsAttr::get(RankedTensorType::get(shape, element), values);
}

std::vector<float> floatValues(DenseElementsAttr attr) {
  auto range = attr.getValues<float>();
  return std::vector<float>(range.begin(), range.end());
}

/// Quantizes one layer in place; emits a diagnostic and fails when it cannot.
LogicalResult quantizeWeights(LinearOp op);

/// Quantizes the layer, then drops the float weight constant if nothing else uses it
/// (already visited by the walk, so erasing it is safe), so the quantized IR holds no
/// dead copy of the weights.
LogicalResult quantizeLayer(LinearOp op) {
  Operation *floatWeight = op.getWeight().getDefiningOp();
  if (failed(quantizeWeights(op)))
    return failure();
  if (floatWeight && floatWeight->use_empty() && floatWeight->hasTrait<OpTrait::ConstantLike>())
    floatWeight->erase();
  return success();
}

LogicalResult quantizeWeights(LinearOp op) {
  SchemeKind kind = op.getScheme().getKind();
  if (kind == SchemeKind::pf32 || op.hasQuantizedWeights() ||
      (kind == SchemeKind::pf16 && op.getWeight().getType().getElementType().isF16()))
    return success();
  if (needsCalibration(kind) && (!op.getInputQuant() || !op.getOutputQuant()))
    return op.emitOpError()
           << "scheme pqs8_qc8w quantizes activations statically and needs "
              "calibration first: pass --calibration-data samples.npy (an N×K .npy "
              "of representative inputs) to kiln-compile";
  DenseElementsAttr weightAttr;
  if (!matchPattern(op.getWeight(), m_Constant(&weightAttr)))
    return op.emitOpError() << "expected the weight to be a constant to quantize it";
  std::vector<float> weight = floatValues(weightAttr);
  int64_t n = op.getN(), k = op.getK();
  MLIRContext *ctx = op.getContext();
  ImplicitLocOpBuilder b(op.getLoc(), op);

  switch (weightStorage(kind)) {
  case WeightStorage::F32:
    return success();
  case WeightStorage::F16: {
    // pf16 runs in fp16 end to end: weights, bias and activations.
    Type f16 = b.getF16Type();
    std::vector<uint16_t> bits(weight.size());
    for (size_t i = 0; i < weight.size(); ++i)
      bits[i] = floatToF16Saturating(weight[i]);
    op.getWeightMutable().assign(makeConst(b, halfBitsAttr({n, k}, f16, bits)));
    return success();
  }
  case WeightStorage::I8PerChannel: {
    ChannelQuantized q = quantizePerChannelInt8(weight.data(), n, k);
    op.getWeightMutable().assign(
        makeConst(b, intAttr<int8_t>({n, k}, 8, q.values, ctx)));
    auto scaleType = RankedTensorType::get({n}, b.getF32Type());
    op.getWeightScalesMutable().assign(makeConst(
        b, DenseElementsAttr::get(scaleType, ArrayRef<float>(q.scales))));
    return success();
  }
  case WeightStorage::I4PerBlock: {
    int64_t block = op.getScheme().getBlockSize();
    BlockQuantized q = quantizeBlockwiseInt4(weight.data(), n, k, block);
    op.getWeightMutable().assign(
        makeConst(b, intAttr<int8_t>({n, k}, 4, q.values, ctx)));
    op.getWeightScalesMutable().assign(
        makeConst(b, halfBitsAttr({n, k / block}, b.getBF16Type(), q.scales)));
    return success();
  }
  }
  return success();
}

struct QuantizeWeightsPass : impl::KilnQuantizeWeightsBase<QuantizeWeightsPass> {
  void runOnOperation() override {
    bool failedAny = false;
    getOperation().walk([&](LinearOp op) { failedAny |= failed(quantizeLayer(op)); });
    if (failedAny)
      signalPassFailure();
  }
};

} // namespace
} // namespace kiln
