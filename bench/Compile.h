#pragma once
/// Compiling the benchmark's models in process: a built-in model (demo-linear or an
/// mlp of one layer) through the whole Kiln pipeline to `.vgf` bytes, timed.

#include "kiln/support/Status.h"

#include <cstdint>
#include <string>
#include <vector>

namespace kiln::bench {

/// One model to compile: `model` is "demo-linear" or "mlp" (then `sizes` = inputs,
/// then each layer's outputs), `batch` rows, every layer in `scheme`.
struct ModelSpec {
  std::string model = "mlp";
  std::string scheme = "pf32";
  int64_t batch = 1;
  std::vector<int64_t> sizes;
  uint64_t seed = 1;
};

struct CompiledModel {
  std::vector<uint8_t> vgf;
  double compileMilliseconds = 0; ///< kiln dialect to encoded container
};

/// Builds, lowers and encodes `spec`. pqs8_qc8w is calibrated on 16 Gaussian rows
/// written to a temporary .npy (the pipeline reads calibration data from a file).
Expected<CompiledModel> compileModel(const ModelSpec &spec);

/// `count` values from N(0, 1), seeded: the benchmark's activations.
std::vector<float> gaussian(size_t count, unsigned seed);

} // namespace kiln::bench
