//===- GemmPatterns.cpp - tosa.matmul + epilogue -> one GEMM kernel -------===//
//
// The TOSA shapes of a linear layer that the kernels implement (docs/codegen.md):
//   float    matmul(f32|f16) [-> add bias] [-> clamp] [-> cast f16 (pf16)]
//   dynamic  quantize_rows -> matmul i8 -> sub(zp * wsum) -> cast f32 -> mul s_w
//            [-> reduce_sum over blocks (int4)] -> mul s_x [-> add bias] [-> clamp]
//   static   matmul i8 (zp_x) [-> add bias i32] -> rescale [-> clamp i8]
//   conv     conv2d 1x1 (stride 1, no padding) of f32 or int8 [B,H,W,C] by a constant
//            [N,1,1,C] weight, with its bias operand: a GEMM with M = B*H*W, K = C,
//            then the float or static epilogue above (ExecuTorch-style exports)
// Weights are read from the matmul's constant RHS ([1,K,N], or [G,B,N] for blocks)
// or the convolution's [N,1,1,C] weight, and packed to the kernel layout of
// kiln/vgf/KernelDescriptor.h.
//
//===----------------------------------------------------------------------===//

#include "ConstantData.h"
#include "Formation.h"

#include "kiln/codegen/KernelModules.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"

#include <cstring>
#include <limits>

using namespace mlir;

namespace kiln::codegen::detail {
namespace {

template <typename T> std::vector<uint8_t> toBytes(const std::vector<T> &values) {
  std::vector<uint8_t> bytes(values.size() * sizeof(T));
  if (!values.empty())
    std::memcpy(bytes.data(), values.data(), bytes.size());
  return bytes;
}

/// [G, B, N] (matmul RHS, row-major) -> [N, G*B]: output channel major, K contiguous.
template <typename T, typename U>
std::vector<T> transposeToChannels(const std::vector<U> &in, int64_t groups, int64_t blockK,
                                   int64_t n) {
  int64_t k = groups * blockK;
  std::vector<T> out(static_cast<size_t>(n * k));
  for (int64_t g = 0; g < groups; ++g)
    for (int64_t b = 0; b < blockK; ++b)
      for (int64_t c = 0; c < n; ++c)
        out[c * k + g * blockK + b] = static_cast<T>(in[(g * blockK + b) * n + c]);
  return out;
}

/// Signed int4 values (already range-checked), two per byte, low nibble first.
std::vector<uint8_t> packNibbles(const std::vector<int8_t> &values) {
  std::vector<uint8_t> out(values.size() / 2);
  for (size_t j = 0; j < out.size(); ++j)
    out[j] = static_cast<uint8_t>((values[2 * j] & 0xF) | ((values[2 * j + 1] & 0xF) << 4));
  return out;
}

/// Matches one GEMM and records what it found; `fail` explains a mismatch.
class GemmMatcher {
public:
  GemmMatcher(GraphBuilder &builder, Operation *anchor) : builder_(builder), anchor_(anchor) {}

  LogicalResult run();

private:
  LogicalResult fail(const Twine &what) {
    return anchor_->emitError("cannot form a GEMM kernel from this ")
           << anchor_->getName() << ": " << what;
  }
  LogicalResult matchMatmul(tosa::MatMulOp matmul);
  LogicalResult matchConv(tosa::Conv2DOp conv);
  LogicalResult formFromLhs(Type lhsType, bool blocked);
  /// The packed [N,K] weights as T, from the [G,B,N] matmul RHS or the [N,1,1,C] kernel.
  template <typename T, typename U> std::vector<T> weightRows(const std::vector<U> &values) const {
    if (channelMajor_)
      return std::vector<T>(values.begin(), values.end());
    return transposeToChannels<T>(values, groups_, blockK_, n_);
  }
  LogicalResult formFloat(bool half);
  LogicalResult formDynamic(const RowQuantization &rows, bool blocked);
  LogicalResult formStatic();

  /// Optional `add` of a constant with N values (or one, broadcast) to `cur`.
  template <typename T> void matchBias(Value &cur, std::optional<std::vector<T>> &bias);
  /// The convolution's bias operand, or else an `add` after `cur` (matchBias).
  template <typename T> std::optional<std::vector<T>> takeBias(Value &cur) {
    std::optional<std::vector<T>> bias;
    if (biasOperand_)
      bias = channelConstant<T>(biasOperand_);
    else
      matchBias(cur, bias);
    return bias;
  }
  /// Optional float clamp after `cur`.
  void matchFloatClamp(Value &cur, vgf::GemmDesc &gemm);
  /// A constant operand with N values (or one, broadcast to N), read as T.
  template <typename T> std::optional<std::vector<T>> channelConstant(Value value);
  /// The other operand of a two-operand user of `cur` if that user is OpTy.
  template <typename OpTy> OpTy nextOp(Value cur) {
    return dyn_cast_or_null<OpTy>(soleUser(cur));
  }
  Kernel &emitKernel(vgf::GemmDesc gemm, Value result, ElementType resultType,
                     std::vector<KernelBinding> bindings);
  uint32_t constant(const char *role, ElementType type, std::vector<int64_t> shape,
                    std::vector<uint8_t> bytes) {
    return builder_.addConstant(pendingName_ + "." + role, type, std::move(shape),
                                std::move(bytes));
  }

  GraphBuilder &builder_;
  Operation *anchor_;
  Value lhsValue_, accumulator_, lhsZp_, weightZp_;
  /// A conv2d's bias operand (constant, N values or one); null for matmuls.
  Value biasOperand_;
  bool channelMajor_ = false; ///< weights already [N,K] (convolution)
  std::string pendingName_; ///< the kernel's name, known before it is appended
  uint32_t lhs_ = 0;
  int64_t groups_ = 1, blockK_ = 0, m_ = 0, n_ = 0, k_ = 0;
  ElementsAttr weights_;
};

LogicalResult GemmMatcher::matchMatmul(tosa::MatMulOp matmul) {
  lhsValue_ = matmul.getA();
  accumulator_ = matmul.getOutput();
  lhsZp_ = matmul.getAZp();
  weightZp_ = matmul.getBZp();
  auto a = cast<ShapedType>(matmul.getA().getType());
  auto b = cast<ShapedType>(matmul.getB().getType());
  if (!a.hasStaticShape() || !b.hasStaticShape())
    return fail("dynamic shapes are not supported");
  groups_ = b.getDimSize(0);
  blockK_ = b.getDimSize(1);
  n_ = b.getDimSize(2);
  m_ = a.getDimSize(1);
  k_ = groups_ * blockK_;
  weights_ = constantPayload(matmul.getB());
  if (!weights_)
    return fail("the weights (operand B) must be a tosa.const");
  if (!payloadAvailable(weights_))
    return fail("the weight constant's data is missing or shorter than its type");
  constexpr int64_t kMax = std::numeric_limits<int32_t>::max();
  if (m_ > kMax || n_ > kMax || k_ > kMax)
    return fail("a dimension exceeds 2^31-1");
  return success();
}

template <typename T> std::optional<std::vector<T>> GemmMatcher::channelConstant(Value value) {
  ElementsAttr attr = value ? constantPayload(value) : ElementsAttr();
  if (!attr || !payloadAvailable(attr))
    return std::nullopt;
  int64_t count = attr.getNumElements();
  if (count != n_ && count != 1)
    return std::nullopt;
  std::vector<T> out;
  if constexpr (std::is_floating_point_v<T>) {
    for (float v : readFloats(attr))
      out.push_back(v);
  } else {
    for (int64_t v : readIntegers(attr))
      out.push_back(static_cast<T>(v));
  }
  if (count == 1)
    out.assign(static_cast<size_t>(n_), out.front());
  return out;
}

template <typename T>
void GemmMatcher::matchBias(Value &cur, std::optional<std::vector<T>> &bias) {
  auto add = nextOp<tosa::AddOp>(cur);
  if (!add)
    return;
  bias = channelConstant<T>(otherOperand(add, cur));
  if (!bias)
    return;
  builder_.consume(add);
  cur = add.getOutput();
}

void GemmMatcher::matchFloatClamp(Value &cur, vgf::GemmDesc &gemm) {
  gemm.clampMin = -std::numeric_limits<float>::infinity();
  gemm.clampMax = std::numeric_limits<float>::infinity();
  auto clamp = nextOp<tosa::ClampOp>(cur);
  if (!clamp)
    return;
  auto lo = dyn_cast<FloatAttr>(clamp.getMinValAttr());
  auto hi = dyn_cast<FloatAttr>(clamp.getMaxValAttr());
  if (!lo || !hi)
    return;
  gemm.clampMin = static_cast<float>(lo.getValueAsDouble());
  gemm.clampMax = static_cast<float>(hi.getValueAsDouble());
  builder_.consume(clamp);
  cur = clamp.getOutput();
}

Kernel &GemmMatcher::emitKernel(vgf::GemmDesc gemm, Value result, ElementType resultType,
                                std::vector<KernelBinding> bindings) {
  gemm.m = static_cast<uint32_t>(m_);
  gemm.n = static_cast<uint32_t>(n_);
  gemm.k = static_cast<uint32_t>(k_);
  gemm.tiling = chooseGemmTiling(gemm);
  Kernel &kernel = builder_.addKernel("gemm", anchor_);
  kernel.descriptor.kind = vgf::KernelKind::Gemm;
  kernel.descriptor.gemm = gemm;
  uint32_t out = builder_.addResultTensor(result, resultType, kernel.name + ".y");
  bindings.push_back({0, lhs_});
  bindings.push_back({9, out});
  llvm::sort(bindings, [](const KernelBinding &a, const KernelBinding &b) {
    return a.binding < b.binding;
  });
  kernel.bindings = std::move(bindings);
  kernel.results = {out};
  return kernel;
}

LogicalResult GemmMatcher::formFloat(bool half) {
  if (groups_ != 1)
    return fail("a float matmul must have batch 1");
  if (uniformValue(lhsZp_) != 0.0 || uniformValue(weightZp_) != 0.0)
    return fail("float zero points must be 0");
  vgf::GemmDesc gemm;
  gemm.scheme = half ? vgf::GemmScheme::Pf16 : vgf::GemmScheme::Pf32;
  Value cur = accumulator_;
  std::optional<std::vector<float>> bias = takeBias<float>(cur);
  matchFloatClamp(cur, gemm);
  if (half) {
    auto round = nextOp<tosa::CastOp>(cur);
    if (!round || !getElementTypeOrSelf(round.getOutput().getType()).isF16())
      return fail("an fp16 matmul's f32 result must be rounded to f16 by a tosa.cast "
                  "after its bias and clamp");
    builder_.consume(round);
    cur = round.getOutput();
    builder_.markExactHalf(cur);
  }

  std::vector<KernelBinding> bindings;
  if (half)
    bindings.push_back({1, constant("weights", ElementType::F16, {n_, k_},
                                    toBytes(weightRows<uint16_t>(readHalfBits(weights_))))});
  else
    bindings.push_back({1, constant("weights", ElementType::F32, {n_, k_},
                                    toBytes(weightRows<float>(readFloats(weights_))))});
  if (bias) {
    gemm.hasBias = true;
    bindings.push_back({3, constant("bias", ElementType::F32, {n_}, toBytes(*bias))});
  }
  emitKernel(gemm, cur, ElementType::F32, std::move(bindings));
  return success();
}

LogicalResult GemmMatcher::formDynamic(const RowQuantization &rows, bool blocked) {
  if (uniformValue(lhsZp_) != 0.0 || uniformValue(weightZp_) != 0.0)
    return fail("a dynamically quantized matmul takes zero points 0 (the row zero point "
                "is applied by the correction term)");
  if (!blocked && groups_ != 1)
    return fail("a per-channel int8 matmul must have batch 1");
  Value cur = accumulator_;

  // iacc - zp[m] * wsum[n] (or per block).
  auto sub = nextOp<tosa::SubOp>(cur);
  auto correction = sub ? sub.getInput2().getDefiningOp<tosa::MulOp>() : nullptr;
  if (!sub || sub.getInput1() != cur || !correction)
    return fail("expected the zero-point correction 'sub(acc, mul(zero_point, weight_sums))'");
  Value zp = correction.getInput1(), sums = correction.getInput2();
  if (builder_.lookup(sums) == rows.zeroPoint)
    std::swap(zp, sums);
  ElementsAttr sumsAttr = constantPayload(sums);
  if (builder_.lookup(zp) != rows.zeroPoint || !sumsAttr || !payloadAvailable(sumsAttr) ||
      sumsAttr.getNumElements() != groups_ * n_)
    return fail("the correction must multiply the row zero points by constant weight sums "
                "with one value per output channel (and block)");
  auto toFloat = nextOp<tosa::CastOp>(sub.getOutput());
  auto mulW = toFloat ? nextOp<tosa::MulOp>(toFloat.getOutput()) : nullptr;
  ElementsAttr scalesAttr = mulW ? constantPayload(otherOperand(mulW, toFloat.getOutput()))
                                 : ElementsAttr();
  if (!scalesAttr || !payloadAvailable(scalesAttr) ||
      scalesAttr.getNumElements() != groups_ * n_)
    return fail("expected 'cast' to f32 and a 'mul' by constant weight scales (one per "
                "output channel and block)");
  cur = mulW.getOutput();
  for (Operation *op : {sub.getOperation(), correction.getOperation(), toFloat.getOperation(),
                        mulW.getOperation()})
    builder_.consume(op);
  if (blocked) {
    auto sum = nextOp<tosa::ReduceSumOp>(cur);
    if (!sum || sum.getAxis() != 0)
      return fail("expected 'reduce_sum' over the block axis 0 after the block scales");
    builder_.consume(sum);
    cur = sum.getOutput();
  }
  auto mulX = nextOp<tosa::MulOp>(cur);
  if (!mulX || builder_.lookup(otherOperand(mulX, cur)) != rows.scale)
    return fail("expected a 'mul' by the row scales of the quantize_rows op");
  builder_.consume(mulX);
  cur = mulX.getOutput();

  vgf::GemmDesc gemm;
  gemm.scheme = blocked ? vgf::GemmScheme::Qp8F32Qb4w : vgf::GemmScheme::Qp8F32Qc8w;
  std::optional<std::vector<float>> bias;
  matchBias(cur, bias);
  matchFloatClamp(cur, gemm);

  std::vector<int64_t> weights = readIntegers(weights_);
  std::vector<KernelBinding> bindings;
  std::vector<int8_t> channels = weightRows<int8_t>(weights);
  if (blocked) {
    if (blockK_ % 2 != 0)
      return fail("the block size must be even to pack int4 pairs");
    for (int64_t w : weights)
      if (w < -8 || w > 7)
        return fail("block-wise weights must be in the int4 range [-8, 7], found " +
                    Twine(w));
    gemm.blockSize = static_cast<uint32_t>(blockK_);
    bindings.push_back({1, constant("weights", ElementType::I8, {n_, k_ / 2},
                                    packNibbles(channels))});
  } else {
    bindings.push_back({1, constant("weights", ElementType::I8, {n_, k_}, toBytes(channels))});
  }
  // [G,1,N] constants -> [N,G].
  bindings.push_back({2, constant("weight_scales", ElementType::F32, {n_, groups_},
                                  toBytes(transposeToChannels<float>(readFloats(scalesAttr),
                                                                     groups_, 1, n_)))});
  bindings.push_back({4, constant("weight_sums", ElementType::I32, {n_, groups_},
                                  toBytes(transposeToChannels<int32_t>(
                                      readIntegers(sumsAttr), groups_, 1, n_)))});
  if (bias) {
    gemm.hasBias = true;
    bindings.push_back({3, constant("bias", ElementType::F32, {n_}, toBytes(*bias))});
  }
  bindings.push_back({5, rows.scale});
  bindings.push_back({6, rows.zeroPoint});
  emitKernel(gemm, cur, ElementType::F32, std::move(bindings));
  return success();
}

LogicalResult GemmMatcher::formStatic() {
  if (groups_ != 1)
    return fail("a static int8 matmul must have batch 1");
  std::optional<double> aZp = uniformValue(lhsZp_);
  if (!aZp || uniformValue(weightZp_) != 0.0)
    return fail("expected a constant input zero point and weight zero point 0 (symmetric "
                "weights)");
  vgf::GemmDesc gemm;
  gemm.scheme = vgf::GemmScheme::Pqs8Qc8w;
  gemm.lhsZeroPoint = static_cast<int32_t>(*aZp);
  Value cur = accumulator_;
  std::optional<std::vector<int32_t>> bias = takeBias<int32_t>(cur);
  auto rescale = nextOp<tosa::RescaleOp>(cur);
  if (!rescale)
    return fail("expected a tosa.rescale of the int32 accumulator");
  if (!rescale.getScale32() || rescale.getRoundingMode() != tosa::RoundingMode::SINGLE_ROUND ||
      rescale.getInputUnsigned() || rescale.getOutputUnsigned() ||
      uniformValue(rescale.getInputZp()) != 0.0 ||
      !getElementTypeOrSelf(rescale.getOutput().getType()).isInteger(8))
    return fail("the rescale must be scale32, SINGLE_ROUND, signed, input zero point 0, to "
                "int8 (DOUBLE_ROUND and other forms are not implemented by the kernels)");
  std::optional<std::vector<int32_t>> multipliers =
      channelConstant<int32_t>(rescale.getMultiplier());
  std::optional<std::vector<int32_t>> shifts = channelConstant<int32_t>(rescale.getShift());
  std::optional<double> outZp = uniformValue(rescale.getOutputZp());
  if (!multipliers || !shifts || !outZp)
    return fail("the rescale needs constant multipliers and shifts (per channel or per "
                "tensor) and a constant output zero point");
  builder_.consume(rescale);
  cur = rescale.getOutput();
  gemm.outZeroPoint = static_cast<int32_t>(*outZp);
  if (auto clamp = nextOp<tosa::ClampOp>(cur)) {
    auto lo = dyn_cast<IntegerAttr>(clamp.getMinValAttr());
    auto hi = dyn_cast<IntegerAttr>(clamp.getMaxValAttr());
    if (lo && hi) {
      gemm.outMin = static_cast<int32_t>(lo.getInt());
      gemm.outMax = static_cast<int32_t>(hi.getInt());
      builder_.consume(clamp);
      cur = clamp.getOutput();
    }
  }

  std::vector<KernelBinding> bindings;
  bindings.push_back({1, constant("weights", ElementType::I8, {n_, k_},
                                  toBytes(weightRows<int8_t>(readIntegers(weights_))))});
  if (bias) {
    gemm.hasBias = true;
    bindings.push_back({3, constant("bias", ElementType::I32, {n_}, toBytes(*bias))});
  }
  bindings.push_back({7, constant("multipliers", ElementType::I32, {n_}, toBytes(*multipliers))});
  bindings.push_back({8, constant("shifts", ElementType::I32, {n_}, toBytes(*shifts))});
  emitKernel(gemm, cur, ElementType::I8, std::move(bindings));
  return success();
}

LogicalResult GemmMatcher::matchConv(tosa::Conv2DOp conv) {
  lhsValue_ = conv.getInput();
  accumulator_ = conv.getOutput();
  lhsZp_ = conv.getInputZp();
  weightZp_ = conv.getWeightZp();
  biasOperand_ = conv.getBias();
  channelMajor_ = true;
  auto input = cast<ShapedType>(conv.getInput().getType());
  auto weight = cast<ShapedType>(conv.getWeight().getType());
  if (!input.hasStaticShape() || !weight.hasStaticShape())
    return fail("dynamic shapes are not supported");
  if (!isPointwiseConv(conv))
    return fail("only 1x1 convolutions with stride 1, dilation 1 and no padding are GEMMs");
  m_ = input.getDimSize(0) * input.getDimSize(1) * input.getDimSize(2);
  k_ = input.getDimSize(3);
  n_ = weight.getDimSize(0);
  blockK_ = k_;
  groups_ = 1;
  weights_ = constantPayload(conv.getWeight());
  if (!weights_)
    return fail("the weights must be a tosa.const");
  if (!payloadAvailable(weights_))
    return fail("the weight constant's data is missing or shorter than its type");
  ElementsAttr bias = constantPayload(biasOperand_);
  if (!bias || !payloadAvailable(bias) ||
      (bias.getNumElements() != n_ && bias.getNumElements() != 1))
    return fail("the bias must be a constant with one value per output channel (or one)");
  Type a = getElementTypeOrSelf(lhsValue_.getType());
  std::optional<uint32_t> lhsTensor = builder_.lookup(lhsValue_);
  if (!lhsTensor)
    return fail("its input has no kernel producer");
  lhs_ = *lhsTensor;
  if (a.isF32())
    return formFloat(/*half=*/false);
  if (a.isInteger(8))
    return formStatic();
  return fail("only f32 and int8 convolutions are GEMMs");
}

LogicalResult GemmMatcher::run() {
  pendingName_ = builder_.nextKernelName("gemm");
  if (auto conv = dyn_cast<tosa::Conv2DOp>(anchor_))
    return matchConv(conv);
  auto matmul = cast<tosa::MatMulOp>(anchor_);
  if (failed(matchMatmul(matmul)))
    return failure();
  Type a = getElementTypeOrSelf(matmul.getA().getType());
  Value lhs = matmul.getA();
  bool blocked = false;
  if (auto transpose = lhs.getDefiningOp<tosa::TransposeOp>()) {
    // qb4w: [1,M,K] -> reshape [M,G,B] -> transpose [G,M,B]. The reshape is a view,
    // so the transpose's input lives in the quantized activation tensor.
    if (transpose.getPerms() != ArrayRef<int32_t>{1, 0, 2})
      return fail("only the block transpose (perms 1,0,2) of int4 GEMMs is supported");
    builder_.consume(transpose);
    lhs = transpose.getInput1();
    blocked = true;
  }
  std::optional<uint32_t> lhsTensor = builder_.lookup(lhs);
  if (!lhsTensor)
    return fail("its input (operand A) has no kernel producer");
  lhs_ = *lhsTensor;
  if (groups_ > 1 && !blocked) {
    // With M = 1 canonicalization turns the block transpose into a reshape: [G,1,B]
    // has the row layout of [1,G*B], so the view is still the activation row.
    if (m_ != 1)
      return fail("batched matmuls are not supported (a block-wise int4 GEMM reads its "
                  "activations through the [M,G,B] -> [G,M,B] transpose)");
    blocked = true;
  }
  return formFromLhs(a, blocked);
}

LogicalResult GemmMatcher::formFromLhs(Type a, bool blocked) {
  if (a.isF32())
    return formFloat(/*half=*/false);
  if (a.isF16())
    return formFloat(/*half=*/true);
  if (a.isInteger(8)) {
    if (std::optional<RowQuantization> rows = builder_.rowQuantization(lhs_))
      return formDynamic(*rows, blocked);
    if (blocked)
      return fail("a blocked int8 matmul must read Kiln's quantize_rows output");
    return formStatic();
  }
  return fail("unsupported element type");
}

} // namespace

bool isPointwiseConv(tosa::Conv2DOp conv) {
  auto weight = cast<ShapedType>(conv.getWeight().getType());
  return weight.hasStaticShape() && weight.getDimSize(1) == 1 && weight.getDimSize(2) == 1 &&
         llvm::all_of(conv.getStride(), [](int64_t v) { return v == 1; }) &&
         llvm::all_of(conv.getDilation(), [](int64_t v) { return v == 1; }) &&
         llvm::all_of(conv.getPad(), [](int64_t v) { return v == 0; });
}

LogicalResult formGemm(GraphBuilder &builder, Operation *anchor) {
  return GemmMatcher(builder, anchor).run();
}

} // namespace kiln::codegen::detail
