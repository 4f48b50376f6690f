//===- TosaFlatbufferExport.cpp - MLIR TOSA dialect -> .tosa ---------------===//
//
// The inverse of TosaFlatbufferImport.cpp: one region and one basic block named
// after the function, tensors named input-<i> (arguments), const-<i> (constants) and
// layer-<i> (everything else), operators in program order.
//
//===----------------------------------------------------------------------===//

#include "kiln/import/TosaFlatbuffer.h"

#include "TosaFlatbufferFormat.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "llvm/ADT/DenseMap.h"

using namespace mlir;
namespace fb = kiln::tosafb;

namespace kiln {

namespace {

using StringOffset = flatbuffers::Offset<flatbuffers::String>;

class Exporter {
public:
  FailureOr<std::vector<uint8_t>> run(func::FuncOp func);

private:
  /// Registers the tensor of `value` under a fresh name; constant data is attached
  /// by the caller through `data`.
  LogicalResult addTensor(Value value, std::string name, Operation *at,
                          const std::vector<uint8_t> *data = nullptr);
  FailureOr<std::pair<fb::Attribute, flatbuffers::Offset<void>>>
  attributeOf(Operation *op, fb::Op code);
  LogicalResult exportOp(Operation *op);

  flatbuffers::FlatBufferBuilder fbb;
  llvm::DenseMap<Value, std::string> names;
  std::vector<flatbuffers::Offset<fb::TosaTensor>> tensors;
  std::vector<flatbuffers::Offset<fb::TosaOperator>> operators;
  unsigned constCount = 0, layerCount = 0;
};

LogicalResult Exporter::addTensor(Value value, std::string name, Operation *at,
                                  const std::vector<uint8_t> *data) {
  std::vector<int32_t> shape;
  fb::DType dtype;
  if (auto shapeType = dyn_cast<tosa::shapeType>(value.getType())) {
    shape.push_back(shapeType.getRank());
    dtype = fb::DType_SHAPE;
  } else {
    auto type = dyn_cast<RankedTensorType>(value.getType());
    if (!type || !type.hasStaticShape())
      return at->emitError() << "cannot export " << value.getType()
                             << " to a TOSA flatbuffer: expected a statically shaped "
                                "ranked tensor";
    std::optional<fb::DType> mapped = fb::dtypeOf(type.getElementType());
    if (!mapped || *mapped == fb::DType_SHAPE)
      return at->emitError() << "cannot export element type " << type.getElementType()
                             << " to a TOSA flatbuffer";
    dtype = *mapped;
    for (int64_t dim : type.getShape())
      shape.push_back(int32_t(dim));
  }
  names[value] = name;
  tensors.push_back(fb::CreateTosaTensorDirect(fbb, name.c_str(), &shape, dtype, data));
  return success();
}

FailureOr<std::pair<fb::Attribute, flatbuffers::Offset<void>>>
Exporter::attributeOf(Operation *op, fb::Op code) {
  // Every operator carries its own (often empty) union member, as the reference
  // serializer writes it.
  auto type = fb::Attribute(code);
  auto nanMode = [](tosa::NanPropagationMode mode) {
    return fb::NanPropagationMode(uint32_t(mode));
  };
  flatbuffers::Offset<void> offset;
  if (auto clamp = dyn_cast<tosa::ClampOp>(op)) {
    auto scalar = [&](Attribute value) {
      auto scalarType = RankedTensorType::get({1}, cast<TypedAttr>(value).getType());
      return fb::encodeElements(DenseElementsAttr::get(scalarType, value));
    };
    std::vector<uint8_t> minVal = scalar(clamp.getMinValAttr());
    std::vector<uint8_t> maxVal = scalar(clamp.getMaxValAttr());
    offset = fb::CreateClampAttributeDirect(fbb, &minVal, &maxVal,
                                            nanMode(clamp.getNanMode()))
                 .Union();
  } else if (auto max = dyn_cast<tosa::MaximumOp>(op)) {
    offset = fb::CreateMaximumAttribute(fbb, nanMode(max.getNanMode())).Union();
  } else if (auto min = dyn_cast<tosa::MinimumOp>(op)) {
    offset = fb::CreateMinimumAttribute(fbb, nanMode(min.getNanMode())).Union();
  } else if (auto reduce = dyn_cast<tosa::ReduceMaxOp>(op)) {
    offset = fb::CreateReduceMaxAttribute(fbb, int32_t(reduce.getAxis()),
                                          nanMode(reduce.getNanMode()))
                 .Union();
  } else if (auto reduce = dyn_cast<tosa::ReduceMinOp>(op)) {
    offset = fb::CreateReduceMinAttribute(fbb, int32_t(reduce.getAxis()),
                                          nanMode(reduce.getNanMode()))
                 .Union();
  } else if (auto reduce = dyn_cast<tosa::ReduceSumOp>(op)) {
    offset = fb::CreateReduceSumAttribute(fbb, int32_t(reduce.getAxis())).Union();
  } else if (auto transpose = dyn_cast<tosa::TransposeOp>(op)) {
    std::vector<int32_t> perms(transpose.getPerms().begin(), transpose.getPerms().end());
    offset = fb::CreateTransposeAttributeDirect(fbb, &perms).Union();
  } else if (auto rescale = dyn_cast<tosa::RescaleOp>(op)) {
    offset = fb::CreateRescaleAttribute(
                 fbb, rescale.getScale32(),
                 fb::RoundingMode(uint32_t(rescale.getRoundingMode())),
                 rescale.getPerChannel(), rescale.getInputUnsigned(),
                 rescale.getOutputUnsigned())
                 .Union();
  } else if (auto conv = dyn_cast<tosa::Conv2DOp>(op)) {
    std::vector<int32_t> pad(conv.getPad().begin(), conv.getPad().end());
    std::vector<int32_t> stride(conv.getStride().begin(), conv.getStride().end());
    std::vector<int32_t> dilation(conv.getDilation().begin(), conv.getDilation().end());
    std::optional<fb::DType> accType = fb::dtypeOf(conv.getAccType());
    if (!accType)
      return op->emitError() << "cannot export acc_type " << conv.getAccType();
    offset = fb::CreateConv2dAttributeDirect(fbb, &pad, &stride, &dilation,
                                             conv.getLocalBound(), *accType)
                 .Union();
  } else if (auto custom = dyn_cast<tosa::CustomOp>(op)) {
    llvm::StringRef implementation = custom.getImplementationAttrs();
    std::vector<uint8_t> bytes(implementation.begin(), implementation.end());
    offset = fb::CreateCustomAttributeDirect(fbb, custom.getOperatorName().str().c_str(),
                                             custom.getDomainName().str().c_str(), &bytes)
                 .Union();
  } else {
    // Operators whose union member is an empty table: an empty table of any type has
    // the same bytes, so one builder serves them all.
    offset = fb::CreateAddAttribute(fbb).Union();
  }
  return std::pair(type, offset);
}

LogicalResult Exporter::exportOp(Operation *op) {
  std::optional<fb::Op> code = fb::opOfMlirName(op->getName().getStringRef());
  if (!code)
    return op->emitError() << "cannot export '" << op->getName()
                           << "' to a TOSA flatbuffer: Kiln has no flatbuffer operator "
                              "for it (docs/tosa-flatbuffer.md lists them)";
  std::vector<StringOffset> inputs, outputs;
  for (Value operand : op->getOperands())
    inputs.push_back(fbb.CreateString(names.lookup(operand)));

  if (*code == fb::Op_CONST || *code == fb::Op_CONST_SHAPE) {
    auto values = dyn_cast<DenseElementsAttr>(op->getAttr("values"));
    if (!values)
      return op->emitError() << "cannot export a constant whose values are not a dense "
                                "attribute (inline dense_resource blobs first)";
    std::vector<uint8_t> data = fb::encodeElements(values);
    if (failed(addTensor(op->getResult(0), "const-" + std::to_string(constCount++), op,
                         &data)))
      return failure();
  } else {
    for (Value result : op->getResults())
      if (failed(addTensor(result, "layer-" + std::to_string(layerCount++), op)))
        return failure();
  }
  for (Value result : op->getResults())
    outputs.push_back(fbb.CreateString(names.lookup(result)));

  auto attribute = attributeOf(op, *code);
  if (failed(attribute))
    return failure();
  operators.push_back(fb::CreateTosaOperatorDirect(fbb, *code, attribute->first,
                                                   attribute->second, &inputs, &outputs));
  return success();
}

FailureOr<std::vector<uint8_t>> Exporter::run(func::FuncOp func) {
  std::vector<StringOffset> blockInputs, blockOutputs;
  for (auto [index, arg] : llvm::enumerate(func.getArguments())) {
    if (failed(addTensor(arg, "input-" + std::to_string(index), func)))
      return failure();
    blockInputs.push_back(fbb.CreateString(names.lookup(arg)));
  }
  for (Operation &op : func.getBody().front()) {
    if (auto ret = dyn_cast<func::ReturnOp>(op)) {
      for (Value value : ret.getOperands())
        blockOutputs.push_back(fbb.CreateString(names.lookup(value)));
      continue;
    }
    if (failed(exportOp(&op)))
      return failure();
  }
  auto block = fb::CreateTosaBasicBlockDirect(fbb, func.getSymName().str().c_str(),
                                              &operators, &tensors, &blockInputs,
                                              &blockOutputs);
  std::vector<flatbuffers::Offset<fb::TosaBasicBlock>> blocks = {block};
  std::vector<flatbuffers::Offset<fb::TosaRegion>> regions = {
      fb::CreateTosaRegionDirect(fbb, "main", &blocks)};
  auto version = fb::CreateVersion(fbb, 1, 0, 0, /*_draft=*/false);
  fb::FinishTosaGraphBuffer(fbb, fb::CreateTosaGraphDirect(fbb, version, &regions));
  return std::vector<uint8_t>(fbb.GetBufferPointer(),
                              fbb.GetBufferPointer() + fbb.GetSize());
}

} // namespace

FailureOr<std::vector<uint8_t>> exportTosaFlatbuffer(ModuleOp module) {
  auto funcs = llvm::to_vector(module.getOps<func::FuncOp>());
  if (funcs.size() != 1)
    return module.emitError() << "expected exactly one function to export as a TOSA "
                                 "flatbuffer, got "
                              << funcs.size();
  if (!funcs[0].getBody().hasOneBlock())
    return funcs[0].emitError() << "expected a function with one block to export";
  return Exporter().run(funcs[0]);
}

} // namespace kiln
