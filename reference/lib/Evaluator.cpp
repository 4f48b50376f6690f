//===- Evaluator.cpp - walks a func.func of TOSA ops -----------------------===//
//
// The driver: checks the inputs against the function's signature, evaluates each
// op of the (single) block in program order through the op table, reports results
// to the observer, and collects the func.return operands.
//
//===----------------------------------------------------------------------===//

#include "kiln/reference/Evaluator.h"

#include "Ops.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"

#include <algorithm>

namespace kiln::ref {

using namespace mlir;

FailureOr<ElementType> elementTypeOf(Type type) {
  if (type.isF16())
    return ElementType::F16;
  if (type.isBF16())
    return ElementType::BF16;
  if (type.isF32())
    return ElementType::F32;
  if (type.isF64())
    return ElementType::F64;
  if (type.isIndex())
    return ElementType::Shape;
  auto intType = dyn_cast<IntegerType>(type);
  // TOSA 1.0 integers are signless; unsignedness is an attribute of RESCALE.
  if (!intType || intType.isUnsigned())
    return failure();
  switch (intType.getWidth()) {
  case 1: return ElementType::Bool;
  case 4: return ElementType::I4;
  case 8: return ElementType::I8;
  case 16: return ElementType::I16;
  case 32: return ElementType::I32;
  case 48: return ElementType::I48;
  case 64: return ElementType::I64;
  default: return failure();
  }
}

FailureOr<Tensor> tensorOfType(Type type) {
  if (auto shapeType = dyn_cast<tosa::shapeType>(type))
    return Tensor(ElementType::Shape, {shapeType.getRank()});
  auto ranked = dyn_cast<RankedTensorType>(type);
  if (!ranked || !ranked.hasStaticShape())
    return failure();
  FailureOr<ElementType> elementType = elementTypeOf(ranked.getElementType());
  if (failed(elementType))
    return failure();
  return Tensor(*elementType, std::vector<int64_t>(ranked.getShape().begin(), ranked.getShape().end()));
}

namespace {

const detail::OpTable &opTable() {
  static const detail::OpTable table = [] {
    detail::OpTable t;
    detail::registerDataOps(t);
    detail::registerElementwiseOps(t);
    detail::registerUnaryOps(t);
    detail::registerCastOp(t);
    detail::registerRescaleOp(t);
    detail::registerReduceOps(t);
    detail::registerContractionOps(t);
    detail::registerCustomOps(t);
    return t;
  }();
  return table;
}

std::string typeText(Type type) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << type;
  return s;
}

LogicalResult checkInputs(func::FuncOp func, ArrayRef<Tensor> inputs) {
  if (inputs.size() != func.getNumArguments())
    return func.emitError() << "expected " << func.getNumArguments() << " input(s) for @"
                            << func.getSymName() << ", got " << inputs.size();
  for (auto [index, arg] : llvm::enumerate(func.getArguments())) {
    FailureOr<Tensor> expected = tensorOfType(arg.getType());
    if (failed(expected))
      return func.emitError() << "argument " << index << " has type "
                              << typeText(arg.getType())
                              << ", which the reference evaluator does not support "
                                 "(expected a statically shaped tensor)";
    const Tensor &actual = inputs[index];
    if (actual.type() != expected->type() || actual.shape() != expected->shape())
      return func.emitError() << "argument " << index << ": expected tensor<"
                              << expected->typeString() << ">, got tensor<"
                              << actual.typeString() << ">";
  }
  return success();
}

} // namespace

FailureOr<std::vector<Tensor>> evaluate(func::FuncOp func, ArrayRef<Tensor> inputs,
                                        const EvalOptions &options) {
  if (func.isExternal())
    return func.emitError() << "cannot evaluate @" << func.getSymName()
                            << ": it has no body";
  if (!func.getBody().hasOneBlock())
    return func.emitError() << "expected a function body of one block, got "
                            << func.getBody().getBlocks().size();
  if (failed(checkInputs(func, inputs)))
    return failure();

  llvm::DenseMap<Value, Tensor> values;
  for (auto [arg, input] : llvm::zip(func.getArguments(), inputs))
    values[arg] = input;

  unsigned opIndex = 0;
  for (Operation &op : func.getBody().front()) {
    SmallVector<const Tensor *> operands;
    for (Value v : op.getOperands())
      operands.push_back(&values.find(v)->second);

    if (auto ret = dyn_cast<func::ReturnOp>(op)) {
      std::vector<Tensor> outputs;
      for (const Tensor *t : operands)
        outputs.push_back(*t);
      return outputs;
    }

    auto it = opTable().find(op.getName().getStringRef());
    if (it == opTable().end()) {
      std::vector<std::string> names;
      for (const auto &entry : opTable())
        names.push_back(entry.getKey().str());
      std::sort(names.begin(), names.end());
      InFlightDiagnostic diag = op.emitError()
                                << "unsupported op '" << op.getName()
                                << "': the reference evaluator implements ";
      llvm::interleaveComma(names, diag);
      return failure();
    }

    SmallVector<Tensor> results;
    for (auto [index, result] : llvm::enumerate(op.getResults())) {
      FailureOr<Tensor> t = tensorOfType(result.getType());
      if (failed(t))
        return op.emitOpError() << "result " << index << " has type "
                                << typeText(result.getType())
                                << ", which the reference evaluator does not support "
                                   "(expected a statically shaped tensor of a TOSA "
                                   "element type)";
      results.push_back(std::move(*t));
    }
    if (failed(it->second(&op, operands, results)))
      return failure();
    if (options.onResult)
      options.onResult(&op, opIndex, results);
    for (auto [value, tensor] : llvm::zip(op.getResults(), results))
      values[value] = std::move(tensor);
    ++opIndex;
  }
  return func.emitError() << "expected the body to end with func.return";
}

} // namespace kiln::ref
