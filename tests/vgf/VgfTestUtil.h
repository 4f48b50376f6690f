#pragma once
/// Helpers shared by the VGF tests: the sample container as bytes, byte patching at
/// header/record offsets, and section replacement for hand-built FlatBuffers.

#include "kiln/vgf/Decoder.h"
#include "kiln/vgf/Format.h"
#include "kiln/vgf/Model.h"

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace kiln::vgf::test {

/// 8-aligned byte storage: decodeVgf requires an aligned buffer.
class Bytes {
public:
  Bytes() = default;
  explicit Bytes(const std::vector<uint8_t> &bytes);
  uint8_t *data() { return reinterpret_cast<uint8_t *>(words_.data()); }
  const uint8_t *data() const { return reinterpret_cast<const uint8_t *>(words_.data()); }
  size_t size() const { return size_; }
  std::vector<uint8_t> vector() const { return {data(), data() + size_}; }
  void resize(size_t size);

  template <typename T> T get(size_t offset) const {
    T value;
    std::memcpy(&value, data() + offset, sizeof(T));
    return value;
  }
  template <typename T> void put(size_t offset, T value) {
    std::memcpy(data() + offset, &value, sizeof(T));
  }
  FileHeader header() const { return get<FileHeader>(0); }
  void setHeader(const FileHeader &header) { put(0, header); }

private:
  std::vector<uint64_t> words_;
  size_t size_ = 0;
};

/// The sample container of `kiln-vgf sample`, encoded.
Bytes sampleBytes();
/// Encodes `model`, optionally without the encoder's own validation.
Bytes encode(const Model &model, bool validate = true);
/// Decodes in memory.
Expected<DecodedVgf> decode(const Bytes &bytes);

/// Which section a test replaces.
enum class Section { Modules, Sequence, Resources };
/// Rebuilds the file with one FlatBuffers section replaced, keeping the layout rules.
Bytes replaceSection(const Bytes &file, Section which, const uint8_t *data, size_t size);

/// A fresh path in the test's temporary directory.
std::string tempPath(const std::string &name);

/// When KILN_VGF_SEED_DIR is set, saves `bytes` there as a fuzz seed.
void saveSeed(const std::string &name, const std::vector<uint8_t> &bytes);

} // namespace kiln::vgf::test
