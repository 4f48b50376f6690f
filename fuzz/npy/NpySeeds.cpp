// Writes the seed corpus of kiln-npy-fuzz into argv[1] with the reader's own writer
// (writeNpy): every dtype, in the shapes the reader treats differently (0-d, empty,
// 1-d, 3-d).

#include "kiln/runtime/Npy.h"

#include <cstdio>
#include <string>

int main(int argc, char **argv) {
  using namespace kiln::rt;
  if (argc != 2) {
    std::fprintf(stderr, "usage: kiln-npy-seeds <directory>\n");
    return 2;
  }
  const DType dtypes[] = {DType::Bool, DType::I8,   DType::U8,  DType::I16,
                          DType::I32,  DType::I64,  DType::F16, DType::BF16,
                          DType::F32,  DType::F64};
  const std::vector<std::vector<int64_t>> shapes = {{}, {0}, {3}, {2, 1, 3}};
  for (DType dtype : dtypes) {
    for (size_t s = 0; s < shapes.size(); ++s) {
      NpyArray array;
      array.dtype = dtype;
      array.shape = shapes[s];
      // Zero bytes are a valid value of every dtype, bool included.
      array.data.assign(size_t(array.numElements()) * dtypeSize(dtype), 0);
      std::string path = std::string(argv[1]) + "/" + dtypeName(dtype) + "_" +
                         std::to_string(s) + ".npy";
      kiln::Status status = writeNpy(path, array);
      if (!status.isOk()) {
        std::fprintf(stderr, "kiln-npy-seeds: %s\n", status.message().c_str());
        return 1;
      }
    }
  }
  return 0;
}
