//===- WeightFile.cpp - .npy and .safetensors weight files -----------------===//
//
// Every offset and length read from a file is checked against the file's size
// before any byte is touched (STYLE.md, VGF decoding rules).
//
//===----------------------------------------------------------------------===//

#include "kiln/import/WeightFile.h"

#include "kiln/import/SafetensorsHeader.h"
#include "kiln/runtime/Npy.h"
#include "kiln/support/Files.h"
#include "kiln/support/FloatFormat.h"

#include <cctype>
#include <cstring>

namespace kiln {
namespace {

bool endsWith(const std::string &s, const std::string &suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string stem(const std::string &path, const std::string &extension) {
  size_t slash = path.find_last_of('/');
  std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  return base.substr(0, base.size() - extension.size());
}

/// Bytes per element of the dtypes Kiln accepts; 0 for any other.
size_t elementBytes(const std::string &dtype) {
  if (dtype == "F32")
    return 4;
  if (dtype == "F16" || dtype == "BF16")
    return 2;
  return 0;
}

/// Decodes `count` little-endian elements of `dtype` (one of elementBytes' types).
std::vector<float> toFloats(const uint8_t *bytes, int64_t count, const std::string &dtype) {
  std::vector<float> out(static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i) {
    if (dtype == "F32") {
      uint32_t bits = uint32_t(bytes[4 * i]) | uint32_t(bytes[4 * i + 1]) << 8 |
                      uint32_t(bytes[4 * i + 2]) << 16 | uint32_t(bytes[4 * i + 3]) << 24;
      std::memcpy(&out[i], &bits, sizeof bits);
    } else {
      uint32_t bits = uint32_t(bytes[2 * i]) | uint32_t(bytes[2 * i + 1]) << 8;
      out[i] = static_cast<float>(decodeFloat(bits, dtype == "F16" ? kFp16 : kBf16));
    }
  }
  return out;
}

/// The element count of `shape`, or false when it overflows int64.
bool elementCount(const std::vector<int64_t> &shape, int64_t &count) {
  count = 1;
  for (int64_t d : shape) {
    if (d != 0 && count > INT64_MAX / d)
      return false;
    count *= d;
  }
  return true;
}

std::string unsupportedDtype(const std::string &file, const std::string &name,
                             const std::string &dtype) {
  return file + ": tensor '" + name + "': unsupported dtype " + dtype +
         ", expected F32, F16 or BF16";
}

Expected<std::vector<WeightTensor>> readNpyWeight(const std::string &path) {
  Expected<rt::NpyArray> array = rt::readNpy(path);
  if (!array)
    return array.status();
  WeightTensor t;
  t.name = stem(path, ".npy");
  t.file = path;
  switch (array->dtype) {
  case rt::DType::F32: t.dtype = "F32"; break;
  case rt::DType::F16: t.dtype = "F16"; break;
  case rt::DType::BF16: t.dtype = "BF16"; break;
  default: {
    // Messages spell dtypes the safetensors way ("I8") whatever the file type.
    std::string dtype = rt::dtypeName(array->dtype);
    for (char &c : dtype)
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return invalidFile(unsupportedDtype(path, t.name, dtype));
  }
  }
  t.shape = array->shape;
  t.values = toFloats(array->data.data(), array->numElements(), t.dtype);
  return std::vector<WeightTensor>{std::move(t)};
}

Expected<std::vector<WeightTensor>> readSafetensors(const std::string &path) {
  Expected<std::shared_ptr<MappedFile>> file = MappedFile::open(path);
  if (!file)
    return file.status();
  const uint8_t *bytes = (*file)->data();
  uint64_t size = (*file)->size();
  // Layout: u64 little-endian header length, the JSON header, then the data section.
  if (size < 8)
    return invalidFile(path + ": truncated safetensors file: expected at least 8 bytes "
                              "(the header length), got " +
                       std::to_string(size));
  uint64_t headerLength = 0;
  for (int i = 7; i >= 0; --i)
    headerLength = headerLength << 8 | bytes[i];
  if (headerLength > size - 8)
    return invalidFile(path + ": truncated safetensors file: the header claims " +
                       std::to_string(headerLength) + " bytes, but only " +
                       std::to_string(size - 8) + " follow the length field");
  Expected<std::vector<SafetensorsEntry>> entries = parseSafetensorsHeader(
      std::string(reinterpret_cast<const char *>(bytes) + 8, headerLength), path);
  if (!entries)
    return entries.status();
  const uint8_t *data = bytes + 8 + headerLength;
  uint64_t dataSize = size - 8 - headerLength;

  std::vector<WeightTensor> tensors;
  for (const SafetensorsEntry &e : *entries) {
    size_t width = elementBytes(e.dtype);
    if (width == 0)
      return invalidFile(unsupportedDtype(path, e.name, e.dtype));
    int64_t count;
    if (!elementCount(e.shape, count) || uint64_t(count) > UINT64_MAX / width)
      return invalidFile(path + ": tensor '" + e.name + "': shape too large");
    if (e.begin > e.end || e.end > dataSize)
      return invalidFile(path + ": tensor '" + e.name + "': data_offsets [" +
                         std::to_string(e.begin) + ", " + std::to_string(e.end) +
                         "] are outside the data section of " + std::to_string(dataSize) +
                         " bytes");
    if (e.end - e.begin != uint64_t(count) * width)
      return invalidFile(path + ": tensor '" + e.name + "': expected " +
                         std::to_string(uint64_t(count) * width) + " bytes for its " +
                         e.dtype + " shape, got " + std::to_string(e.end - e.begin));
    WeightTensor t;
    t.name = e.name;
    t.file = path;
    t.dtype = e.dtype;
    t.shape = e.shape;
    t.values = toFloats(data + e.begin, count, e.dtype);
    tensors.push_back(std::move(t));
  }
  return tensors;
}

} // namespace

Expected<std::vector<WeightTensor>> readWeightFile(const std::string &path) {
  if (endsWith(path, ".npy"))
    return readNpyWeight(path);
  if (endsWith(path, ".safetensors"))
    return readSafetensors(path);
  return invalidArgument(path + ": unknown weight file type, expected a .npy or "
                                ".safetensors file");
}

Expected<WeightMap> readWeights(const std::vector<std::string> &paths) {
  WeightMap weights;
  for (const std::string &path : paths) {
    Expected<std::vector<WeightTensor>> tensors = readWeightFile(path);
    if (!tensors)
      return tensors.status();
    for (WeightTensor &t : *tensors) {
      auto found = weights.find(t.name);
      if (found != weights.end())
        return invalidArgument("tensor '" + t.name + "' is in both " +
                               found->second.file + " and " + path);
      std::string name = t.name;
      weights.emplace(std::move(name), std::move(t));
    }
  }
  return weights;
}

} // namespace kiln
