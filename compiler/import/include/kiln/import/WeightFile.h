#pragma once
/// Weight files (kiln-compile --weights): NumPy .npy and .safetensors, read into
/// fp32 tensors by name. No MLIR here; ApplyWeights.h puts them into a model.
///
/// Naming: a .safetensors file holds many tensors under their PyTorch state_dict
/// names ("layers.0.weight", "layers.0.bias"). A .npy file holds one tensor, named
/// by the file's stem: "layers.0.weight.npy" is the tensor "layers.0.weight", so a
/// model of any size can be loaded from one .npy per tensor.
///
/// Accepted element types: F32, F16 and BF16 (safetensors names; in .npy '<f4',
/// '<f2' and Kiln's bf16 convention, docs/reference.md), converted exactly to fp32.

#include "kiln/support/Status.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace kiln {

/// One tensor of a weight file, converted to fp32.
struct WeightTensor {
  std::string name;
  std::string file;  ///< the file it came from, for diagnostics
  std::string dtype; ///< its element type in the file ("F32", "F16", "BF16")
  std::vector<int64_t> shape;
  std::vector<float> values; ///< row-major
};

/// Tensors by name, from any number of files.
using WeightMap = std::map<std::string, WeightTensor>;

/// Reads every tensor of one .npy or .safetensors file (chosen by the extension).
Expected<std::vector<WeightTensor>> readWeightFile(const std::string &path);

/// Reads all `paths` into one map; a name found in two files is an error.
Expected<WeightMap> readWeights(const std::vector<std::string> &paths);

} // namespace kiln
