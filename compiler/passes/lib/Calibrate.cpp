//===- Calibrate.cpp - static activation calibration -------------------------===//

#include "kiln/passes/Passes.h"
#include "kiln/passes/Quantizers.h"
#include "kiln/runtime/Npy.h"

#include "mlir/IR/Matchers.h"

#include <algorithm>
#include <cmath>

namespace kiln {
#define GEN_PASS_DEF_KILNCALIBRATE
#include "kiln/passes/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace kiln {
namespace {

/// A batch of activations: `rows` samples of `cols` features, row-major.
struct Activations {
  int64_t rows = 0, cols = 0;
  std::vector<float> values;
};

AffineParams observe(const Activations &a) {
  auto [lo, hi] = std::minmax_element(a.values.begin(), a.values.end());
  return affineParamsFromRange(*lo, *hi);
}

QuantParamsAttr toAttr(MLIRContext *ctx, const AffineParams &p) {
  return QuantParamsAttr::get(ctx, APFloat(p.scale), p.zeroPoint);
}

/// The float layer y = clamp(x·Wᵀ + b) on every sample row.
FailureOr<Activations> runFloatLayer(LinearOp op, const Activations &x) {
  DenseElementsAttr weightAttr, biasAttr;
  if (!matchPattern(op.getWeight(), m_Constant(&weightAttr)) ||
      !weightAttr.getElementType().isF32())
    return op.emitOpError() << "expected constant f32 weights to calibrate";
  if (op.getBias() && !matchPattern(op.getBias(), m_Constant(&biasAttr)))
    return op.emitOpError() << "expected a constant bias to calibrate";
  auto w = llvm::to_vector(weightAttr.getValues<float>());
  SmallVector<float> bias;
  if (biasAttr)
    bias = llvm::to_vector(biasAttr.getValues<float>());
  int64_t n = op.getN(), k = op.getK();
  float lo = -INFINITY, hi = INFINITY;
  if (ClampAttr clamp = op.getClampAttr()) {
    lo = clamp.getMinValue();
    hi = clamp.getMaxValue();
  }
  Activations y{x.rows, n, std::vector<float>(x.rows * n)};
  for (int64_t r = 0; r < x.rows; ++r)
    for (int64_t c = 0; c < n; ++c) {
      double acc = bias.empty() ? 0.0 : bias[c];
      for (int64_t i = 0; i < k; ++i)
        acc += static_cast<double>(x.values[r * k + i]) * w[c * k + i];
      y.values[r * n + c] = std::clamp(static_cast<float>(acc), lo, hi);
    }
  return y;
}

/// Reads the samples feeding `first`, the layer that reads the function's input;
/// errors point at that layer.
FailureOr<Activations> loadSamples(LinearOp first, const std::string &path) {
  int64_t k = first.getK();
  Expected<rt::NpyArray> array = rt::readNpy(path);
  if (!array)
    return first.emitOpError() << "calibration data: " << array.status().message();
  if (array->dtype != rt::DType::F32 || array->shape.size() != 2 ||
      array->shape[1] != k || array->shape[0] < 1)
    return first.emitOpError()
           << "calibration data " << path << ": expected an f32 array of shape [N, "
           << k << "] with N >= 1, got " << rt::dtypeName(array->dtype) << " of rank "
           << array->shape.size()
           << (array->shape.size() == 2
                   ? " [" + std::to_string(array->shape[0]) + ", " +
                         std::to_string(array->shape[1]) + "]"
                   : std::string());
  Activations a{array->shape[0], k, {}};
  a.values.assign(array->as<float>(), array->as<float>() + array->numElements());
  if (llvm::any_of(a.values, [](float v) { return !std::isfinite(v); }))
    return first.emitOpError() << "calibration data " << path
                               << ": expected finite values, found NaN or infinity";
  return a;
}

struct CalibratePass : impl::KilnCalibrateBase<CalibratePass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    for (auto func : module.getOps<func::FuncOp>())
      if (failed(calibrate(module, func)))
        return signalPassFailure();
  }

  LogicalResult calibrate(ModuleOp module, func::FuncOp func) {
    auto layers = llvm::to_vector(func.getOps<LinearOp>());
    bool anyStatic = llvm::any_of(layers, [](LinearOp op) {
      return needsCalibration(op.getScheme().getKind()) && !op.getInputQuant();
    });
    if (!anyStatic)
      return success();
    if (data.empty())
      return layers.front().emitOpError()
             << "scheme pqs8_qc8w needs calibration data: pass --calibration-data "
                "samples.npy (an N×K fp32 .npy of representative inputs)";
    if (func.getNumArguments() < 1 || layers.front().getInput() != func.getArgument(0))
      return layers.front().emitOpError()
             << "calibration expects the first layer to read the function's first "
                "argument";
    FailureOr<Activations> samples = loadSamples(layers.front(), data);
    if (failed(samples))
      return failure();

    llvm::DenseMap<Value, Activations> values;
    values[func.getArgument(0)] = std::move(*samples);
    MLIRContext *ctx = module.getContext();
    for (LinearOp op : layers) {
      auto input = values.find(op.getInput());
      if (input == values.end())
        return op.emitOpError() << "calibration supports chains of kiln.linear layers "
                                   "only; this layer's input comes from another op";
      FailureOr<Activations> output = runFloatLayer(op, input->second);
      if (failed(output))
        return failure();
      if (needsCalibration(op.getScheme().getKind()) && !op.hasQuantizedWeights()) {
        op.setInputQuantAttr(toAttr(ctx, observe(input->second)));
        op.setOutputQuantAttr(toAttr(ctx, observe(*output)));
      }
      values[op.getResult()] = std::move(*output);
    }
    return success();
  }
};

} // namespace
} // namespace kiln
