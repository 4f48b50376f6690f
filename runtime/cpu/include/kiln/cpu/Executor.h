#pragma once
/// The CPU executor: runs every segment of a decoded Kiln `.vgf` in order with the
/// kernels named by each segment's kernel descriptor, on host buffers laid out exactly
/// as the Vulkan runtime's: one buffer per model input/output and bound constant, one
/// per intermediate alias group. A GEMM or QuantizeRows segment runs the vector kernel
/// the selected ISA offers for it (runtime/cpu/kernels/KernelSet.h; GEMMs on weights
/// packed once, split over a thread pool); every other segment runs the scalar
/// reference loops.

#include "kiln/cpu/Isa.h"
#include "kiln/support/Status.h"
#include "kiln/vgf/Model.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace kiln::cpu {

/// What preparing a model cost and chose.
struct PrepareStats {
  CpuIsa isa = CpuIsa::Scalar;
  unsigned threads = 1;
  unsigned packedGemms = 0;  ///< GEMM segments that run a packed micro-kernel
  uint64_t packedBytes = 0;  ///< memory the packed weights hold
  double packMicroseconds = 0;
};

/// A model prepared for repeated runs: descriptors decoded, buffers allocated,
/// constants copied and weights packed once. `model` must outlive it. Runs are not
/// thread-safe (they share the buffers).
class CpuModel {
public:
  /// The ISA comes from selectCpuIsa() (KILN_CPU_ISA), the thread count from
  /// KILN_CPU_THREADS (a positive integer) or else every hardware thread. A segment
  /// without a kernel descriptor cannot run on the CPU: an Unsupported error naming it.
  static Expected<std::unique_ptr<CpuModel>> prepare(const vgf::Model &model);
  ~CpuModel();

  /// Runs on `inputs` (one byte buffer per model input, each exactly the resource's
  /// packed size) and returns one byte buffer per model output.
  Expected<std::vector<std::vector<uint8_t>>> run(const std::vector<std::vector<uint8_t>> &inputs);

  /// The same in steps on caller-owned memory, as rt::Session does, so that repeated
  /// runs allocate nothing: copy each input in, run, copy each output out. `size` must
  /// be exactly the resource's packed size; a run reads the inputs last set.
  Status setInput(size_t index, const void *data, size_t size);
  Status run();
  Status readOutput(size_t index, void *data, size_t size) const;

  const PrepareStats &stats() const;

private:
  struct Impl;
  explicit CpuModel(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

} // namespace kiln::cpu
