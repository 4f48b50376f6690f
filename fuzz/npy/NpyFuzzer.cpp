// libFuzzer target of the .npy reader (parseNpy). Beyond "never crash", every accepted
// input must hold exactly the bytes its dtype and shape call for: that is what the
// runtime and the weight importer rely on when they read the data without checks.

#include "kiln/runtime/Npy.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  using namespace kiln::rt;
  kiln::Expected<NpyArray> array = parseNpy(data, size, "fuzz.npy");
  if (!array)
    return 0;
  for (int64_t d : array->shape)
    if (d < 0)
      std::abort();
  if (array->data.size() != uint64_t(array->numElements()) * dtypeSize(array->dtype))
    std::abort();
  return 0;
}
