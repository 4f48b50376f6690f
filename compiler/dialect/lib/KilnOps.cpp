//===- KilnOps.cpp - kiln op verifiers -------------------------------------===//
//
// Each check carries the label of its rule in docs/dialect.md, and so does its lit
// test (`@linear_c3` in lit/dialect/linear-invalid.mlir).
//
//===----------------------------------------------------------------------===//

#include "kiln/dialect/KilnDialect.h"

using namespace mlir;

namespace kiln {
namespace {

std::string typeName(Type type) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << type;
  return s;
}

/// The activation element types a scheme accepts (linear_c6): fp16 or fp32 for pf16,
/// fp32 for the others (the quantized schemes take and return float tensors; the
/// lowering quantizes at the layer boundary).
bool isAllowedActivation(SchemeKind kind, Type element) {
  if (kind == SchemeKind::pf16)
    return element.isF16() || element.isF32();
  return element.isF32();
}

/// The weight element types a scheme accepts (linear_c7): the float model's type
/// before quantization, the scheme's storage type after.
bool isAllowedWeight(SchemeKind kind, Type element) {
  switch (weightStorage(kind)) {
  case WeightStorage::F32:
    return element.isF32();
  case WeightStorage::F16:
    return element.isF32() || element.isF16();
  case WeightStorage::I8PerChannel:
    return element.isF32() || element.isInteger(8);
  case WeightStorage::I4PerBlock:
    return element.isF32() || element.isInteger(4);
  }
  return false;
}

const char *allowedWeightText(SchemeKind kind) {
  switch (weightStorage(kind)) {
  case WeightStorage::F32:
    return "f32";
  case WeightStorage::F16:
    return "f32 or f16";
  case WeightStorage::I8PerChannel:
    return "f32 or i8";
  case WeightStorage::I4PerBlock:
    return "f32 or i4";
  }
  return "";
}

} // namespace

LogicalResult LinearOp::verify() {
  SchemeAttr scheme = getScheme();
  SchemeKind kind = scheme.getKind();
  StringRef schemeName = stringifySchemeKind(kind);
  RankedTensorType inputType = getInput().getType();
  RankedTensorType weightType = getWeight().getType();
  RankedTensorType resultType = getResult().getType();

  if (inputType.getRank() != 2)
    return emitOpError() << "expected input to be rank 2 (MxK), got rank "
                         << inputType.getRank() << " (linear_c1)";
  if (weightType.getRank() != 2)
    return emitOpError() << "expected weight to be rank 2 (NxK), got rank "
                         << weightType.getRank() << " (linear_c2)";
  int64_t m = inputType.getDimSize(0), k = inputType.getDimSize(1);
  int64_t n = weightType.getDimSize(0);
  if (weightType.getDimSize(1) != k)
    return emitOpError() << "expected weight dim 1 (K) to be " << k
                         << " to match the input, got " << weightType.getDimSize(1)
                         << " (linear_c2)";
  if (kind == SchemeKind::qp8_f32_qb4w && k % scheme.getBlockSize() != 0)
    return emitOpError() << "expected K to be a multiple of the block size "
                         << scheme.getBlockSize() << ", got " << k << " (linear_c3)";

  Type actElement = inputType.getElementType();
  if (!isAllowedActivation(kind, actElement))
    return emitOpError() << "expected input element type "
                         << (kind == SchemeKind::pf16 ? "f16 or f32" : "f32")
                         << " for scheme " << schemeName << ", got "
                         << typeName(actElement) << " (linear_c6)";

  if (Value bias = getBias()) {
    auto biasType = cast<RankedTensorType>(bias.getType());
    if (biasType.getRank() != 1 || biasType.getDimSize(0) != n)
      return emitOpError() << "expected bias of shape [" << n << "], got "
                           << typeName(biasType) << " (linear_c4)";
    if (biasType.getElementType() != actElement)
      return emitOpError() << "expected bias element type to match the input ("
                           << typeName(actElement) << "), got "
                           << typeName(biasType.getElementType()) << " (linear_c11)";
  }

  if (resultType.getRank() != 2 || resultType.getDimSize(0) != m ||
      resultType.getDimSize(1) != n || resultType.getElementType() != actElement)
    return emitOpError() << "expected result of type tensor<" << m << "x" << n << "x"
                         << typeName(actElement) << ">, got " << typeName(resultType)
                         << " (linear_c5)";

  Type weightElement = weightType.getElementType();
  if (!isAllowedWeight(kind, weightElement))
    return emitOpError() << "expected weight element type " << allowedWeightText(kind)
                         << " for scheme " << schemeName << ", got "
                         << typeName(weightElement) << " (linear_c7)";

  // linear_c8: integer weights carry their scales, float weights carry none.
  bool quantized = weightElement.isInteger();
  Value scales = getWeightScales();
  if (!quantized && scales)
    return emitOpError() << "expected no scales with float weights (linear_c8)";
  if (quantized) {
    bool blockWise = kind == SchemeKind::qp8_f32_qb4w;
    SmallVector<int64_t> expectedShape = {n};
    if (blockWise)
      expectedShape.push_back(k / scheme.getBlockSize());
    Type expectedElement = blockWise ? Type(BFloat16Type::get(getContext()))
                                     : Type(Float32Type::get(getContext()));
    auto expected = RankedTensorType::get(expectedShape, expectedElement);
    if (!scales)
      return emitOpError() << "expected scales of type " << typeName(expected)
                           << " with quantized weights, got none (linear_c8)";
    if (scales.getType() != expected)
      return emitOpError() << "expected scales of type " << typeName(expected)
                           << ", got " << typeName(scales.getType()) << " (linear_c8)";
  }

  // linear_c9/c10: calibration parameters belong to the static scheme, and that
  // scheme cannot be quantized without them (kiln-calibrate runs first).
  bool hasQuant = getInputQuant() || getOutputQuant();
  if (hasQuant && !needsCalibration(kind))
    return emitOpError() << "expected no input_quant/output_quant for scheme "
                         << schemeName << ": only pqs8_qc8w is statically calibrated"
                         << " (linear_c10)";
  if (needsCalibration(kind) && quantized && (!getInputQuant() || !getOutputQuant()))
    return emitOpError() << "expected input_quant and output_quant on a quantized "
                         << "pqs8_qc8w layer, got "
                         << (getInputQuant() ? "input_quant only"
                             : getOutputQuant() ? "output_quant only"
                                                : "neither")
                         << "; calibrate before quantizing the weights (linear_c9)";
  return success();
}

} // namespace kiln
