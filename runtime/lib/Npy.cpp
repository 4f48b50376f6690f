//===- Npy.cpp - NumPy .npy reader and writer ------------------------------===//
//
// Follows NumPy's format description (numpy/lib/format.py): magic "\x93NUMPY", a
// major/minor version byte pair, a little-endian header length (2 bytes in 1.0, 4
// bytes in 2.0 and 3.0), then a Python dict literal with exactly the keys 'descr',
// 'fortran_order' and 'shape', padded with spaces and ending in '\n'.
//
//===----------------------------------------------------------------------===//

#include "kiln/runtime/Npy.h"

#include "kiln/support/Files.h"

#include <cctype>
#include <cstring>
#include <limits>

namespace kiln::rt {

const char *dtypeName(DType t) {
  switch (t) {
  case DType::Bool: return "bool";
  case DType::I4: return "i4";
  case DType::I8: return "i8";
  case DType::U8: return "u8";
  case DType::I16: return "i16";
  case DType::I32: return "i32";
  case DType::I64: return "i64";
  case DType::F16: return "f16";
  case DType::BF16: return "bf16";
  case DType::F32: return "f32";
  case DType::F64: return "f64";
  }
  return "?";
}

size_t dtypeSize(DType t) {
  switch (t) {
  case DType::Bool:
  case DType::I4:
  case DType::I8:
  case DType::U8:
    return 1;
  case DType::I16:
  case DType::F16:
  case DType::BF16:
    return 2;
  case DType::I32:
  case DType::F32:
    return 4;
  case DType::I64:
  case DType::F64:
    return 8;
  }
  return 0;
}

int64_t NpyArray::numElements() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicSize = 6;
/// NumPy aligns the start of the data to 64 bytes (format.py, ARRAY_ALIGN).
constexpr size_t kAlignment = 64;

/// The descr written for each dtype.
const char *descrOf(DType t) {
  switch (t) {
  case DType::Bool: return "|b1";
  case DType::I4:
  case DType::I8: return "|i1";
  case DType::U8: return "|u1";
  case DType::I16: return "<i2";
  case DType::I32: return "<i4";
  case DType::I64: return "<i8";
  case DType::F16: return "<f2";
  case DType::BF16: return "<u2";
  case DType::F32: return "<f4";
  case DType::F64: return "<f8";
  }
  return "";
}

/// Maps a descr to a dtype. Byte order '<' is required for multi-byte types; '|'
/// (and '<' or '=', which NumPy accepts too) for single bytes.
Expected<DType> dtypeOfDescr(const std::string &descr, const std::string &name) {
  if (descr.size() < 3)
    return unsupported(name + ": unsupported dtype '" + descr + "'");
  char order = descr[0];
  std::string kind = descr.substr(1);
  if (order == '>' && kind != "b1" && kind != "i1" && kind != "u1")
    return unsupported(name + ": big-endian dtype '" + descr +
                       "' is not supported, expected little-endian ('<')");
  struct Entry {
    const char *kind;
    DType dtype;
    bool orderFree; // single bytes (and raw V2): '|' is the usual byte order
  };
  static const Entry kEntries[] = {
      {"b1", DType::Bool, true}, {"i1", DType::I8, true},   {"u1", DType::U8, true},
      {"V2", DType::BF16, true}, {"i2", DType::I16, false}, {"i4", DType::I32, false},
      {"i8", DType::I64, false}, {"f2", DType::F16, false}, {"u2", DType::BF16, false},
      {"f4", DType::F32, false}, {"f8", DType::F64, false}};
  for (const Entry &e : kEntries) {
    if (kind != e.kind)
      continue;
    bool orderOk = order == '<' || (e.orderFree && (order == '|' || order == '='));
    if (!orderOk)
      return unsupported(name + ": unsupported byte order in dtype '" + descr + "'");
    return e.dtype;
  }
  return unsupported(name + ": unsupported dtype '" + descr +
                     "' (supported: b1 i1 u1 i2 i4 i8 u2 f2 f4 f8)");
}

/// A tiny parser for the header dict, which is a Python literal. Only the forms
/// NumPy writes are accepted: string keys, a string, True/False, a tuple of ints.
class HeaderParser {
public:
  HeaderParser(const std::string &text, const std::string &name) : s_(text), name_(name) {}

  Status parse(std::string &descr, bool &fortran, std::vector<int64_t> &shape) {
    bool seenDescr = false, seenFortran = false, seenShape = false;
    skipSpace();
    KILN_RETURN_IF_ERROR(expect('{'));
    skipSpace();
    while (peek() != '}') {
      std::string key;
      KILN_RETURN_IF_ERROR(parseString(key));
      skipSpace();
      KILN_RETURN_IF_ERROR(expect(':'));
      skipSpace();
      if (key == "descr") {
        if (seenDescr)
          return error("duplicate key 'descr'");
        seenDescr = true;
        KILN_RETURN_IF_ERROR(parseString(descr));
      } else if (key == "fortran_order") {
        if (seenFortran)
          return error("duplicate key 'fortran_order'");
        seenFortran = true;
        KILN_RETURN_IF_ERROR(parseBool(fortran));
      } else if (key == "shape") {
        if (seenShape)
          return error("duplicate key 'shape'");
        seenShape = true;
        KILN_RETURN_IF_ERROR(parseShape(shape));
      } else {
        return error("unexpected key '" + key +
                     "', expected 'descr', 'fortran_order' or 'shape'");
      }
      skipSpace();
      if (peek() == ',') {
        ++pos_;
        skipSpace();
      } else if (peek() != '}') {
        return error("expected ',' or '}'");
      }
    }
    ++pos_;
    skipSpace();
    if (pos_ != s_.size())
      return error("unexpected text after the closing '}'");
    if (!seenDescr)
      return error("missing key 'descr'");
    if (!seenFortran)
      return error("missing key 'fortran_order'");
    if (!seenShape)
      return error("missing key 'shape'");
    return Status::ok();
  }

private:
  char peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }
  void skipSpace() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\n' || s_[pos_] == '\t'))
      ++pos_;
  }
  Status error(const std::string &what) const {
    return invalidFile(name_ + ": malformed .npy header: " + what + " at offset " +
                       std::to_string(pos_) + " of the header dict");
  }
  Status expect(char c) {
    if (peek() != c)
      return error(std::string("expected '") + c + "'");
    ++pos_;
    return Status::ok();
  }
  Status parseString(std::string &out) {
    char quote = peek();
    if (quote != '\'' && quote != '"')
      return error("expected a quoted string");
    size_t end = s_.find(quote, pos_ + 1);
    if (end == std::string::npos)
      return error("unterminated string");
    out = s_.substr(pos_ + 1, end - pos_ - 1);
    pos_ = end + 1;
    return Status::ok();
  }
  Status parseBool(bool &out) {
    if (s_.compare(pos_, 4, "True") == 0) {
      out = true;
      pos_ += 4;
    } else if (s_.compare(pos_, 5, "False") == 0) {
      out = false;
      pos_ += 5;
    } else {
      return error("expected True or False");
    }
    return Status::ok();
  }
  Status parseShape(std::vector<int64_t> &shape) {
    KILN_RETURN_IF_ERROR(expect('('));
    skipSpace();
    bool lastWasComma = false;
    while (peek() != ')') {
      if (!std::isdigit(static_cast<unsigned char>(peek())))
        return error("expected a non-negative integer dimension");
      int64_t v = 0;
      while (std::isdigit(static_cast<unsigned char>(peek()))) {
        int digit = peek() - '0';
        if (v > (std::numeric_limits<int64_t>::max() - digit) / 10)
          return error("dimension does not fit in 64 bits");
        v = v * 10 + digit;
        ++pos_;
      }
      shape.push_back(v);
      skipSpace();
      lastWasComma = false;
      if (peek() == ',') {
        ++pos_;
        lastWasComma = true;
        skipSpace();
      } else if (peek() != ')') {
        return error("expected ',' or ')' in the shape");
      }
    }
    // Python needs "(3,)" for a one-element tuple; "(3)" is an int.
    if (shape.size() == 1 && !lastWasComma)
      return error("a one-dimensional shape must be written '(n,)'");
    ++pos_;
    return Status::ok();
  }

  const std::string &s_;
  const std::string &name_;
  size_t pos_ = 0;
};

uint32_t readLe(const uint8_t *p, size_t n) {
  uint32_t v = 0;
  for (size_t i = 0; i < n; ++i)
    v |= uint32_t(p[i]) << (8 * i);
  return v;
}

/// numElements * elementSize, or an error when a product overflows.
Expected<uint64_t> byteCount(const std::vector<int64_t> &shape, size_t elementSize,
                             const std::string &name) {
  uint64_t n = elementSize;
  for (int64_t d : shape) {
    if (d < 0)
      return invalidArgument(name + ": negative dimension " + std::to_string(d));
    if (d != 0 && n > std::numeric_limits<uint64_t>::max() / 2 / uint64_t(d))
      return invalidFile(name + ": the shape's element count overflows 64 bits");
    n *= uint64_t(d);
  }
  return n;
}

std::string shapeText(const std::vector<int64_t> &shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i)
    s += std::to_string(shape[i]) + (shape.size() == 1 || i + 1 < shape.size() ? "," : "");
  return s + ")";
}

} // namespace

Expected<NpyArray> parseNpy(const uint8_t *bytes, size_t size, const std::string &name) {
  if (size < kMagicSize + 2 || std::memcmp(bytes, kMagic, kMagicSize) != 0)
    return invalidFile(name + ": not a .npy file (expected the magic \\x93NUMPY)");
  uint8_t major = bytes[kMagicSize], minor = bytes[kMagicSize + 1];
  if (major < 1 || major > 3 || minor != 0)
    return unsupported(name + ": unsupported .npy version " + std::to_string(major) + "." +
                       std::to_string(minor) + ", expected 1.0, 2.0 or 3.0");
  size_t lenBytes = major == 1 ? 2 : 4;
  size_t prefix = kMagicSize + 2 + lenBytes;
  if (size < prefix)
    return invalidFile(name + ": truncated .npy header: expected at least " +
                       std::to_string(prefix) + " bytes, got " + std::to_string(size));
  size_t headerLen = readLe(bytes + kMagicSize + 2, lenBytes);
  if (headerLen > size - prefix)
    return invalidFile(name + ": truncated .npy header: the header says " +
                       std::to_string(headerLen) + " bytes, only " +
                       std::to_string(size - prefix) + " follow");
  std::string header(reinterpret_cast<const char *>(bytes + prefix), headerLen);
  if (header.empty() || header.back() != '\n')
    return invalidFile(name + ": malformed .npy header: expected it to end with a newline");

  std::string descr;
  bool fortran = false;
  NpyArray array;
  KILN_RETURN_IF_ERROR(HeaderParser(header, name).parse(descr, fortran, array.shape));
  if (fortran)
    return unsupported(name + ": fortran_order arrays are not supported, expected C order");
  Expected<DType> dtype = dtypeOfDescr(descr, name);
  if (!dtype)
    return dtype.takeStatus();
  array.dtype = *dtype;
  Expected<uint64_t> bytesNeeded = byteCount(array.shape, dtypeSize(array.dtype), name);
  if (!bytesNeeded)
    return bytesNeeded.takeStatus();
  size_t available = size - prefix - headerLen;
  if (*bytesNeeded != available)
    return invalidFile(name + ": data size mismatch: shape " + shapeText(array.shape) +
                       " of " + descr + " needs " + std::to_string(*bytesNeeded) +
                       " bytes, the file has " + std::to_string(available));
  const uint8_t *data = bytes + prefix + headerLen;
  array.data.assign(data, data + available);
  if (array.dtype == DType::Bool)
    for (size_t i = 0; i < array.data.size(); ++i)
      if (array.data[i] > 1)
        return invalidFile(name + ": bool element " + std::to_string(i) +
                           " is not 0 or 1, got " + std::to_string(array.data[i]));
  return array;
}

Expected<NpyArray> readNpy(const std::string &path) {
  Expected<std::shared_ptr<MappedFile>> file = MappedFile::open(path);
  if (!file)
    return file.takeStatus();
  return parseNpy((*file)->data(), (*file)->size(), path);
}

Status writeNpy(const std::string &path, const NpyArray &array) {
  Expected<uint64_t> bytes = byteCount(array.shape, dtypeSize(array.dtype), path);
  if (!bytes)
    return bytes.takeStatus();
  if (*bytes != array.data.size())
    return invalidArgument(path + ": cannot write: shape " + shapeText(array.shape) + " of " +
                           dtypeName(array.dtype) + " needs " + std::to_string(*bytes) +
                           " bytes, the array holds " + std::to_string(array.data.size()));
  if (array.dtype == DType::I4)
    for (size_t i = 0; i < array.data.size(); ++i) {
      int v = static_cast<int8_t>(array.data[i]);
      if (v < -8 || v > 7)
        return invalidArgument(path + ": cannot write: i4 element " + std::to_string(i) +
                               " is out of range [-8, 7], got " + std::to_string(v));
    }

  std::string dict = std::string("{'descr': '") + descrOf(array.dtype) +
                     "', 'fortran_order': False, 'shape': " + shapeText(array.shape) + ", }";
  // Version 1.0 has a 2-byte length; longer headers need 2.0.
  size_t unpadded = dict.size() + 1;
  size_t major = kMagicSize + 2 + 2 + unpadded <= 65535 ? 1 : 2;
  size_t prefix = kMagicSize + 2 + (major == 1 ? 2 : 4);
  size_t total = (prefix + unpadded + kAlignment - 1) / kAlignment * kAlignment;
  dict.append(total - prefix - unpadded, ' ');
  dict.push_back('\n');

  std::vector<uint8_t> out(kMagic, kMagic + kMagicSize);
  out.push_back(uint8_t(major));
  out.push_back(0);
  size_t headerLen = dict.size();
  for (size_t i = 0; i < (major == 1 ? 2u : 4u); ++i)
    out.push_back(uint8_t(headerLen >> (8 * i)));
  out.insert(out.end(), dict.begin(), dict.end());
  out.insert(out.end(), array.data.begin(), array.data.end());
  return writeFileAtomically(path, out.data(), out.size());
}

} // namespace kiln::rt
