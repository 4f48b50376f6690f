// libFuzzer target of the safetensors reader: readWeightFile, which checks the length
// field, parses the JSON header (parseSafetensorsHeader) and checks every tensor's
// offsets against the data section. It reads from a path (the file is mapped), so
// each input goes through a file; in /dev/shm when there is one, since a file on disk
// made the runs 10x slower (kernel time). Property: every accepted tensor holds
// exactly as many values as its shape.

#include "kiln/import/WeightFile.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <unistd.h>

namespace {

std::string inputPath() {
  std::filesystem::path dir = "/dev/shm";
  std::error_code error;
  if (!std::filesystem::is_directory(dir, error))
    dir = std::filesystem::temp_directory_path();
  return (dir / ("kiln-safetensors-fuzz-" + std::to_string(::getpid()) + ".safetensors"))
      .string();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const std::string path = inputPath();
  std::FILE *file = std::fopen(path.c_str(), "wb");
  if (!file || std::fwrite(data, 1, size, file) != size || std::fclose(file) != 0)
    std::abort(); // the harness, not the reader, failed
  kiln::Expected<std::vector<kiln::WeightTensor>> tensors = kiln::readWeightFile(path);
  if (!tensors)
    return 0;
  for (const kiln::WeightTensor &t : *tensors) {
    uint64_t count = 1;
    for (int64_t d : t.shape) {
      if (d < 0)
        std::abort();
      count *= uint64_t(d);
    }
    if (t.values.size() != count)
      std::abort();
  }
  return 0;
}
