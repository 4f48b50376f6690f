// libFuzzer target of the VGF decoder. Beyond "never crash", it checks one property on
// every accepted input: the encoder accepts what the decoder accepted, and decoding its
// output and encoding again reproduces the same bytes (the round trip is a fixed point).

#include "kiln/vgf/Decoder.h"
#include "kiln/vgf/Encoder.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace {

/// decodeVgf requires 8-byte alignment; libFuzzer's buffer makes no promise.
std::vector<uint64_t> alignedCopy(const uint8_t *data, size_t size) {
  std::vector<uint64_t> words((size + 7) / 8);
  if (size)
    std::memcpy(words.data(), data, size);
  return words;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  using namespace kiln::vgf;
  std::vector<uint64_t> input = alignedCopy(data, size);
  auto decoded = decodeVgf(reinterpret_cast<const uint8_t *>(input.data()), size);
  if (!decoded)
    return 0;
  auto first = encodeVgf(decoded->model);
  if (!first)
    std::abort(); // the encoder refused what the decoder accepted
  std::vector<uint64_t> again = alignedCopy(first->data(), first->size());
  auto redecoded = decodeVgf(reinterpret_cast<const uint8_t *>(again.data()), first->size());
  if (!redecoded)
    std::abort();
  auto second = encodeVgf(redecoded->model);
  if (!second || *second != *first)
    std::abort();
  return 0;
}
