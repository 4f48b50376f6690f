#pragma once
/// NumPy `.npy` reading and writing (format versions 1.0, 2.0 and 3.0), little-endian
/// and C order only. No MLIR: the runtime and every tool share it.
///
/// Dtypes on disk (the `descr` of the header):
///   Bool '|b1', I8 '|i1', U8 '|u1', I16 '<i2', I32 '<i4', I64 '<i8',
///   F16 '<f2', F32 '<f4', F64 '<f8', BF16 '<u2' (raw bf16 bit patterns).
/// int4: NumPy has no int4, so an I4 array is written unpacked, one value in
/// [-8, 7] per '|i1' byte. readNpy cannot tell int4 from int8 and returns I8; a
/// caller that knows the tensor is int4 checks the range and sets dtype = I4 (the
/// bytes are the same). See docs/reference.md.
/// bf16: NumPy has no bf16 either; '<u2' holds the bit patterns (ml_dtypes'
/// `arr.view(np.uint16)`). Since Kiln has no uint16 dtype, '<u2' always reads back
/// as BF16; '|V2'/'<V2' (what ml_dtypes' bfloat16 saves as) is accepted too.

#include "kiln/support/Status.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace kiln::rt {

enum class DType { Bool, I4, I8, U8, I16, I32, I64, F16, BF16, F32, F64 };

/// Short lower-case name: "bool", "i4", "i8", "u8", "i16", "i32", "i64", "f16",
/// "bf16", "f32", "f64".
const char *dtypeName(DType);

/// Bytes per stored element (I4 is stored unpacked as int8: 1).
size_t dtypeSize(DType);

struct NpyArray {
  DType dtype = DType::F32;
  std::vector<int64_t> shape;
  std::vector<uint8_t> data; // little-endian, C order, numElements()*dtypeSize(dtype) bytes
  /// Product of the shape (1 for a 0-d array).
  int64_t numElements() const;
  template <typename T> const T *as() const { return reinterpret_cast<const T *>(data.data()); }
  template <typename T> T *as() { return reinterpret_cast<T *>(data.data()); }
};

/// Parses a whole `.npy` image. Every failure names `nameForErrors` and says what
/// was expected and what was found.
kiln::Expected<NpyArray> parseNpy(const uint8_t *bytes, size_t size,
                                  const std::string &nameForErrors);

/// Reads and parses `path`.
kiln::Expected<NpyArray> readNpy(const std::string &path);

/// Writes `array` to `path` atomically (temp file + rename), with the header padded
/// so the data starts 64-byte aligned, as NumPy does.
kiln::Status writeNpy(const std::string &path, const NpyArray &array);

} // namespace kiln::rt
