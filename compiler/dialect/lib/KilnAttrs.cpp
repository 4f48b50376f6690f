//===- KilnAttrs.cpp - kiln attribute syntax and verifiers -----------------===//
//
// Rule labels (scheme_c1, clamp_c1, quant_c1, ...) are listed in docs/dialect.md.
//
//===----------------------------------------------------------------------===//

#include "kiln/dialect/KilnDialect.h"

#include "mlir/IR/DialectImplementation.h"

#include <cmath>

using namespace mlir;

namespace kiln {
namespace {

APFloat toF32(double value) { return APFloat(static_cast<float>(value)); }

/// Parses `name = <float>` into `value`.
ParseResult parseFloatField(AsmParser &parser, StringRef name, double &value) {
  if (parser.parseKeyword(name) || parser.parseEqual() || parser.parseFloat(value))
    return failure();
  return success();
}

} // namespace

//===----------------------------------------------------------------------===//
// SchemeAttr: #kiln.scheme<qp8_f32_qb4w, block = 32>
//===----------------------------------------------------------------------===//

Attribute SchemeAttr::parse(AsmParser &parser, Type) {
  SMLoc loc = parser.getCurrentLocation();
  StringRef name;
  if (parser.parseLess() || parser.parseKeyword(&name))
    return {};
  std::optional<SchemeKind> kind = symbolizeSchemeKind(name);
  if (!kind) {
    parser.emitError(loc) << "unknown scheme '" << name << "', expected one of "
                          << allSchemeNames();
    return {};
  }
  int64_t blockSize = defaultBlockSize(*kind);
  if (succeeded(parser.parseOptionalComma())) {
    if (parser.parseKeyword("block") || parser.parseEqual() ||
        parser.parseInteger(blockSize))
      return {};
  }
  if (parser.parseGreater())
    return {};
  return SchemeAttr::getChecked([&] { return parser.emitError(loc); },
                                parser.getContext(), *kind, blockSize);
}

void SchemeAttr::print(AsmPrinter &printer) const {
  printer << '<' << stringifySchemeKind(getKind());
  if (getKind() == SchemeKind::qp8_f32_qb4w)
    printer << ", block = " << getBlockSize();
  printer << '>';
}

LogicalResult SchemeAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                 SchemeKind kind, int64_t blockSize) {
  if (kind != SchemeKind::qp8_f32_qb4w) {
    if (blockSize != 0)
      return emitError() << "expected no block size for scheme "
                         << stringifySchemeKind(kind) << ", got " << blockSize
                         << " (scheme_c1)";
    return success();
  }
  if (blockSize <= 0 || blockSize % kBlockSizeQuantum != 0)
    return emitError() << "expected block size to be a positive multiple of "
                       << kBlockSizeQuantum << ", got " << blockSize << " (scheme_c2)";
  return success();
}

//===----------------------------------------------------------------------===//
// ClampAttr: #kiln.clamp<min = 0.0, max = 6.0>
//===----------------------------------------------------------------------===//

Attribute ClampAttr::parse(AsmParser &parser, Type) {
  SMLoc loc = parser.getCurrentLocation();
  double lo = -INFINITY, hi = INFINITY;
  if (parser.parseLess())
    return {};
  bool hasMin = false;
  if (succeeded(parser.parseOptionalKeyword("min"))) {
    if (parser.parseEqual() || parser.parseFloat(lo))
      return {};
    hasMin = true;
  }
  if (!hasMin || succeeded(parser.parseOptionalComma())) {
    if (succeeded(parser.parseOptionalKeyword("max"))) {
      if (parser.parseEqual() || parser.parseFloat(hi))
        return {};
    } else if (hasMin) {
      return parser.emitError(parser.getCurrentLocation(), "expected 'max'"), Attribute();
    }
  }
  if (parser.parseGreater())
    return {};
  return ClampAttr::getChecked([&] { return parser.emitError(loc); },
                               parser.getContext(), toF32(lo), toF32(hi));
}

void ClampAttr::print(AsmPrinter &printer) const {
  printer << '<';
  bool hasMin = !getMin().isInfinity();
  if (hasMin)
    printer << "min = " << getMin();
  if (!getMax().isInfinity())
    printer << (hasMin ? ", " : "") << "max = " << getMax();
  printer << '>';
}

LogicalResult ClampAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                APFloat min, APFloat max) {
  if (min.isNaN() || max.isNaN())
    return emitError() << "expected clamp bounds to be numbers, got NaN (clamp_c1)";
  if (min.compare(max) == APFloat::cmpGreaterThan)
    return emitError() << "expected clamp min <= max, got min = "
                       << min.convertToFloat() << " > max = " << max.convertToFloat()
                       << " (clamp_c2)";
  return success();
}

//===----------------------------------------------------------------------===//
// QuantParamsAttr: #kiln.quant<scale = 0.0235, zero_point = -12>
//===----------------------------------------------------------------------===//

Attribute QuantParamsAttr::parse(AsmParser &parser, Type) {
  SMLoc loc = parser.getCurrentLocation();
  double scale = 0;
  int64_t zeroPoint = 0;
  if (parser.parseLess() || parseFloatField(parser, "scale", scale) ||
      parser.parseComma() || parser.parseKeyword("zero_point") ||
      parser.parseEqual() || parser.parseInteger(zeroPoint) || parser.parseGreater())
    return {};
  return QuantParamsAttr::getChecked([&] { return parser.emitError(loc); },
                                     parser.getContext(), toF32(scale), zeroPoint);
}

void QuantParamsAttr::print(AsmPrinter &printer) const {
  printer << "<scale = " << getScale() << ", zero_point = " << getZeroPoint() << '>';
}

LogicalResult QuantParamsAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                      APFloat scale, int64_t zeroPoint) {
  if (!scale.isFiniteNonZero() || scale.isNegative())
    return emitError() << "expected scale to be a positive finite number, got "
                       << scale.convertToFloat() << " (quant_c1)";
  if (zeroPoint < -128 || zeroPoint > 127)
    return emitError() << "expected zero_point in [-128, 127], got " << zeroPoint
                       << " (quant_c2)";
  return success();
}

} // namespace kiln
