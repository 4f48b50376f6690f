#pragma once
/// The model interface of a Kiln `.vgf` (inputs and outputs with their .npy dtype and
/// shape), shared by every backend.

#include "kiln/runtime/Npy.h"
#include "kiln/support/Status.h"
#include "kiln/vgf/Model.h"

#include <cstdint>
#include <string>
#include <vector>

namespace kiln::rt {

/// A model input or output.
struct TensorInfo {
  std::string name;
  DType dtype = DType::F32;
  std::vector<int64_t> shape;
  size_t byteSize = 0;
};

/// Packed bytes of a resource: product of the shape times the format's element size.
uint64_t resourceBytes(const vgf::Resource &resource);

/// The model's inputs and outputs, in order. A format without a .npy dtype is
/// Unsupported, naming the input or output.
Expected<std::vector<TensorInfo>> modelInputs(const vgf::Model &model);
Expected<std::vector<TensorInfo>> modelOutputs(const vgf::Model &model);

} // namespace kiln::rt
