//===- TosaFlatbufferImport.cpp - .tosa -> MLIR TOSA dialect --------------===//
//
// Checks the buffer the way the VGF decoder does (size, identifier, FlatBuffers
// verifier, then semantics) before reading any field, then rebuilds the graph's one
// basic block as a func.func, operator by operator, resolving tensors by name.
//
//===----------------------------------------------------------------------===//

#include "kiln/import/TosaFlatbuffer.h"

#include "TosaFlatbufferFormat.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tosa/IR/TargetEnv.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/StringMap.h"

using namespace mlir;
namespace fb = kiln::tosafb;

namespace kiln {

namespace {

constexpr char kIdentifier[] = "TOSA";

/// "\"TOSA\"" with unprintable bytes as \xNN, for the identifier message.
std::string quoteBytes(llvm::ArrayRef<uint8_t> bytes) {
  std::string text = "\"";
  for (uint8_t byte : bytes) {
    if (byte >= 0x20 && byte < 0x7f && byte != '"' && byte != '\\') {
      text += char(byte);
    } else {
      char escaped[8];
      std::snprintf(escaped, sizeof(escaped), "\\x%02X", byte);
      text += escaped;
    }
  }
  return text + "\"";
}

class Importer {
public:
  Importer(llvm::StringRef bufferName, MLIRContext &context)
      : context(context), builder(&context),
        fileLoc(FileLineColLoc::get(&context, bufferName, 0, 0)) {}

  FailureOr<OwningOpRef<ModuleOp>> run(llvm::ArrayRef<uint8_t> bytes);

private:
  /// Every message starts with the file; positions follow in the text.
  InFlightDiagnostic error() { return emitError(fileLoc); }

  LogicalResult checkBuffer(llvm::ArrayRef<uint8_t> bytes);
  LogicalResult importBlock(const fb::TosaBasicBlock &block);
  FailureOr<Type> typeOf(const fb::TosaTensor &tensor, const Twine &where);
  const fb::TosaTensor *lookup(const flatbuffers::String *name, const Twine &where);
  using Names = flatbuffers::Vector<flatbuffers::Offset<flatbuffers::String>>;
  FailureOr<llvm::SmallVector<Value>> valuesOf(const Names *names, const std::string &where);
  LogicalResult importOperator(const fb::TosaOperator &op, unsigned index);
  FailureOr<NamedAttrList> attributesOf(const fb::TosaOperator &op, Type inputType,
                                        const Twine &where);
  DenseElementsAttr constantOf(const fb::TosaTensor &tensor, ShapedType type,
                               const Twine &where);
  void attachTarget(ModuleOp module);

  MLIRContext &context;
  OpBuilder builder;
  Location fileLoc;
  std::string blockName;
  llvm::StringMap<const fb::TosaTensor *> tensors;
  llvm::StringMap<Value> values;
};

LogicalResult Importer::checkBuffer(llvm::ArrayRef<uint8_t> bytes) {
  // The root offset (4 bytes) and the identifier (4 bytes) come first.
  if (bytes.size() < 8)
    return error() << "not a TOSA flatbuffer: expected at least 8 bytes, got "
                   << bytes.size();
  if (!isTosaFlatbuffer(bytes))
    return error() << "not a TOSA flatbuffer: expected file identifier \"" << kIdentifier
                   << "\" at bytes 4..7, got " << quoteBytes(bytes.slice(4, 4));
  flatbuffers::Verifier verifier(bytes.data(), bytes.size());
  if (!fb::VerifyTosaGraphBuffer(verifier))
    return error() << "corrupt TOSA flatbuffer: the FlatBuffers verifier rejected it "
                      "(truncated, or an offset points outside the "
                   << bytes.size() << "-byte buffer)";
  return success();
}

FailureOr<OwningOpRef<ModuleOp>> Importer::run(llvm::ArrayRef<uint8_t> bytes) {
  context.loadDialect<tosa::TosaDialect, func::FuncDialect>();
  if (failed(checkBuffer(bytes)))
    return failure();
  const fb::TosaGraph *graph = fb::GetTosaGraph(bytes.data());
  const fb::Version *version = graph->version();
  if (version->_major() != 1 || version->_minor() != 0)
    return error() << "unsupported TOSA version " << version->_major() << "."
                   << version->_minor() << "." << version->_patch()
                   << ", expected 1.0";
  // Control flow (COND_IF, WHILE_LOOP) is what needs more than one region or block.
  const auto *regions = graph->regions();
  size_t regionCount = regions ? regions->size() : 0;
  if (regionCount != 1)
    return error() << "expected one region, got " << regionCount
                   << " (control flow is not supported)";
  const auto *blocks = regions->Get(0)->blocks();
  size_t blockCount = blocks ? blocks->size() : 0;
  if (blockCount != 1)
    return error() << "expected one basic block in the region, got " << blockCount
                   << " (control flow is not supported)";

  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
  builder.setInsertionPointToEnd(module->getBody());
  if (failed(importBlock(*blocks->Get(0))))
    return failure();
  attachTarget(*module);
  if (failed(verify(*module)))
    return failure();
  return module;
}

const fb::TosaTensor *Importer::lookup(const flatbuffers::String *name,
                                       const Twine &where) {
  if (!name) {
    error() << where << ": missing tensor name";
    return nullptr;
  }
  auto it = tensors.find(name->string_view());
  if (it == tensors.end()) {
    error() << where << " names tensor '" << name->string_view()
            << "', which is not in the tensor list of block '" << blockName << "'";
    return nullptr;
  }
  return it->second;
}

/// The values `names` refer to (an operator's inputs, the block's outputs): each must
/// be in the block's tensor list and produced by an earlier operator or be an input.
FailureOr<llvm::SmallVector<Value>> Importer::valuesOf(const Names *names,
                                                       const std::string &where) {
  llvm::SmallVector<Value> result;
  if (!names)
    return result;
  for (auto [index, name] : llvm::enumerate(*names)) {
    std::string position = where + " " + std::to_string(index);
    if (!lookup(name, position))
      return failure();
    Value value = values.lookup(name->string_view());
    if (!value)
      return error() << position << ": tensor '" << name->string_view()
                     << "' is not produced by any earlier operator";
    result.push_back(value);
  }
  return result;
}

FailureOr<Type> Importer::typeOf(const fb::TosaTensor &tensor, const Twine &where) {
  llvm::StringRef name = tensor.name()->string_view();
  if (tensor.is_unranked() || tensor.variable() || tensor.offset() || tensor.size())
    return error() << where << ": tensor '" << name
                   << "' is unranked, a variable or stored outside the flatbuffer, "
                      "which Kiln does not support";
  llvm::SmallVector<int64_t> shape;
  // Bounds the element count so that sizes computed from it cannot overflow (a
  // corrupt shape must not make a wrong-sized data vector look right).
  constexpr int64_t kMaxElements = int64_t(1) << 32;
  int64_t elements = 1;
  if (tensor.shape())
    for (int32_t dim : *tensor.shape()) {
      if (dim < 0)
        return error() << where << ": tensor '" << name << "' has dynamic dimension "
                       << dim << "; Kiln needs static shapes";
      shape.push_back(dim);
      elements = dim == 0 ? 0 : std::min(elements * dim, kMaxElements + 1);
    }
  if (elements > kMaxElements)
    return error() << where << ": tensor '" << name << "' has more than " << kMaxElements
                   << " elements";
  if (tensor.type() == fb::DType_SHAPE) {
    if (shape.size() != 1)
      return error() << where << ": shape tensor '" << name
                     << "' must have rank 1, got rank " << shape.size();
    return Type(tosa::shapeType::get(&context, int(shape[0])));
  }
  Type elementType = fb::elementTypeOf(tensor.type(), &context);
  if (!elementType)
    return error() << where << ": tensor '" << name << "' has dtype "
                   << fb::EnumNameDType(tensor.type())
                   << ", which Kiln does not support";
  return Type(RankedTensorType::get(shape, elementType));
}

LogicalResult Importer::importBlock(const fb::TosaBasicBlock &block) {
  blockName = block.name() ? block.name()->str() : "main";
  if (block.tensors())
    for (const fb::TosaTensor *tensor : *block.tensors()) {
      if (!tensor->name())
        return error() << "block '" << blockName << "': a tensor has no name";
      if (!tensors.try_emplace(tensor->name()->string_view(), tensor).second)
        return error() << "block '" << blockName << "': tensor '"
                       << tensor->name()->string_view() << "' is listed twice";
    }

  llvm::SmallVector<Type> argTypes;
  llvm::SmallVector<llvm::StringRef> argNames;
  if (block.inputs())
    for (auto [index, name] : llvm::enumerate(*block.inputs())) {
      std::string where = "block '" + blockName + "' input " + std::to_string(index);
      const fb::TosaTensor *tensor = lookup(name, where);
      if (!tensor)
        return failure();
      FailureOr<Type> type = typeOf(*tensor, where);
      if (failed(type))
        return failure();
      argTypes.push_back(*type);
      argNames.push_back(name->string_view());
    }

  auto func = func::FuncOp::create(builder, fileLoc, blockName,
                                   builder.getFunctionType(argTypes, {}));
  Block *body = func.addEntryBlock();
  for (auto [name, arg] : llvm::zip(argNames, body->getArguments()))
    values[name] = arg;
  builder.setInsertionPointToEnd(body);

  if (block.operators())
    for (auto [index, op] : llvm::enumerate(*block.operators()))
      if (failed(importOperator(*op, index)))
        return failure();

  FailureOr<llvm::SmallVector<Value>> results =
      valuesOf(block.outputs(), "block '" + blockName + "' output");
  if (failed(results))
    return failure();
  func::ReturnOp::create(builder, fileLoc, *results);
  func.setFunctionType(builder.getFunctionType(argTypes, ValueRange(*results).getTypes()));
  return success();
}

DenseElementsAttr Importer::constantOf(const fb::TosaTensor &tensor, ShapedType type,
                                       const Twine &where) {
  if (!tensor.data()) {
    error() << where << ": constant tensor '" << tensor.name()->string_view()
            << "' has no data";
    return nullptr;
  }
  std::string problem;
  DenseElementsAttr values = fb::decodeElements(
      llvm::ArrayRef(tensor.data()->data(), tensor.data()->size()), type, problem);
  if (!values)
    error() << where << ": constant tensor '" << tensor.name()->string_view()
            << "' of type " << type << ": " << problem;
  return values;
}

FailureOr<NamedAttrList> Importer::attributesOf(const fb::TosaOperator &op, Type inputType,
                                                const Twine &where) {
  NamedAttrList attrs;
  auto nanMode = [&](fb::NanPropagationMode mode) -> LogicalResult {
    std::optional<tosa::NanPropagationMode> value =
        tosa::symbolizeNanPropagationMode(uint32_t(mode));
    if (!value)
      return error() << where << ": unknown nan_mode " << uint32_t(mode);
    attrs.set("nan_mode", tosa::NanPropagationModeAttr::get(&context, *value));
    return success();
  };
  auto missing = [&](llvm::StringRef attribute) {
    return error() << where << ": missing " << attribute;
  };

  switch (op.op()) {
  case fb::Op_CLAMP: {
    const fb::ClampAttribute *a = op.attribute_as_ClampAttribute();
    if (!a || !a->min_val() || !a->max_val())
      return missing("ClampAttribute min_val/max_val");
    if (!isa_and_nonnull<RankedTensorType>(inputType))
      return error() << where << ": expected a tensor input to take min_val/max_val from";
    auto scalarType = RankedTensorType::get({1}, getElementTypeOrSelf(inputType));
    for (auto [name, bytes] : {std::pair("min_val", a->min_val()),
                               std::pair("max_val", a->max_val())}) {
      std::string problem;
      DenseElementsAttr value = fb::decodeElements(
          llvm::ArrayRef(bytes->data(), bytes->size()), scalarType, problem);
      if (!value)
        return error() << where << ": " << name << ": " << problem;
      attrs.set(name, value.getSplatValue<Attribute>());
    }
    if (failed(nanMode(a->nan_mode())))
      return failure();
    break;
  }
  case fb::Op_MAXIMUM:
  case fb::Op_MINIMUM: {
    auto mode = op.op() == fb::Op_MAXIMUM
                    ? (op.attribute_as_MaximumAttribute()
                           ? op.attribute_as_MaximumAttribute()->nan_mode()
                           : fb::NanPropagationMode_PROPAGATE)
                    : (op.attribute_as_MinimumAttribute()
                           ? op.attribute_as_MinimumAttribute()->nan_mode()
                           : fb::NanPropagationMode_PROPAGATE);
    if (failed(nanMode(mode)))
      return failure();
    break;
  }
  case fb::Op_REDUCE_MAX:
  case fb::Op_REDUCE_MIN: {
    int32_t axis;
    fb::NanPropagationMode mode;
    if (op.op() == fb::Op_REDUCE_MAX) {
      const fb::ReduceMaxAttribute *a = op.attribute_as_ReduceMaxAttribute();
      if (!a)
        return missing("ReduceMaxAttribute");
      axis = a->axis();
      mode = a->nan_mode();
    } else {
      const fb::ReduceMinAttribute *a = op.attribute_as_ReduceMinAttribute();
      if (!a)
        return missing("ReduceMinAttribute");
      axis = a->axis();
      mode = a->nan_mode();
    }
    attrs.set("axis", builder.getI32IntegerAttr(axis));
    if (failed(nanMode(mode)))
      return failure();
    break;
  }
  case fb::Op_REDUCE_SUM: {
    const fb::ReduceSumAttribute *a = op.attribute_as_ReduceSumAttribute();
    if (!a)
      return missing("ReduceSumAttribute");
    attrs.set("axis", builder.getI32IntegerAttr(a->axis()));
    break;
  }
  case fb::Op_TRANSPOSE: {
    const fb::TransposeAttribute *a = op.attribute_as_TransposeAttribute();
    if (!a || !a->perms())
      return missing("TransposeAttribute perms");
    attrs.set("perms", builder.getDenseI32ArrayAttr(
                           llvm::SmallVector<int32_t>(a->perms()->begin(),
                                                      a->perms()->end())));
    break;
  }
  case fb::Op_RESCALE: {
    const fb::RescaleAttribute *a = op.attribute_as_RescaleAttribute();
    if (!a)
      return missing("RescaleAttribute");
    std::optional<tosa::RoundingMode> mode =
        tosa::symbolizeRoundingMode(uint32_t(a->rounding_mode()));
    if (!mode)
      return error() << where << ": unknown rounding_mode "
                     << uint32_t(a->rounding_mode());
    attrs.set("scale32", builder.getBoolAttr(a->scale32()));
    attrs.set("rounding_mode", tosa::RoundingModeAttr::get(&context, *mode));
    attrs.set("per_channel", builder.getBoolAttr(a->per_channel()));
    attrs.set("input_unsigned", builder.getBoolAttr(a->input_unsigned()));
    attrs.set("output_unsigned", builder.getBoolAttr(a->output_unsigned()));
    break;
  }
  case fb::Op_CONV2D: {
    const fb::Conv2dAttribute *a = op.attribute_as_Conv2dAttribute();
    if (!a || !a->pad() || !a->stride() || !a->dilation())
      return missing("Conv2dAttribute pad/stride/dilation");
    auto array = [&](const flatbuffers::Vector<int32_t> *v) {
      return builder.getDenseI64ArrayAttr(llvm::SmallVector<int64_t>(v->begin(), v->end()));
    };
    Type accType = fb::elementTypeOf(a->acc_type(), &context);
    if (!accType)
      return error() << where << ": acc_type " << fb::EnumNameDType(a->acc_type())
                     << " is not supported";
    attrs.set("pad", array(a->pad()));
    attrs.set("stride", array(a->stride()));
    attrs.set("dilation", array(a->dilation()));
    attrs.set("acc_type", TypeAttr::get(accType));
    attrs.set("local_bound", builder.getBoolAttr(a->local_bound()));
    break;
  }
  case fb::Op_CUSTOM: {
    const fb::CustomAttribute *a = op.attribute_as_CustomAttribute();
    if (!a || !a->operator_name() || !a->domain_name())
      return missing("CustomAttribute operator_name/domain_name");
    llvm::StringRef implementation;
    if (a->implementation_attrs())
      implementation = llvm::StringRef(
          reinterpret_cast<const char *>(a->implementation_attrs()->data()),
          a->implementation_attrs()->size());
    attrs.set("operator_name", builder.getStringAttr(a->operator_name()->string_view()));
    attrs.set("domain_name", builder.getStringAttr(a->domain_name()->string_view()));
    attrs.set("implementation_attrs", builder.getStringAttr(implementation));
    break;
  }
  default:
    break;
  }
  return attrs;
}

LogicalResult Importer::importOperator(const fb::TosaOperator &op, unsigned index) {
  const char *opName = fb::EnumNameOp(op.op());
  std::string where = "operator " + std::to_string(index) + " (" +
                      (*opName ? opName : "#" + std::to_string(uint32_t(op.op()))) +
                      ") in block '" + blockName + "'";
  llvm::StringRef mlirName = fb::mlirOpName(op.op());
  if (mlirName.empty())
    return error() << where << ": unsupported operator";
  // The union member must be the operator's own (the schema lists them in the same
  // order); NONE is accepted for operators without options.
  if (op.attribute_type() != fb::Attribute_NONE &&
      uint32_t(op.attribute_type()) != uint32_t(op.op())) {
    const char *attrName = uint32_t(op.attribute_type()) <= fb::Attribute_MAX
                               ? fb::EnumNameAttribute(op.attribute_type())
                               : "";
    return error() << where << ": attribute type " << uint32_t(op.attribute_type())
                   << (*attrName ? " (" + std::string(attrName) + ")" : std::string())
                   << " does not belong to the operator, expected "
                   << fb::EnumNameAttribute(fb::Attribute(op.op())) << " ("
                   << uint32_t(op.op()) << ")";
  }

  FailureOr<llvm::SmallVector<Value>> inputs = valuesOf(op.inputs(), where + " input");
  if (failed(inputs))
    return failure();
  llvm::SmallVector<Value> operands = std::move(*inputs);

  llvm::SmallVector<Type> resultTypes;
  llvm::SmallVector<const fb::TosaTensor *> outputs;
  if (op.outputs())
    for (auto [i, name] : llvm::enumerate(*op.outputs())) {
      std::string output = where + " output " + std::to_string(i);
      const fb::TosaTensor *tensor = lookup(name, output);
      if (!tensor)
        return failure();
      if (values.count(name->string_view()))
        return error() << output << ": tensor '" << name->string_view()
                       << "' is already produced by another operator or is an input";
      FailureOr<Type> type = typeOf(*tensor, output);
      if (failed(type))
        return failure();
      resultTypes.push_back(*type);
      outputs.push_back(tensor);
    }

  bool isConstant = op.op() == fb::Op_CONST || op.op() == fb::Op_CONST_SHAPE;
  if (isConstant && (outputs.size() != 1 || !operands.empty()))
    return error() << where << ": expected no inputs and one output, got "
                   << operands.size() << " and " << outputs.size();

  NamedAttrList attrs;
  if (isConstant) {
    bool isShape = isa<tosa::shapeType>(resultTypes[0]);
    if ((op.op() == fb::Op_CONST_SHAPE) != isShape)
      return error() << where << ": output tensor '" << outputs[0]->name()->string_view()
                     << "' must " << (op.op() == fb::Op_CONST ? "not " : "")
                     << "have dtype SHAPE";
    ShapedType valuesType =
        isShape ? RankedTensorType::get(
                      {int64_t(cast<tosa::shapeType>(resultTypes[0]).getRank())},
                      builder.getIndexType())
                : cast<ShapedType>(resultTypes[0]);
    DenseElementsAttr values = constantOf(*outputs[0], valuesType, where);
    if (!values)
      return failure();
    attrs.set("values", values);
  } else {
    Type inputType = operands.empty() ? Type() : operands[0].getType();
    FailureOr<NamedAttrList> converted = attributesOf(op, inputType, where);
    if (failed(converted))
      return failure();
    attrs = std::move(*converted);
  }

  // Operators are built generically from their name and properties, as the MLIR
  // parser builds them; the module verifier checks operands and types after.
  OperationState state(NameLoc::get(builder.getStringAttr("operator " +
                                                          std::to_string(index)),
                                    fileLoc),
                       mlirName);
  state.addOperands(operands);
  state.addTypes(resultTypes);
  Operation *created = builder.create(state);
  if (!attrs.empty() &&
      failed(created->setPropertiesFromAttribute(attrs.getDictionary(&context), [&] {
        return error() << where << ": ";
      }))) {
    created->erase();
    return failure();
  }
  for (auto [tensor, result] : llvm::zip(outputs, created->getResults()))
    values[tensor->name()->string_view()] = result;
  return success();
}

/// The profiles and extensions the graph needs, derived from its dtypes and rounding
/// modes, so that Kiln's strict validation checks exactly them (the flatbuffer does not
/// record a target).
void Importer::attachTarget(ModuleOp module) {
  bool usesInt = false, usesFloat = false;
  llvm::SetVector<tosa::Extension> extensions;
  auto visitType = [&](Type type) {
    Type element = getElementTypeOrSelf(type);
    if (isa<FloatType>(element))
      usesFloat = true;
    if (auto integer = dyn_cast<IntegerType>(element)) {
      if (integer.getWidth() > 1)
        usesInt = true;
      if (integer.getWidth() == 4)
        extensions.insert(tosa::Extension::int4);
      // MLIR's compliance tables put most int16 operator variants (CLAMP, the i48
      // accumulators, ...) under EXT-INT16; enabling it for any int16 tensor is a
      // superset, which validation accepts.
      if (integer.getWidth() == 16 || integer.getWidth() == 48)
        extensions.insert(tosa::Extension::int16);
    }
    if (element.isBF16())
      extensions.insert(tosa::Extension::bf16);
  };
  module.walk([&](Operation *op) {
    for (Type type : op->getResultTypes())
      visitType(type);
    for (Type type : op->getOperandTypes())
      visitType(type);
    if (auto rescale = dyn_cast<tosa::RescaleOp>(op)) {
      if (rescale.getRoundingMode() == tosa::RoundingMode::DOUBLE_ROUND)
        extensions.insert(tosa::Extension::doubleround);
      if (rescale.getRoundingMode() == tosa::RoundingMode::INEXACT_ROUND)
        extensions.insert(tosa::Extension::inexactround);
    }
  });
  llvm::SmallVector<tosa::Profile> profiles;
  if (usesInt)
    profiles.push_back(tosa::Profile::pro_int);
  if (usesFloat || !usesInt)
    profiles.push_back(tosa::Profile::pro_fp);
  module->setAttr(tosa::TargetEnvAttr::name,
                  tosa::TargetEnvAttr::get(&context, tosa::SpecificationVersion::V_1_0,
                                           tosa::Level::eightK, profiles,
                                           extensions.takeVector()));
}

} // namespace

bool isTosaFlatbuffer(llvm::ArrayRef<uint8_t> bytes) {
  return bytes.size() >= 8 && std::memcmp(bytes.data() + 4, kIdentifier, 4) == 0;
}

FailureOr<OwningOpRef<ModuleOp>> importTosaFlatbuffer(llvm::ArrayRef<uint8_t> bytes,
                                                      llvm::StringRef bufferName,
                                                      MLIRContext &context) {
  return Importer(bufferName, context).run(bytes);
}

} // namespace kiln
