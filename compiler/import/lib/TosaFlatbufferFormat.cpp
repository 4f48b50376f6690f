//===- TosaFlatbufferFormat.cpp - shared tables of the .tosa reader/writer -===//

#include "TosaFlatbufferFormat.h"

#include "llvm/ADT/APInt.h"
#include "llvm/Support/Endian.h"

using namespace mlir;

namespace kiln::tosafb {

namespace {

struct OpName {
  Op op;
  llvm::StringLiteral mlirName;
};

/// The operators Kiln imports and exports: those the reference evaluator runs
/// (docs/reference.md). Anything else is rejected by name, never skipped.
constexpr OpName kOps[] = {
    {Op_ABS, "tosa.abs"},
    {Op_ADD, "tosa.add"},
    {Op_CAST, "tosa.cast"},
    {Op_CEIL, "tosa.ceil"},
    {Op_CLAMP, "tosa.clamp"},
    {Op_CONST, "tosa.const"},
    {Op_CONST_SHAPE, "tosa.const_shape"},
    {Op_CONV2D, "tosa.conv2d"},
    {Op_CUSTOM, "tosa.custom"},
    {Op_EQUAL, "tosa.equal"},
    {Op_FLOOR, "tosa.floor"},
    {Op_GREATER, "tosa.greater"},
    {Op_GREATER_EQUAL, "tosa.greater_equal"},
    {Op_IDENTITY, "tosa.identity"},
    {Op_MATMUL, "tosa.matmul"},
    {Op_MAXIMUM, "tosa.maximum"},
    {Op_MINIMUM, "tosa.minimum"},
    {Op_MUL, "tosa.mul"},
    {Op_RECIPROCAL, "tosa.reciprocal"},
    {Op_REDUCE_MAX, "tosa.reduce_max"},
    {Op_REDUCE_MIN, "tosa.reduce_min"},
    {Op_REDUCE_SUM, "tosa.reduce_sum"},
    {Op_RESCALE, "tosa.rescale"},
    {Op_RESHAPE, "tosa.reshape"},
    {Op_SELECT, "tosa.select"},
    {Op_SUB, "tosa.sub"},
    {Op_TRANSPOSE, "tosa.transpose"},
};

/// Integer types whose elements are whole bytes that MLIR stores the same way
/// (little-endian on the little-endian hosts Kiln supports), so their data can be
/// copied instead of converted element by element.
bool isRawCopyable(Type elementType) {
  if (isa<FloatType>(elementType))
    return true;
  unsigned bits = elementType.getIntOrFloatBitWidth();
  return bits == 8 || bits == 16 || bits == 32 || bits == 64;
}

unsigned storageBits(Type elementType) {
  return isa<IndexType>(elementType) ? 64 : elementType.getIntOrFloatBitWidth();
}

/// Bytes of `count` elements of the type in the flatbuffer.
uint64_t dataBytes(Type elementType, uint64_t count) {
  unsigned bits = storageBits(elementType);
  if (bits == 4)
    return (count + 1) / 2;
  if (bits == 1)
    return count;
  return count * (bits / 8);
}

} // namespace

static_assert(llvm::endianness::native == llvm::endianness::little,
              "constant data is copied as little-endian bytes");

llvm::StringRef mlirOpName(Op op) {
  for (const OpName &entry : kOps)
    if (entry.op == op)
      return entry.mlirName;
  return "";
}

std::optional<Op> opOfMlirName(llvm::StringRef name) {
  for (const OpName &entry : kOps)
    if (entry.mlirName == name)
      return entry.op;
  return std::nullopt;
}

Type elementTypeOf(DType dtype, MLIRContext *context) {
  switch (dtype) {
  case DType_BOOL: return IntegerType::get(context, 1);
  case DType_INT4: return IntegerType::get(context, 4);
  case DType_INT8: return IntegerType::get(context, 8);
  case DType_INT16: return IntegerType::get(context, 16);
  case DType_INT32: return IntegerType::get(context, 32);
  case DType_INT48: return IntegerType::get(context, 48);
  case DType_FP32: return Float32Type::get(context);
  case DType_FP16: return Float16Type::get(context);
  case DType_BF16: return BFloat16Type::get(context);
  default: return nullptr;
  }
}

std::optional<DType> dtypeOf(Type elementType) {
  if (isa<IndexType>(elementType))
    return DType_SHAPE;
  if (elementType.isF32())
    return DType_FP32;
  if (elementType.isF16())
    return DType_FP16;
  if (elementType.isBF16())
    return DType_BF16;
  auto integer = dyn_cast<IntegerType>(elementType);
  if (!integer || integer.isUnsigned())
    return std::nullopt;
  switch (integer.getWidth()) {
  case 1: return DType_BOOL;
  case 4: return DType_INT4;
  case 8: return DType_INT8;
  case 16: return DType_INT16;
  case 32: return DType_INT32;
  case 48: return DType_INT48;
  default: return std::nullopt;
  }
}

/// Some releases of the reference serializer write SHAPE elements in six bytes (as
/// INT48) and BF16 elements as the fp32 value (four bytes); both are read when the
/// data has exactly that size. Returns null for any other layout.
static DenseElementsAttr decodeLegacyElements(llvm::ArrayRef<uint8_t> data,
                                              ShapedType type) {
  Type elementType = type.getElementType();
  uint64_t count = type.getNumElements();
  bool isShape = isa<IndexType>(elementType);
  unsigned width = isShape ? 6 : 4;
  if (!(isShape || elementType.isBF16()) || data.size() != count * width)
    return nullptr;
  llvm::SmallVector<llvm::APInt> values;
  values.reserve(count);
  for (uint64_t i = 0; i < count; ++i) {
    uint64_t raw = 0;
    for (unsigned b = 0; b < width; ++b)
      raw |= uint64_t(data[i * width + b]) << (8 * b);
    if (isShape) {
      values.push_back(llvm::APInt(48, raw).sext(64));
    } else {
      // The upper half of an fp32 that holds a bf16 value, rounded to nearest even
      // in case it holds more; a NaN stays a (quiet) NaN.
      uint32_t bits = uint32_t(raw);
      if ((bits & 0x7FFFFFFF) > 0x7F800000)
        bits |= 0x00400000;
      else
        bits += 0x7FFF + ((bits >> 16) & 1);
      values.push_back(llvm::APInt(16, bits >> 16));
    }
  }
  if (isShape)
    return DenseElementsAttr::get(type, values);
  llvm::SmallVector<llvm::APFloat> floats;
  for (const llvm::APInt &bits : values)
    floats.push_back(llvm::APFloat(llvm::APFloat::BFloat(), bits));
  return DenseElementsAttr::get(type, floats);
}

DenseElementsAttr decodeElements(llvm::ArrayRef<uint8_t> data, ShapedType type,
                                 std::string &error) {
  Type elementType = type.getElementType();
  uint64_t count = type.getNumElements();
  uint64_t expected = dataBytes(elementType, count);
  if (data.size() != expected) {
    if (DenseElementsAttr legacy = decodeLegacyElements(data, type))
      return legacy;
    error = "expected " + std::to_string(expected) + " bytes of data, got " +
            std::to_string(data.size());
    return nullptr;
  }
  if (isa<IndexType>(elementType) || isRawCopyable(elementType))
    return DenseElementsAttr::getFromRawBuffer(
        type, llvm::ArrayRef(reinterpret_cast<const char *>(data.data()), data.size()));
  unsigned bits = storageBits(elementType);
  if (bits == 1) {
    llvm::SmallVector<bool> values;
    for (uint8_t byte : data)
      values.push_back(byte != 0);
    return DenseElementsAttr::get(type, values);
  }
  // i4 (two per byte, low nibble first) and i48 (six bytes each).
  llvm::SmallVector<llvm::APInt> values;
  values.reserve(count);
  for (uint64_t i = 0; i < count; ++i) {
    uint64_t raw = 0;
    if (bits == 4) {
      raw = (data[i / 2] >> (4 * (i % 2))) & 0xF;
    } else {
      for (unsigned b = 0; b < bits / 8; ++b)
        raw |= uint64_t(data[i * (bits / 8) + b]) << (8 * b);
    }
    values.push_back(llvm::APInt(bits, raw));
  }
  return DenseElementsAttr::get(type, values);
}

std::vector<uint8_t> encodeElements(DenseElementsAttr values) {
  Type elementType = values.getElementType();
  uint64_t count = values.getNumElements();
  std::vector<uint8_t> bytes;
  if (isa<IndexType>(elementType) || isRawCopyable(elementType)) {
    llvm::ArrayRef<char> raw = values.getRawData();
    // A splat stores its one element once.
    uint64_t copies = values.isSplat() ? count : 1;
    bytes.reserve(raw.size() * copies);
    for (uint64_t i = 0; i < copies; ++i)
      bytes.insert(bytes.end(), raw.begin(), raw.end());
    return bytes;
  }
  unsigned bits = storageBits(elementType);
  bytes.assign(dataBytes(elementType, count), 0);
  uint64_t i = 0;
  for (const llvm::APInt &value : values.getValues<llvm::APInt>()) {
    uint64_t raw = value.getZExtValue();
    if (bits == 1)
      bytes[i] = raw != 0;
    else if (bits == 4)
      bytes[i / 2] |= uint8_t((raw & 0xF) << (4 * (i % 2)));
    else
      for (unsigned b = 0; b < bits / 8; ++b)
        bytes[i * (bits / 8) + b] = uint8_t(raw >> (8 * b));
    ++i;
  }
  return bytes;
}

} // namespace kiln::tosafb
