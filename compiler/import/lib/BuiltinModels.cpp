#include "kiln/import/BuiltinModels.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Builders.h"

#include <cmath>
#include <random>

using namespace mlir;

namespace kiln {
namespace {

/// Uniform floats in [lo, hi) from mt19937, whose output sequence the C++ standard
/// fixes (std::uniform_real_distribution does not, so it is avoided).
class UniformGenerator {
public:
  explicit UniformGenerator(uint64_t seed) : engine_(static_cast<uint32_t>(seed)) {}
  float next(float lo, float hi) {
    float unit = static_cast<float>(engine_() >> 8) * 0x1p-24f;
    return lo + (hi - lo) * unit;
  }

private:
  std::mt19937 engine_;
};

Value constantF32(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                  ArrayRef<float> values) {
  auto type = RankedTensorType::get(shape, b.getF32Type());
  return tosa::ConstOp::create(b, loc, type, DenseElementsAttr::get(type, values));
}

/// One nn.Linear(k, n) with PyTorch's default init, applied to `x`.
Value addLinear(OpBuilder &b, Location loc, Value x, int64_t k, int64_t n,
                SchemeKind scheme, bool relu, StringRef name, UniformGenerator &gen) {
  float bound = 1.0f / std::sqrt(static_cast<float>(k));
  std::vector<float> weight(n * k), bias(n);
  for (float &w : weight)
    w = gen.next(-bound, bound);
  for (float &v : bias)
    v = gen.next(-bound, bound);
  Value w = constantF32(b, loc, {n, k}, weight);
  Value bi = constantF32(b, loc, {n}, bias);
  int64_t m = cast<RankedTensorType>(x.getType()).getDimSize(0);
  auto type = RankedTensorType::get({m, n}, b.getF32Type());
  MLIRContext *ctx = b.getContext();
  auto op = LinearOp::create(b, loc, type, x, w, bi, /*weight_scales=*/Value(),
                             SchemeAttr::get(ctx, scheme),
                             relu ? ClampAttr::get(ctx, APFloat(0.0f),
                                                   APFloat::getInf(APFloat::IEEEsingle()))
                                  : ClampAttr(),
                             QuantParamsAttr(), QuantParamsAttr(), b.getStringAttr(name));
  return op.getResult();
}

OwningOpRef<ModuleOp> buildChain(MLIRContext *context, StringRef modelName,
                                 ArrayRef<int64_t> sizes,
                                 const BuiltinModelOptions &options, bool mlpNames) {
  context->loadDialect<KilnDialect, func::FuncDialect, tosa::TosaDialect>();
  OpBuilder b(context);
  Location loc = b.getUnknownLoc();
  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  b.setInsertionPointToEnd(module->getBody());
  auto inType = RankedTensorType::get({options.batch, sizes.front()}, b.getF32Type());
  auto outType = RankedTensorType::get({options.batch, sizes.back()}, b.getF32Type());
  auto func = func::FuncOp::create(b, loc, "forward",
                                   b.getFunctionType({inType}, {outType}));
  b.setInsertionPointToStart(func.addEntryBlock());
  UniformGenerator gen(options.seed);
  Value x = func.getArgument(0);
  size_t layers = sizes.size() - 1;
  for (size_t i = 0; i < layers; ++i) {
    std::string name = mlpNames ? "layers." + std::to_string(i) : "linear";
    // Diagnostics about a layer point at it as "builtin:mlp:<layer number>".
    Location layerLoc = NameLoc::get(
        b.getStringAttr(name),
        FileLineColLoc::get(b.getStringAttr("builtin:" + modelName.str()), i + 1, 1));
    x = addLinear(b, layerLoc, x, sizes[i], sizes[i + 1], options.scheme,
                  /*relu=*/i + 1 < layers, name, gen);
  }
  func::ReturnOp::create(b, loc, x);
  return module;
}

} // namespace

std::string builtinModelNames() { return "demo-linear, mlp"; }

OwningOpRef<ModuleOp> buildBuiltinModel(MLIRContext *context, const std::string &name,
                                        const BuiltinModelOptions &options) {
  if (name == "demo-linear")
    return buildChain(context, name, {256, 256}, options, /*mlpNames=*/false);
  if (name == "mlp") {
    if (options.mlpSizes.size() < 2) {
      emitError(UnknownLoc::get(context))
          << "expected at least two MLP sizes (inputs, then each layer's outputs), got "
          << options.mlpSizes.size();
      return nullptr;
    }
    return buildChain(context, name, options.mlpSizes, options, /*mlpNames=*/true);
  }
  emitError(UnknownLoc::get(context))
      << "unknown model '" << name << "', expected one of " << builtinModelNames();
  return nullptr;
}

} // namespace kiln
