#pragma once
/// A GEMM segment of a dynamic scheme (qp8_f32_qc8w, qp8_f32_qb4w) bound to one ISA's
/// micro-kernel, with its weights packed once, at model load.

#include "ThreadPool.h"

#include "kiln/cpu/Isa.h"
#include "kiln/cpu/MatmulDynamic.h"
#include "kiln/cpu/ScalarKernels.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace kiln::cpu {

class PackedGemm {
public:
  /// Packs the weights (binding 1) and scales (binding 2) found in `buffers`; null
  /// when `isa` has no fast kernel for this GEMM (scalar ISA, another scheme, a qb4w
  /// block size that is not a multiple of 8). InvalidArgument for short buffers.
  static Expected<std::unique_ptr<PackedGemm>> create(const vgf::GemmDesc &gemm, CpuIsa isa,
                                                      const KernelBuffers &buffers);

  /// Runs on `buffers` (the same layout as runKernelScalar), channel tiles split
  /// across `pool`.
  Status run(const KernelBuffers &buffers, ThreadPool &pool) const;

  size_t packedBytes() const { return packed_.size(); }

private:
  using Kernel = void (*)(const DynamicMatmulArgs &);
  PackedGemm(const vgf::GemmDesc &gemm, Kernel kernel) : gemm_(gemm), kernel_(kernel) {}

  vgf::GemmDesc gemm_;
  Kernel kernel_;
  std::vector<uint8_t> packed_;
  size_t tileBytes_ = 0;
};

} // namespace kiln::cpu
