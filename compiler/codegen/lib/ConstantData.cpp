#include "ConstantData.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/DialectResourceBlobManager.h"

#include <cstring>

using namespace mlir;

namespace kiln::codegen::detail {
namespace {

/// Raw little-endian bytes of a dense_resource blob; empty when the blob is gone.
ArrayRef<char> resourceBytes(DenseResourceElementsAttr attr) {
  AsmResourceBlob *blob = attr.getRawHandle().getBlob();
  return blob ? blob->getData() : ArrayRef<char>();
}

/// Calls `fn(index, bits)` for every element of a dense_resource blob whose elements
/// are `width`-bit integers or floats stored in whole bytes.
template <typename Fn> void forEachResourceElement(DenseResourceElementsAttr attr, Fn fn) {
  ArrayRef<char> bytes = resourceBytes(attr);
  unsigned width = attr.getElementType().getIntOrFloatBitWidth();
  size_t stride = (width + 7) / 8;
  int64_t count = attr.getNumElements();
  if (bytes.size() < static_cast<size_t>(count) * stride)
    return;
  for (int64_t i = 0; i < count; ++i) {
    uint64_t bits = 0;
    std::memcpy(&bits, bytes.data() + i * stride, stride);
    fn(i, APInt(width, bits));
  }
}

} // namespace

ElementsAttr constantPayload(Value value) {
  auto op = value.getDefiningOp<tosa::ConstOp>();
  return op ? op.getValues() : ElementsAttr();
}

bool payloadAvailable(ElementsAttr attr) {
  auto resource = dyn_cast<DenseResourceElementsAttr>(attr);
  if (!resource)
    return isa<DenseElementsAttr>(attr);
  size_t stride = (resource.getElementType().getIntOrFloatBitWidth() + 7) / 8;
  return resourceBytes(resource).size() >=
         static_cast<size_t>(resource.getNumElements()) * stride;
}

std::vector<int64_t> readIntegers(ElementsAttr attr) {
  std::vector<int64_t> out(attr.getNumElements());
  if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    size_t i = 0;
    for (const APInt &v : dense.getValues<APInt>())
      out[i++] = v.getSExtValue();
  } else if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
    forEachResourceElement(resource,
                           [&](int64_t i, const APInt &bits) { out[i] = bits.getSExtValue(); });
  }
  return out;
}

std::vector<float> readFloats(ElementsAttr attr) {
  std::vector<float> out(attr.getNumElements());
  auto widen = [](APFloat v) {
    bool lost = false;
    v.convert(APFloat::IEEEsingle(), APFloat::rmNearestTiesToEven, &lost);
    return v.convertToFloat();
  };
  if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    size_t i = 0;
    for (const APFloat &v : dense.getValues<APFloat>())
      out[i++] = widen(v);
  } else if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
    const llvm::fltSemantics &semantics = cast<FloatType>(attr.getElementType()).getFloatSemantics();
    forEachResourceElement(resource, [&](int64_t i, const APInt &bits) {
      out[i] = widen(APFloat(semantics, bits));
    });
  }
  return out;
}

std::vector<uint16_t> readHalfBits(ElementsAttr attr) {
  std::vector<uint16_t> out(attr.getNumElements());
  if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    size_t i = 0;
    for (const APFloat &v : dense.getValues<APFloat>())
      out[i++] = static_cast<uint16_t>(v.bitcastToAPInt().getZExtValue());
  } else if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
    forEachResourceElement(resource, [&](int64_t i, const APInt &bits) {
      out[i] = static_cast<uint16_t>(bits.getZExtValue());
    });
  }
  return out;
}

std::optional<double> uniformValue(Value value) {
  ElementsAttr attr = constantPayload(value);
  if (!attr || attr.getNumElements() == 0)
    return std::nullopt;
  std::vector<double> values;
  if (isa<IntegerType>(attr.getElementType())) {
    for (int64_t v : readIntegers(attr))
      values.push_back(static_cast<double>(v));
  } else if (isa<FloatType>(attr.getElementType())) {
    for (float v : readFloats(attr))
      values.push_back(v);
  } else {
    return std::nullopt;
  }
  for (double v : values)
    if (v != values.front())
      return std::nullopt;
  return values.front();
}

} // namespace kiln::codegen::detail
