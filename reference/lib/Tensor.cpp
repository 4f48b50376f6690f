//===- Tensor.cpp - the reference evaluator's dense tensor -----------------===//

#include "kiln/reference/Tensor.h"

#include "kiln/reference/Float.h"

#include <cassert>

namespace kiln::ref {

const char *elementTypeName(ElementType t) {
  switch (t) {
  case ElementType::Bool: return "i1";
  case ElementType::I4: return "i4";
  case ElementType::I8: return "i8";
  case ElementType::I16: return "i16";
  case ElementType::I32: return "i32";
  case ElementType::I48: return "i48";
  case ElementType::I64: return "i64";
  case ElementType::F16: return "f16";
  case ElementType::BF16: return "bf16";
  case ElementType::F32: return "f32";
  case ElementType::F64: return "f64";
  case ElementType::Shape: return "shape";
  }
  return "?";
}

bool isFloat(ElementType t) {
  return t == ElementType::F16 || t == ElementType::BF16 || t == ElementType::F32 ||
         t == ElementType::F64;
}

int intBits(ElementType t) {
  switch (t) {
  case ElementType::Bool: return 1;
  case ElementType::I4: return 4;
  case ElementType::I8: return 8;
  case ElementType::I16: return 16;
  case ElementType::I32: return 32;
  case ElementType::I48: return 48;
  default: return 64;
  }
}

int64_t intMin(ElementType t) {
  if (t == ElementType::Bool)
    return 0;
  return intBits(t) == 64 ? INT64_MIN : -(int64_t(1) << (intBits(t) - 1));
}

int64_t intMax(ElementType t) {
  if (t == ElementType::Bool)
    return 1;
  return intBits(t) == 64 ? INT64_MAX : (int64_t(1) << (intBits(t) - 1)) - 1;
}

int64_t wrapInt(int64_t v, ElementType t) {
  if (t == ElementType::Bool)
    return v & 1;
  int bits = intBits(t);
  if (bits == 64)
    return v;
  uint64_t u = uint64_t(v) << (64 - bits);
  return int64_t(u) >> (64 - bits); // arithmetic shift sign-extends
}

double roundFloat(double v, ElementType t) {
  switch (t) {
  case ElementType::F16: return roundToFormat(v, kFp16);
  case ElementType::BF16: return roundToFormat(v, kBf16);
  case ElementType::F32: return double(float(v)); // the host's cast is nearest-even
  default: return v;
  }
}

Tensor::Tensor(ElementType type, std::vector<int64_t> shape)
    : type_(type), shape_(std::move(shape)) {
  numElements_ = 1;
  for (int64_t d : shape_)
    numElements_ *= d;
  if (kiln::ref::isFloat(type_))
    floats_.assign(size_t(numElements_), 0.0);
  else
    ints_.assign(size_t(numElements_), 0);
}

void Tensor::setInt(int64_t i, int64_t v) {
  assert(v >= intMin(type_) && v <= intMax(type_) && "value out of the element range");
  ints_[size_t(i)] = v;
}

std::vector<int64_t> Tensor::strides() const {
  std::vector<int64_t> s(shape_.size(), 1);
  for (int64_t d = rank() - 2; d >= 0; --d)
    s[size_t(d)] = s[size_t(d) + 1] * shape_[size_t(d) + 1];
  return s;
}

std::string Tensor::typeString() const {
  std::string s;
  for (int64_t d : shape_)
    s += std::to_string(d) + "x";
  return s + elementTypeName(type_);
}

} // namespace kiln::ref
