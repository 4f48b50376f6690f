//===- FormKernels.cpp - TOSA function -> kernel graph --------------------===//
//
// Walks a TOSA function in order. Function arguments become input tensors;
// `tosa.matmul` anchors a GEMM kernel (GemmPatterns.cpp); Kiln's row quantization
// custom op, the static quantize sequence and the dequantize sequence become their
// own kernels; reshapes are views. Anything else is reported at its location: the
// generic (naive) path for other TOSA ops does not exist yet.
//
//===----------------------------------------------------------------------===//

#include "ConstantData.h"
#include "Formation.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

using namespace mlir;

namespace kiln::codegen {
namespace detail {

uint32_t GraphBuilder::addTensor(std::string name, ElementType type, std::vector<int64_t> shape,
                                 vgf::ResourceCategory category) {
  GraphTensor tensor;
  tensor.name = std::move(name);
  tensor.type = type;
  tensor.shape = std::move(shape);
  tensor.category = category;
  graph_.tensors.push_back(std::move(tensor));
  return static_cast<uint32_t>(graph_.tensors.size() - 1);
}

uint32_t GraphBuilder::addConstant(std::string name, ElementType type, std::vector<int64_t> shape,
                                   std::vector<uint8_t> bytes) {
  uint32_t index = addTensor(std::move(name), type, std::move(shape), vgf::ResourceCategory::Constant);
  graph_.tensors[index].data = std::make_shared<const std::vector<uint8_t>>(std::move(bytes));
  return index;
}

uint32_t GraphBuilder::addResultTensor(Value value, ElementType type, const std::string &name) {
  auto shape = cast<ShapedType>(value.getType()).getShape();
  uint32_t index = addTensor(name, type, std::vector<int64_t>(shape.begin(), shape.end()),
                             vgf::ResourceCategory::Intermediate);
  bind(value, index);
  return index;
}

std::optional<uint32_t> GraphBuilder::lookup(Value value) const {
  auto it = tensors_.find(value);
  if (it == tensors_.end())
    return std::nullopt;
  return it->second;
}

std::string GraphBuilder::nextKernelName(llvm::StringRef prefix) const {
  auto it = kernelCounts_.find(prefix);
  return (prefix + "_" + Twine(it == kernelCounts_.end() ? 0 : it->second)).str();
}

Kernel &GraphBuilder::addKernel(const char *prefix, Operation *anchor) {
  Kernel kernel;
  kernel.name = nextKernelName(prefix);
  ++kernelCounts_[prefix];
  kernel.location = locationText(anchor->getLoc());
  graph_.kernels.push_back(std::move(kernel));
  return graph_.kernels.back();
}

std::optional<RowQuantization> GraphBuilder::rowQuantization(uint32_t tensor) const {
  auto it = rowQuant_.find(tensor);
  if (it == rowQuant_.end())
    return std::nullopt;
  return it->second;
}

Operation *soleUser(Value value) {
  if (!value.hasOneUse())
    return nullptr;
  return *value.getUsers().begin();
}

Value otherOperand(Operation *op, Value value) {
  if (!op || op->getNumOperands() < 2)
    return nullptr;
  if (op->getOperand(0) == value)
    return op->getOperand(1);
  if (op->getOperand(1) == value)
    return op->getOperand(0);
  return nullptr;
}

std::string locationText(Location loc) {
  if (auto file = dyn_cast<FileLineColLoc>(loc))
    return (file.getFilename().getValue() + ":" + Twine(file.getLine()) + ":" +
            Twine(file.getColumn()))
        .str();
  std::string text;
  llvm::raw_string_ostream os(text);
  loc.print(os);
  return text;
}

std::optional<ElementType> elementTypeOf(Type type) {
  Type element = getElementTypeOrSelf(type);
  if (element.isF32())
    return ElementType::F32;
  if (element.isF16())
    return ElementType::F16;
  if (element.isInteger(8))
    return ElementType::I8;
  if (element.isInteger(32))
    return ElementType::I32;
  return std::nullopt;
}

namespace {

int64_t elementCount(Value value) { return cast<ShapedType>(value.getType()).getNumElements(); }

/// The tensor `value` lives in, or an error on `user` that names the missing producer.
FailureOr<uint32_t> operandTensor(GraphBuilder &builder, Operation *user, Value value) {
  if (auto tensor = builder.lookup(value))
    return *tensor;
  if (constantPayload(value))
    return user->emitError("a constant operand of '")
           << user->getName() << "' is not supported by the kernel backends (only as part "
           << "of a linear-layer or quantization pattern)";
  return user->emitError("operand of '") << user->getName() << "' has no kernel producer";
}

/// Kiln's dynamic row quantization: f32 [.., M, K] -> i8, scale f32 [.., M, 1],
/// zero point i32 [.., M, 1].
LogicalResult formQuantizeRows(GraphBuilder &builder, tosa::CustomOp op) {
  if (op.getDomainName() != "kiln" || op.getOperatorName() != "quantize_rows_qai8dx")
    return op.emitError("custom op '")
           << op.getDomainName() << "." << op.getOperatorName()
           << "' is not supported (Kiln implements kiln.quantize_rows_qai8dx)";
  if (op.getInputList().size() != 1 || op.getOutputList().size() != 3)
    return op.emitError("kiln.quantize_rows_qai8dx expects 1 input and 3 results");
  Value input = op.getInputList()[0];
  auto inputType = cast<ShapedType>(input.getType());
  FailureOr<uint32_t> in = operandTensor(builder, op, input);
  if (failed(in))
    return failure();
  int64_t k = inputType.getShape().back();
  int64_t m = inputType.getNumElements() / k;

  Kernel &kernel = builder.addKernel("quantize_rows", op);
  uint32_t q = builder.addResultTensor(op.getResult(0), ElementType::I8, kernel.name + ".x_q");
  uint32_t scale =
      builder.addResultTensor(op.getResult(1), ElementType::F32, kernel.name + ".scale");
  uint32_t zp =
      builder.addResultTensor(op.getResult(2), ElementType::I32, kernel.name + ".zero_point");
  kernel.descriptor.kind = vgf::KernelKind::QuantizeRows;
  kernel.descriptor.quantizeRows.m = static_cast<uint32_t>(m);
  kernel.descriptor.quantizeRows.k = static_cast<uint32_t>(k);
  kernel.bindings = {{0, *in}, {1, q}, {2, scale}, {3, zp}};
  kernel.results = {q, scale, zp};
  builder.setRowQuantization(q, {scale, zp, op.getResult(1), op.getResult(2)});
  return success();
}

/// Whether `rescale` is the unit RESCALE (multiplier 2^30, shift 30, input zero point
/// 0, per tensor, SINGLE_ROUND) the lowering uses to add a zero point and saturate.
bool isUnitRescale(tosa::RescaleOp rescale) {
  return !rescale.getPerChannel() && rescale.getScale32() &&
         rescale.getRoundingMode() == tosa::RoundingMode::SINGLE_ROUND &&
         !rescale.getInputUnsigned() && !rescale.getOutputUnsigned() &&
         uniformValue(rescale.getMultiplier()) == double(1 << 30) &&
         uniformValue(rescale.getShift()) == 30.0 && uniformValue(rescale.getInputZp()) == 0.0;
}

/// Static quantization: mul(x, 1/s) -> clamp(+-256) -> cast i32 -> unit rescale + zp.
/// Returns failure() without a diagnostic when `mul` does not start this pattern.
FailureOr<bool> formQuantizeStatic(GraphBuilder &builder, tosa::MulOp mul) {
  Value x = mul.getInput1();
  std::optional<double> inv = uniformValue(mul.getInput2());
  if (!inv || !getElementTypeOrSelf(x.getType()).isF32())
    return false;
  auto clamp = dyn_cast_or_null<tosa::ClampOp>(soleUser(mul.getOutput()));
  auto toInt = clamp ? dyn_cast_or_null<tosa::CastOp>(soleUser(clamp.getOutput())) : nullptr;
  auto rescale = toInt ? dyn_cast_or_null<tosa::RescaleOp>(soleUser(toInt.getOutput())) : nullptr;
  if (!rescale || !getElementTypeOrSelf(rescale.getOutput().getType()).isInteger(8))
    return false;
  auto lo = dyn_cast<FloatAttr>(clamp.getMinValAttr());
  auto hi = dyn_cast<FloatAttr>(clamp.getMaxValAttr());
  if (!lo || !hi || lo.getValueAsDouble() != -256.0 || hi.getValueAsDouble() != 256.0 ||
      !isUnitRescale(rescale))
    return false;
  std::optional<double> zp = uniformValue(rescale.getOutputZp());
  if (!zp)
    return false;
  FailureOr<uint32_t> in = operandTensor(builder, mul, x);
  if (failed(in))
    return failure();

  Kernel &kernel = builder.addKernel("quantize", mul);
  uint32_t out = builder.addResultTensor(rescale.getOutput(), ElementType::I8, kernel.name + ".x_q");
  kernel.descriptor.kind = vgf::KernelKind::QuantizeStatic;
  kernel.descriptor.quantize.count = static_cast<uint32_t>(elementCount(x));
  kernel.descriptor.quantize.invScale = static_cast<float>(*inv);
  kernel.descriptor.quantize.zeroPoint = static_cast<int32_t>(*zp);
  kernel.bindings = {{0, *in}, {1, out}};
  kernel.results = {out};
  for (Operation *op : {clamp.getOperation(), toInt.getOperation(), rescale.getOperation()})
    builder.consume(op);
  return true;
}

/// Dequantization: cast i8 -> f32, sub zp, mul scale (both uniform constants).
FailureOr<bool> formDequantize(GraphBuilder &builder, tosa::CastOp cast) {
  Value x = cast.getInput();
  if (!getElementTypeOrSelf(x.getType()).isInteger(8) ||
      !getElementTypeOrSelf(cast.getOutput().getType()).isF32())
    return false;
  auto sub = dyn_cast_or_null<tosa::SubOp>(soleUser(cast.getOutput()));
  auto mul = sub ? dyn_cast_or_null<tosa::MulOp>(soleUser(sub.getOutput())) : nullptr;
  if (!mul || sub.getInput1() != cast.getOutput())
    return false;
  std::optional<double> zp = uniformValue(sub.getInput2());
  std::optional<double> scale = uniformValue(otherOperand(mul, sub.getOutput()));
  if (!zp || !scale || *zp != std::nearbyint(*zp))
    return false;
  FailureOr<uint32_t> in = operandTensor(builder, cast, x);
  if (failed(in))
    return failure();

  Kernel &kernel = builder.addKernel("dequantize", cast);
  uint32_t out = builder.addResultTensor(mul.getOutput(), ElementType::F32, kernel.name + ".y");
  kernel.descriptor.kind = vgf::KernelKind::Dequantize;
  kernel.descriptor.dequantize.count = static_cast<uint32_t>(elementCount(x));
  kernel.descriptor.dequantize.zeroPoint = static_cast<int32_t>(*zp);
  kernel.descriptor.dequantize.scale = static_cast<float>(*scale);
  kernel.bindings = {{0, *in}, {1, out}};
  kernel.results = {out};
  builder.consume(sub);
  builder.consume(mul);
  return true;
}

/// Casts that move values between f16 and their widened f32 storage: f32 -> f16 is a
/// view when every user is an fp16 matmul (which rounds on load); f16 -> f32 is a view
/// of an exactly representable fp16 result.
FailureOr<bool> formHalfView(GraphBuilder &builder, tosa::CastOp cast) {
  Type from = getElementTypeOrSelf(cast.getInput().getType());
  Type to = getElementTypeOrSelf(cast.getOutput().getType());
  std::optional<uint32_t> tensor = builder.lookup(cast.getInput());
  if (!tensor)
    return false;
  if (from.isF32() && to.isF16()) {
    for (Operation *user : cast.getOutput().getUsers())
      if (!isa<tosa::MatMulOp>(user) && !isa<tosa::ReshapeOp>(user))
        return false;
    builder.bind(cast.getOutput(), *tensor);
    return true;
  }
  if (from.isF16() && to.isF32() && builder.isExactHalf(cast.getInput())) {
    builder.bind(cast.getOutput(), *tensor);
    return true;
  }
  return false;
}

} // namespace

LogicalResult unsupported(Operation *op) {
  return op->emitError("'") << op->getName()
                            << "' is not part of a pattern the kernel backends implement (a "
                               "linear layer, Kiln's quantization or a reshape) and not a TOSA op "
                               "the generic path could compile";
}

namespace {

LogicalResult formOp(GraphBuilder &builder, Operation *op) {
  return llvm::TypeSwitch<Operation *, LogicalResult>(op)
      .Case<tosa::ConstOp, tosa::ConstShapeOp>([](auto) { return success(); })
      .Case<tosa::ReshapeOp>([&](tosa::ReshapeOp reshape) -> LogicalResult {
        // qb4w's [1,M,K] -> [M,G,B] reshape is read through by its transpose.
        auto tensor = builder.lookup(reshape.getInput1());
        if (!tensor)
          return operandTensor(builder, op, reshape.getInput1());
        builder.bind(reshape.getOutput(), *tensor);
        if (builder.isExactHalf(reshape.getInput1()))
          builder.markExactHalf(reshape.getOutput());
        return success();
      })
      .Case<tosa::TransposeOp>([&](tosa::TransposeOp transpose) -> LogicalResult {
        // Only the block transpose of the int4 GEMM pattern, which formGemm reads.
        if (isa_and_nonnull<tosa::MatMulOp>(soleUser(transpose.getOutput()))) {
          builder.defer(op);
          return success();
        }
        return formGeneric(builder, op);
      })
      .Case<tosa::MatMulOp>([&](auto) { return formGemm(builder, op); })
      .Case<tosa::Conv2DOp>([&](tosa::Conv2DOp conv) {
        return isPointwiseConv(conv) ? formGemm(builder, op) : formGeneric(builder, op);
      })
      .Case<tosa::CustomOp>([&](tosa::CustomOp custom) { return formQuantizeRows(builder, custom); })
      .Case<tosa::MulOp>([&](tosa::MulOp mul) -> LogicalResult {
        // A zero-point correction term may precede its matmul; the GEMM takes it.
        auto sub = dyn_cast_or_null<tosa::SubOp>(soleUser(mul.getOutput()));
        if (sub && sub.getInput1().getDefiningOp<tosa::MatMulOp>()) {
          builder.defer(op);
          return success();
        }
        FailureOr<bool> formed = formQuantizeStatic(builder, mul);
        if (failed(formed))
          return failure();
        return *formed ? success() : formGeneric(builder, op);
      })
      .Case<tosa::CastOp>([&](tosa::CastOp cast) -> LogicalResult {
        FailureOr<bool> formed = formDequantize(builder, cast);
        if (succeeded(formed) && !*formed)
          formed = formHalfView(builder, cast);
        if (failed(formed))
          return failure();
        return *formed ? success() : formGeneric(builder, op);
      })
      .Default([&](Operation *) {
        if (op->getDialect() && op->getDialect()->getNamespace() == "tosa")
          return formGeneric(builder, op);
        return unsupported(op);
      });
}

LogicalResult bindArguments(GraphBuilder &builder, func::FuncOp func) {
  for (BlockArgument arg : func.getArguments()) {
    std::optional<ElementType> type = elementTypeOf(arg.getType());
    auto shaped = dyn_cast<RankedTensorType>(arg.getType());
    if (!type || !shaped || !shaped.hasStaticShape() || *type == ElementType::F16)
      return func.emitError("argument ")
             << arg.getArgNumber() << " of type " << arg.getType()
             << " is not supported: kernel backends take static f32, i8 or i32 tensors";
    uint32_t index = builder.addTensor("input_" + std::to_string(arg.getArgNumber()), *type,
                                       std::vector<int64_t>(shaped.getShape().begin(),
                                                            shaped.getShape().end()),
                                       vgf::ResourceCategory::Input);
    builder.bind(arg, index);
    builder.graph().inputs.push_back(index);
  }
  return success();
}

LogicalResult bindResults(GraphBuilder &builder, func::ReturnOp ret) {
  KernelGraph &graph = builder.graph();
  for (auto [i, value] : llvm::enumerate(ret.getOperands())) {
    std::optional<uint32_t> tensor = builder.lookup(value);
    if (!tensor)
      return ret.emitError("result ") << i << " has no kernel producer";
    GraphTensor &t = graph.tensors[*tensor];
    if (t.category != vgf::ResourceCategory::Intermediate)
      return ret.emitError("result ")
             << i << " is a function argument or another result; every result must be "
             << "computed by a kernel";
    if (getElementTypeOrSelf(value.getType()).isF16())
      return ret.emitError("result ") << i << " is f16; kernel backends return f32 (cast it)";
    t.category = vgf::ResourceCategory::Output;
    t.name = "output_" + std::to_string(i);
    // The interface shape, not the shape of the (reshaped) value the kernel wrote.
    auto shape = cast<ShapedType>(value.getType()).getShape();
    t.shape.assign(shape.begin(), shape.end());
    graph.outputs.push_back(*tensor);
  }
  return success();
}

} // namespace
} // namespace detail

Expected<KernelGraph> formKernels(func::FuncOp func) {
  KernelGraph graph;
  detail::GraphBuilder builder(graph);
  std::string firstError;
  ScopedDiagnosticHandler capture(func.getContext(), [&](Diagnostic &diag) {
    if (diag.getSeverity() == DiagnosticSeverity::Error && firstError.empty())
      firstError = detail::locationText(diag.getLocation()) + ": " + diag.str();
    return failure(); // still reported to the outer handler
  });
  if (!func.getBody().hasOneBlock())
    return invalidArgument("kernel formation: expected a function with one block");
  if (failed(detail::bindArguments(builder, func)))
    return invalidArgument(firstError);
  for (Operation &op : func.getBody().front()) {
    if (auto ret = dyn_cast<func::ReturnOp>(op)) {
      if (failed(detail::bindResults(builder, ret)))
        return invalidArgument(firstError);
      continue;
    }
    if (builder.isConsumed(&op))
      continue;
    if (failed(detail::formOp(builder, &op)))
      return invalidArgument(firstError);
  }
  for (Operation *op : builder.deferred())
    if (!builder.isConsumed(op) && failed(detail::unsupported(op)))
      return invalidArgument(firstError);
  return graph;
}

} // namespace kiln::codegen
