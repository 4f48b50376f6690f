#pragma once
/// kiln-run's `.vgf` path: runs a compiled container with the Vulkan runtime or the
/// CPU executor.

#include "kiln/runtime/Npy.h"
#include "kiln/support/Status.h"

#include <string>
#include <vector>

namespace kiln::tools {

struct VgfRunOptions {
  std::string path;
  /// vulkan, cpu, or auto: Vulkan, falling back to the CPU when no usable device exists.
  std::string backend = "auto";
  std::vector<std::string> inputPaths;
  std::string device;     ///< index or name substring ("" = default selection)
  bool validation = false;
  int repeat = 0;         ///< timed runs after one warm-up run (0: one untimed run)
  bool profile = false;   ///< per-segment table
  std::string tracePath;  ///< Chrome trace JSON ("" = none)
};

/// Runs the model and returns its outputs; prints latency / profile lines to stdout.
Expected<std::vector<rt::NpyArray>> runVgf(const VgfRunOptions &options);

} // namespace kiln::tools
