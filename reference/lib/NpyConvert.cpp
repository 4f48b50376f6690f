//===- NpyConvert.cpp - Tensor <-> NpyArray ---------------------------------===//

#include "kiln/reference/NpyConvert.h"

#include "kiln/reference/Float.h"

#include <cstring>

namespace kiln::ref {
namespace {

rt::DType npyTypeOf(ElementType t) {
  switch (t) {
  case ElementType::Bool: return rt::DType::Bool;
  case ElementType::I4: return rt::DType::I4;
  case ElementType::I8: return rt::DType::I8;
  case ElementType::I16: return rt::DType::I16;
  case ElementType::I32: return rt::DType::I32;
  case ElementType::F16: return rt::DType::F16;
  case ElementType::BF16: return rt::DType::BF16;
  case ElementType::F32: return rt::DType::F32;
  case ElementType::F64: return rt::DType::F64;
  case ElementType::I48:
  case ElementType::I64:
  case ElementType::Shape: return rt::DType::I64;
  }
  return rt::DType::I64;
}

template <typename T> void storeLe(uint8_t *dst, T v) { std::memcpy(dst, &v, sizeof(T)); }
template <typename T> T loadLe(const uint8_t *src) {
  T v;
  std::memcpy(&v, src, sizeof(T));
  return v;
}

} // namespace

rt::NpyArray toNpy(const Tensor &t) {
  rt::NpyArray a;
  a.dtype = npyTypeOf(t.type());
  a.shape = t.shape();
  size_t size = rt::dtypeSize(a.dtype);
  a.data.resize(size_t(t.numElements()) * size);
  for (int64_t i = 0; i < t.numElements(); ++i) {
    uint8_t *p = a.data.data() + size_t(i) * size;
    switch (a.dtype) {
    case rt::DType::F16: storeLe(p, uint16_t(encodeFloat(t.getFloat(i), kFp16))); break;
    case rt::DType::BF16: storeLe(p, uint16_t(encodeFloat(t.getFloat(i), kBf16))); break;
    case rt::DType::F32: storeLe(p, float(t.getFloat(i))); break;
    case rt::DType::F64: storeLe(p, t.getFloat(i)); break;
    case rt::DType::I16: storeLe(p, int16_t(t.getInt(i))); break;
    case rt::DType::I32: storeLe(p, int32_t(t.getInt(i))); break;
    case rt::DType::I64: storeLe(p, t.getInt(i)); break;
    default: storeLe(p, int8_t(t.getInt(i))); break; // bool, i4, i8
    }
  }
  return a;
}

Expected<Tensor> fromNpy(const rt::NpyArray &a, const std::string &name, bool asInt4) {
  ElementType type;
  switch (a.dtype) {
  case rt::DType::Bool: type = ElementType::Bool; break;
  case rt::DType::I4: type = ElementType::I4; break;
  case rt::DType::I8: type = asInt4 ? ElementType::I4 : ElementType::I8; break;
  case rt::DType::I16: type = ElementType::I16; break;
  case rt::DType::I32: type = ElementType::I32; break;
  case rt::DType::I64: type = ElementType::I64; break;
  case rt::DType::F16: type = ElementType::F16; break;
  case rt::DType::BF16: type = ElementType::BF16; break;
  case rt::DType::F32: type = ElementType::F32; break;
  case rt::DType::F64: type = ElementType::F64; break;
  default:
    return unsupported(name + ": " + rt::dtypeName(a.dtype) +
                       " arrays are not supported (TOSA integers are signed)");
  }
  Tensor t(type, a.shape);
  size_t size = rt::dtypeSize(a.dtype);
  for (int64_t i = 0; i < t.numElements(); ++i) {
    const uint8_t *p = a.data.data() + size_t(i) * size;
    switch (a.dtype) {
    case rt::DType::F16: t.setFloat(i, decodeFloat(loadLe<uint16_t>(p), kFp16)); break;
    case rt::DType::BF16: t.setFloat(i, decodeFloat(loadLe<uint16_t>(p), kBf16)); break;
    case rt::DType::F32: t.setFloat(i, loadLe<float>(p)); break;
    case rt::DType::F64: t.setFloat(i, loadLe<double>(p)); break;
    case rt::DType::I16: t.setInt(i, loadLe<int16_t>(p)); break;
    case rt::DType::I32: t.setInt(i, loadLe<int32_t>(p)); break;
    case rt::DType::I64: t.setInt(i, loadLe<int64_t>(p)); break;
    default: {
      int64_t v = loadLe<int8_t>(p);
      if (type == ElementType::I4 && (v < -8 || v > 7))
        return invalidArgument(name + ": element " + std::to_string(i) +
                               " is out of the i4 range [-8, 7], got " + std::to_string(v));
      t.setInt(i, v);
    }
    }
  }
  return t;
}

} // namespace kiln::ref
