#pragma once
/// The reference evaluator's value type: a dense, statically shaped tensor.
///
/// Storage is chosen for readability, not speed: every integer element is kept as a
/// sign-extended int64_t and every float element as a double holding a value that
/// is exactly representable in the element type (fp16, bf16 and fp32 values are all
/// exact in double). Arithmetic is done in int64_t or double and rounded back to the
/// element type with `ElementType`-aware helpers, so the semantics are bit-exact
/// for every dtype while the op code stays a plain loop. NaN payloads are not kept.

#include <cstdint>
#include <string>
#include <vector>

namespace kiln::ref {

/// Element types of TOSA 1.0 tensors that the evaluator supports. I48 is the
/// int16 MATMUL/CONV accumulator; Shape is the index element of `!tosa.shape`.
enum class ElementType { Bool, I4, I8, I16, I32, I48, I64, F16, BF16, F32, F64, Shape };

/// "i1", "i4", ..., "f32", "shape" (MLIR spelling, used in messages).
const char *elementTypeName(ElementType type);
bool isFloat(ElementType type);
/// Bit width of an integer type (1 for Bool, 64 for Shape).
int intBits(ElementType type);
/// Smallest / largest value of a signed integer type (Bool: 0 / 1).
int64_t intMin(ElementType type);
int64_t intMax(ElementType type);
/// The low `intBits(type)` bits of v, sign-extended (TOSA's truncate<out_t>()).
int64_t wrapInt(int64_t v, ElementType type);
/// Rounds a double to the float element type (round to nearest, ties to even).
double roundFloat(double v, ElementType type);

class Tensor {
public:
  Tensor() = default;
  /// A zero-filled tensor.
  Tensor(ElementType type, std::vector<int64_t> shape);

  ElementType type() const { return type_; }
  const std::vector<int64_t> &shape() const { return shape_; }
  int64_t rank() const { return int64_t(shape_.size()); }
  int64_t numElements() const { return numElements_; }
  bool isFloat() const { return kiln::ref::isFloat(type_); }

  /// Integer element i (linear, C order). Only for integer/bool/shape tensors.
  int64_t getInt(int64_t i) const { return ints_[size_t(i)]; }
  /// Float element i. Only for float tensors.
  double getFloat(int64_t i) const { return floats_[size_t(i)]; }
  /// Stores v, which must already be in the type's range (callers clip or wrap).
  void setInt(int64_t i, int64_t v);
  /// Stores v rounded to the element type.
  void setFloat(int64_t i, double v) { floats_[size_t(i)] = roundFloat(v, type_); }
  /// Copies element j of `src` (same element type) into element i.
  void copyElement(int64_t i, const Tensor &src, int64_t j) {
    if (isFloat())
      floats_[size_t(i)] = src.floats_[size_t(j)];
    else
      ints_[size_t(i)] = src.ints_[size_t(j)];
  }

  /// Row-major strides, in elements.
  std::vector<int64_t> strides() const;
  /// "1x4x16xi8" (MLIR spelling).
  std::string typeString() const;

  const std::vector<int64_t> &ints() const { return ints_; }
  const std::vector<double> &floats() const { return floats_; }

private:
  ElementType type_ = ElementType::F32;
  std::vector<int64_t> shape_;
  int64_t numElements_ = 0;
  std::vector<int64_t> ints_;
  std::vector<double> floats_;
};

} // namespace kiln::ref
