#pragma once
/// The CPU executor: runs every segment of a decoded Kiln `.vgf` in order with the
/// kernels named by each segment's kernel descriptor (today the scalar reference
/// kernels), on host buffers laid out exactly as the Vulkan runtime's: one buffer per
/// model input/output and bound constant, one per intermediate alias group.

#include "kiln/support/Status.h"
#include "kiln/vgf/Model.h"

#include <cstdint>
#include <vector>

namespace kiln::cpu {

/// Runs `model` on `inputs` (one byte buffer per model input, each exactly the
/// resource's packed size) and returns one byte buffer per model output. A segment
/// without a kernel descriptor cannot run on the CPU and is an Unsupported error
/// naming it.
Expected<std::vector<std::vector<uint8_t>>> runModel(const vgf::Model &model,
                                                     const std::vector<std::vector<uint8_t>> &inputs);

} // namespace kiln::cpu
