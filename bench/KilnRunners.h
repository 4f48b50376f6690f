#pragma once
/// Kiln's two backends behind one small interface for the benchmark: a compiled
/// container loaded once (timed), then run on a fixed input.

#include "kiln/support/Status.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace kiln::bench {

struct LoadInfo {
  double loadMilliseconds = 0; ///< decode + prepare (CPU: buffers, weight packing; Vulkan: device, uploads, pipelines)
  uint64_t weightBytes = 0;    ///< what one run streams: packed weights on the CPU, else the constants
  std::string device;          ///< "cpu avx512, 2 threads" or the Vulkan device name
};

class KilnRunner {
public:
  virtual ~KilnRunner() = default;
  /// Runs once on `input` (the model's single input, exactly its size); the output
  /// stays inside unless `output` is given.
  virtual Status run(const std::vector<uint8_t> &input, std::vector<uint8_t> *output = nullptr) = 0;
  /// Vulkan: the device time (timestamps) of the last run's GEMM segments, or of all
  /// its segments when none is described as a GEMM; 0 on the CPU.
  virtual double gemmDeviceMicroseconds() const { return 0; }
  const LoadInfo &load() const { return load_; }

protected:
  LoadInfo load_;
};

/// The CPU executor on `threads` threads (KILN_CPU_THREADS is set around prepare, the
/// executor's documented control).
Expected<std::unique_ptr<KilnRunner>> openCpu(const std::vector<uint8_t> &vgf, unsigned threads);
/// A Vulkan session on the default device (KILN_VULKAN_DEVICE picks another).
Expected<std::unique_ptr<KilnRunner>> openVulkan(const std::vector<uint8_t> &vgf);

/// Sum of the container's constant bytes (the weights as stored, plus small metadata).
uint64_t constantBytes(const std::vector<uint8_t> &vgf);

} // namespace kiln::bench
