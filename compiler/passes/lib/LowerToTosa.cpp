//===- LowerToTosa.cpp - kiln.linear to TOSA 1.0 ---------------------------===//
//
// Each kiln.linear becomes the TOSA 1.0 op sequence of its scheme; docs/lowering.md
// lists them. TOSA's matmul is batched and rank 3, so a layer's [M,K] input becomes
// [1,M,K] and the N×K weight is stored transposed as a [1,K,N] constant (computed
// here once, not by a tosa.transpose at run time). Every constant the numerics need
// at run time (weight row sums, per-channel multipliers, quantized bias) is computed
// here, so every backend consumes the same values.
//
//===----------------------------------------------------------------------===//

#include "kiln/passes/Passes.h"
#include "kiln/passes/Quantizers.h"
#include "kiln/passes/TosaBuilder.h"

#include "mlir/Dialect/Tosa/IR/TargetEnv.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "mlir/IR/Matchers.h"

#include <cmath>
#include <cstring>

namespace kiln {
#define GEN_PASS_DEF_KILNLOWERTOTOSA
#include "kiln/passes/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace kiln {
namespace {

/// The custom op of dynamic per-row quantization (docs/lowering.md): TOSA has no
/// float division and its CAST rounds ties to even, so KleidiAI's qai8dx formula,
/// which the CPU kernels follow bit for bit, cannot be written in TOSA ops.
constexpr llvm::StringLiteral kQuantizeRowsOp = "quantize_rows_qai8dx";
constexpr llvm::StringLiteral kKilnDomain = "kiln";

/// An int8 tensor [1,M,N] that a pqs8_qc8w layer produced, with its parameters, so
/// that the next static layer reads it directly instead of re-quantizing.
struct QuantizedValue {
  Value int8Value;
  QuantParamsAttr params;
};

std::vector<int64_t> intValues(DenseElementsAttr attr) {
  std::vector<int64_t> out;
  out.reserve(attr.getNumElements());
  for (const APInt &v : attr.getValues<APInt>())
    out.push_back(v.getSExtValue());
  return out;
}

std::vector<float> floatValues(DenseElementsAttr attr) {
  std::vector<float> out;
  out.reserve(attr.getNumElements());
  for (const APFloat &v : attr.getValues<APFloat>()) {
    APFloat wide = v;
    bool lost;
    wide.convert(APFloat::IEEEsingle(), APFloat::rmNearestTiesToEven, &lost);
    out.push_back(wide.convertToFloat());
  }
  return out;
}

/// Rearranges the N×K `attr` into `shape` with element [a][b][c] = W[n][k] given by
/// `index(n, k)`; used for the [1,K,N] and [G,B,N] matmul layouts.
DenseElementsAttr relayout(DenseElementsAttr attr, Type element,
                           ArrayRef<int64_t> shape,
                           llvm::function_ref<int64_t(int64_t, int64_t)> index) {
  // Element by element through values or raw bytes: a per-element Attribute would be
  // uniqued in the context, which costs minutes for a 2048x8192 weight.
  auto type = cast<RankedTensorType>(attr.getType());
  int64_t n = type.getDimSize(0), k = type.getDimSize(1);
  auto outType = RankedTensorType::get(shape, element);
  if (isa<IntegerType>(attr.getElementType())) {
    // int8 weights, or int4 widened to int8: TOSA's matmul takes no i4 operands.
    assert(element.isInteger(8) && "integer weights relayout to int8");
    std::vector<int8_t> out(static_cast<size_t>(n * k));
    int64_t i = 0;
    for (const APInt &v : attr.getValues<APInt>()) {
      out[index(i / k, i % k)] = static_cast<int8_t>(v.getSExtValue());
      ++i;
    }
    return DenseElementsAttr::get(outType, ArrayRef<int8_t>(out));
  }
  assert(element == attr.getElementType() && "float weights keep their type");
  size_t width = element.getIntOrFloatBitWidth() / 8;
  ArrayRef<char> raw = attr.getRawData();
  std::vector<char> out(static_cast<size_t>(n * k) * width);
  for (int64_t row = 0; row < n; ++row)
    for (int64_t col = 0; col < k; ++col) {
      size_t from = attr.isSplat() ? 0 : static_cast<size_t>(row * k + col) * width;
      std::memcpy(&out[static_cast<size_t>(index(row, col)) * width], raw.data() + from, width);
    }
  return DenseElementsAttr::getFromRawBuffer(outType, out);
}

DenseElementsAttr f32Attr(ArrayRef<int64_t> shape, ArrayRef<float> values,
                          MLIRContext *ctx) {
  return DenseElementsAttr::get(RankedTensorType::get(shape, Float32Type::get(ctx)),
                                values);
}

DenseElementsAttr i32Attr(ArrayRef<int64_t> shape, ArrayRef<int32_t> values,
                          MLIRContext *ctx) {
  return DenseElementsAttr::get(
      RankedTensorType::get(shape, IntegerType::get(ctx, 32)), values);
}

class LayerLowering {
public:
  LayerLowering(LinearOp op, ImplicitLocOpBuilder &b,
                llvm::DenseMap<Value, QuantizedValue> &quantized)
      : op_(op), b_(b), t_(b), quantized_(quantized), m_(op.getM()), k_(op.getK()),
        n_(op.getN()) {}

  LogicalResult run() {
    if (failed(loadConstants()))
      return failure();
    FailureOr<Value> result;
    switch (op_.getScheme().getKind()) {
    case SchemeKind::pf32:
    case SchemeKind::pf16:
      result = lowerFloat();
      break;
    case SchemeKind::pqs8_qc8w:
      result = lowerStatic();
      break;
    case SchemeKind::qp8_f32_qc8w:
    case SchemeKind::qp8_f32_qb4w:
      result = lowerDynamic();
      break;
    }
    if (failed(result))
      return failure();
    op_.replaceAllUsesWith(*result);
    op_.erase();
    return success();
  }

private:
  FailureOr<DenseElementsAttr> requireConstant(Value v, StringRef what) {
    DenseElementsAttr attr;
    if (v && matchPattern(v, m_Constant(&attr)))
      return attr;
    return op_.emitOpError() << "expected the " << what
                             << " to be a compile-time constant to lower to TOSA";
  }

  LogicalResult loadConstants() {
    FailureOr<DenseElementsAttr> weight = requireConstant(op_.getWeight(), "weight");
    if (failed(weight))
      return failure();
    weight_ = *weight;
    if (op_.getBias()) {
      FailureOr<DenseElementsAttr> bias = requireConstant(op_.getBias(), "bias");
      if (failed(bias))
        return failure();
      bias_ = floatValues(*bias);
    }
    SchemeKind kind = op_.getScheme().getKind();
    if (hasIntegerWeights(kind)) {
      if (!op_.hasQuantizedWeights())
        return op_.emitOpError() << "expected quantized weights for scheme "
                                 << stringifySchemeKind(kind)
                                 << "; run kiln-quantize-weights first";
      FailureOr<DenseElementsAttr> scales =
          requireConstant(op_.getWeightScales(), "weight scales");
      if (failed(scales))
        return failure();
      scales_ = floatValues(*scales);
    }
    return success();
  }

  /// The [1,K,N] matmul RHS of the weight.
  Value transposedWeight(Type element) {
    int64_t n = n_;
    return t_.constant(relayout(weight_, element, {1, k_, n_},
                                [&](int64_t row, int64_t col) { return col * n + row; }));
  }

  Value finishFloat(Value acc) {
    if (!bias_.empty())
      acc = t_.add(acc, t_.constant(f32Attr({1, 1, n_}, bias_, b_.getContext())));
    if (ClampAttr clamp = op_.getClampAttr())
      acc = t_.clampFloat(acc, clamp.getMinValue(), clamp.getMaxValue());
    return acc;
  }

  /// pf32: y = clamp(x·Wᵀ + b). pf16: the same with fp16 operands, accumulated in
  /// fp32 and rounded to fp16 once at the end (numerics.md).
  FailureOr<Value> lowerFloat() {
    Type actElement = op_.getInput().getType().getElementType();
    Type weightElement = op_.getWeight().getType().getElementType();
    Value x = t_.reshape(op_.getInput(), {1, m_, k_});
    if (x.getType() != RankedTensorType::get({1, m_, k_}, weightElement))
      x = t_.castTo(x, weightElement);
    Value acc = t_.matmul(x, transposedWeight(weightElement), 0, 0, b_.getF32Type());
    acc = finishFloat(acc);
    if (weightElement.isF16())
      acc = t_.castTo(acc, b_.getF16Type());
    if (!actElement.isF16() && weightElement.isF16())
      acc = t_.castTo(acc, actElement);
    return t_.reshape(acc, {m_, n_});
  }

  /// Static int8 activation of `input` under `params`: clamp(round(x·(1/s)) + zp).
  /// TOSA has no int32 clamp, so a RESCALE by exactly 1.0 (2^30·2^-30) adds the zero
  /// point and saturates to int8. The float clamp to ±256 before the cast does not
  /// change the result (|zp| ≤ 128) and keeps the int32 values small.
  Value quantizeStatic(Value input, QuantParamsAttr params) {
    auto it = quantized_.find(input);
    if (it != quantized_.end() && it->second.params == params)
      return it->second.int8Value;
    MLIRContext *ctx = b_.getContext();
    Value x = t_.reshape(input, {1, m_, k_});
    float inverse = 1.0f / params.getScaleValue();
    x = t_.mul(x, t_.constant(f32Attr({1, 1, 1}, {inverse}, ctx)));
    x = t_.clampFloat(x, -256.0f, 256.0f);
    Value i = t_.castTo(x, b_.getI32Type());
    return t_.rescale(i, {int32_t(1) << 30}, {30}, params.getZeroPoint(),
                      b_.getI8Type());
  }

  /// pqs8_qc8w: int8 GEMM, int32 bias, per-channel TOSA RESCALE to int8, int8 clamp,
  /// then the float view (q − zp)·s of the result for float consumers.
  FailureOr<Value> lowerStatic() {
    MLIRContext *ctx = b_.getContext();
    QuantParamsAttr in = op_.getInputQuantAttr(), out = op_.getOutputQuantAttr();
    float sx = in.getScaleValue(), sy = out.getScaleValue();
    Value xq = quantizeStatic(op_.getInput(), in);
    Value acc = t_.matmul(xq, transposedWeight(b_.getI8Type()), in.getZeroPoint(), 0,
                          b_.getI32Type());
    SmallVector<int32_t> multipliers(n_);
    SmallVector<int8_t> shifts(n_);
    SmallVector<int32_t> biasQ(n_);
    for (int64_t c = 0; c < n_; ++c) {
      double accScale = static_cast<double>(sx) * scales_[c];
      FixedPointScale fixed;
      if (!computeFixedPointScale(accScale / sy, fixed))
        return op_.emitOpError()
               << "cannot represent the requantization scale " << accScale / sy
               << " of output channel " << c
               << " as a 31-bit multiplier with a shift in [2, 62]";
      multipliers[c] = fixed.multiplier;
      shifts[c] = fixed.shift;
      if (!bias_.empty()) {
        double q = std::nearbyint(bias_[c] / accScale);
        if (std::fabs(q) > 2147483647.0)
          return op_.emitOpError() << "quantized bias of output channel " << c
                                   << " does not fit in int32";
        biasQ[c] = static_cast<int32_t>(q);
      }
    }
    if (!bias_.empty())
      acc = t_.add(acc, t_.constant(i32Attr({1, 1, n_}, biasQ, ctx)));
    Value yq = t_.rescale(acc, multipliers, shifts, out.getZeroPoint(),
                                    b_.getI8Type());
    if (ClampAttr clamp = op_.getClampAttr()) {
      auto bound = [&](float v, int64_t fallback) {
        if (std::isinf(v))
          return fallback;
        double q = std::nearbyint(v / sy) + out.getZeroPoint();
        return static_cast<int64_t>(std::clamp(q, -128.0, 127.0));
      };
      yq = t_.clampInt(yq, bound(clamp.getMinValue(), -128),
                       bound(clamp.getMaxValue(), 127));
    }
    Value y = t_.castTo(yq, b_.getF32Type());
    y = t_.sub(y, t_.constant(f32Attr({1, 1, 1}, {float(out.getZeroPoint())}, ctx)));
    y = t_.mul(y, t_.constant(f32Attr({1, 1, 1}, {sy}, ctx)));
    Value result = t_.reshape(y, {m_, n_});
    quantized_[result] = {yq, out};
    return result;
  }

  /// qp8_f32_qc8w and qp8_f32_qb4w: dynamic per-row int8 activations (custom op),
  /// int8 GEMM without zero point, then the zero-point correction with the weight
  /// row sums and the float epilogue in numerics.md's order.
  FailureOr<Value> lowerDynamic() {
    MLIRContext *ctx = b_.getContext();
    Type i8 = b_.getI8Type(), i32 = b_.getI32Type(), f32 = b_.getF32Type();
    Value x = t_.reshape(op_.getInput(), {1, m_, k_});
    auto custom = tosa::CustomOp::create(
        b_,
        TypeRange{RankedTensorType::get({1, m_, k_}, i8),
                  RankedTensorType::get({1, m_, 1}, f32),
                  RankedTensorType::get({1, m_, 1}, i32)},
        kQuantizeRowsOp, kKilnDomain, /*implementation_attrs=*/"", ValueRange{x});
    Value xq = custom.getResult(0), sx = custom.getResult(1), zpx = custom.getResult(2);
    std::vector<int64_t> w = intValues(weight_);

    Value f;
    if (op_.getScheme().getKind() == SchemeKind::qp8_f32_qc8w) {
      Value acc = t_.matmul(xq, transposedWeight(i8), 0, 0, i32);
      SmallVector<int32_t> rowSums(n_, 0);
      for (int64_t c = 0; c < n_; ++c)
        for (int64_t i = 0; i < k_; ++i)
          rowSums[c] += static_cast<int32_t>(w[c * k_ + i]);
      Value corr = t_.mul(zpx, t_.constant(i32Attr({1, 1, n_}, rowSums, ctx)));
      f = t_.castTo(t_.sub(acc, corr), f32);
      f = t_.mul(f, t_.constant(f32Attr({1, 1, n_}, scales_, ctx)));
    } else {
      // K splits into G blocks of B; one int8 matmul per block, batched over G.
      int64_t block = op_.getScheme().getBlockSize(), g = k_ / block, n = n_;
      Value xg = t_.transpose(t_.reshape(xq, {m_, g, block}), {1, 0, 2});
      Value wg = t_.constant(relayout(weight_, i8, {g, block, n_},
                                      [&](int64_t row, int64_t col) {
                                        return col * n + row; // [j][b][n], k = j·B+b
                                      }));
      Value acc = t_.matmul(xg, wg, 0, 0, i32);
      SmallVector<int32_t> blockSums(g * n_, 0);
      SmallVector<float> blockScales(g * n_);
      for (int64_t c = 0; c < n_; ++c)
        for (int64_t j = 0; j < g; ++j) {
          for (int64_t i = 0; i < block; ++i)
            blockSums[j * n_ + c] += static_cast<int32_t>(w[c * k_ + j * block + i]);
          blockScales[j * n_ + c] = scales_[c * g + j];
        }
      Value corr = t_.mul(zpx, t_.constant(i32Attr({g, 1, n_}, blockSums, ctx)));
      f = t_.castTo(t_.sub(acc, corr), f32);
      f = t_.mul(f, t_.constant(f32Attr({g, 1, n_}, blockScales, ctx)));
      // TOSA's REDUCE_SUM adds in index order from 0: the ascending block order.
      f = t_.reduceSum(f, 0);
    }
    f = t_.mul(f, sx);
    return t_.reshape(finishFloat(f), {m_, n_});
  }

  LinearOp op_;
  ImplicitLocOpBuilder &b_;
  TosaBuilder t_;
  llvm::DenseMap<Value, QuantizedValue> &quantized_;
  int64_t m_, k_, n_;
  DenseElementsAttr weight_;
  std::vector<float> bias_;
  std::vector<float> scales_;
};

struct LowerToTosaPass : impl::KilnLowerToTosaBase<LowerToTosaPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    bool usesIntegers = false, failedAny = false;
    llvm::DenseMap<Value, QuantizedValue> quantized;
    // Program order, so a static layer finds the int8 output of the layer before.
    module.walk([&](LinearOp op) {
      usesIntegers |= op.getScheme().getKind() != SchemeKind::pf32 &&
                      op.getScheme().getKind() != SchemeKind::pf16;
      ImplicitLocOpBuilder b(op.getLoc(), op);
      failedAny |= failed(LayerLowering(op, b, quantized).run());
    });
    if (failedAny)
      return signalPassFailure();
    attachTarget(module, usesIntegers);
  }

  /// Records the TOSA 1.0 profiles the lowered ops need, so that strict validation
  /// checks against exactly them. Integer schemes also use float ops (activation
  /// quantization, the fp32 epilogue), so they need both profiles.
  void attachTarget(ModuleOp module, bool usesIntegers) {
    if (module->hasAttr(tosa::TargetEnvAttr::name))
      return;
    SmallVector<tosa::Profile> profiles = {tosa::Profile::pro_fp};
    if (usesIntegers)
      profiles.insert(profiles.begin(), tosa::Profile::pro_int);
    module->setAttr(tosa::TargetEnvAttr::name,
                    tosa::TargetEnvAttr::get(&getContext(),
                                             tosa::SpecificationVersion::V_1_0,
                                             tosa::Level::eightK, profiles, {}));
  }
};

} // namespace
} // namespace kiln
