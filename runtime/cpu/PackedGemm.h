#pragma once
/// A GEMM segment (pf32, qp8_f32_qc8w, qp8_f32_qb4w, pqs8_qc8w) bound to one ISA's
/// micro-kernel, with its weights packed once, at model load.

#include "KernelSet.h"
#include "ThreadPool.h"
#ifdef KILN_CPU_HAVE_KLEIDIAI
#include "kleidiai/KaiGemm.h"
#endif

#include "kiln/cpu/ScalarKernels.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace kiln::cpu {

class PackedGemm {
public:
  /// Packs the weights (binding 1) and scales (binding 2) found in `buffers` for the
  /// selected ISA's `kernels`; null when they have no fast kernel for this GEMM
  /// (scalar ISA, a qb4w block size that is not a multiple of 8, block scales that are
  /// not bf16, requantization parameters outside apply_scale_32's range).
  /// InvalidArgument for short buffers. `constantBias`: the bias (binding 3), if any,
  /// stays the same from run to run, which KleidiAI needs since its packing folds the
  /// bias into the weights (docs/cpu-aarch64.md §6); Kiln's kernels read it every run.
  static Expected<std::unique_ptr<PackedGemm>> create(const vgf::GemmDesc &gemm,
                                                      const detail::KernelSet &kernels,
                                                      const KernelBuffers &buffers,
                                                      bool constantBias);

  /// Runs on `buffers` (the same layout as runKernelScalar), channel tiles split
  /// across `pool`. Not reentrant: a packed-LHS kernel's rows go through scratch the
  /// GEMM owns.
  Status run(const KernelBuffers &buffers, ThreadPool &pool);

  /// The packed weights and the packed-LHS scratch.
  size_t packedBytes() const;

#ifdef KILN_CPU_HAVE_KLEIDIAI
  /// Whether KleidiAI's micro-kernels run this GEMM (docs/cpu-aarch64.md §6).
  bool runsKleidiAi() const { return kai_ != nullptr; }
#endif

private:
  explicit PackedGemm(const vgf::GemmDesc &gemm) : gemm_(gemm) {}

  /// Packs int8 weights [N,K] with `kr` k per channel (the kernel table's int8Kr) and
  /// their scales (null for pqs8).
  void packInt8(size_t kr, const int8_t *weights, const float *scales);
  /// Runs `kernel` (if set) instead of the unpacked-LHS one, with its scratch.
  void usePackedLhs(detail::PackedLhsKernel kernel);
  /// The same for pf32 and pf16.
  void useF32PackedLhs(const detail::F32PackedLhs &kernel);
  /// Rows in a block of the packed LHS, for the kernel in use.
  size_t packedLhsMr() const;
  /// Packs row blocks [b0, b1) of the LHS (quantized or fp32) into lhsPacked_.
  void packLhs(const KernelBuffers &buffers, size_t b0, size_t b1);
  /// Runs channel tiles [t0, t1) with the kernel of the scheme.
  void runTiles(const KernelBuffers &buffers, size_t t0, size_t t1) const;

  vgf::GemmDesc gemm_;
  // Exactly one is set: the kernel of the GEMM's scheme.
  detail::DynamicKernel dynamic_ = nullptr;     ///< qp8_f32_qc8w, qp8_f32_qb4w
  detail::PackedLhsKernel packedLhs_ = nullptr; ///< the same on a packed LHS
  detail::F32Kernel f32_ = nullptr;             ///< pf32, pf16
  detail::F32PackedLhs f32PackedLhs_;           ///< set: runs instead of f32_ (M >= 2)
  detail::StaticKernel static_ = nullptr;       ///< pqs8_qc8w
  std::vector<uint8_t> packed_;
  size_t tileBytes_ = 0;
  /// packedLhs_'s qai8dxp8x4 rows or f32PackedLhs_'s f32p12x1 rows, sized at prepare
  /// time (kernels never allocate).
  std::vector<uint8_t> lhsPacked_;
#ifdef KILN_CPU_HAVE_KLEIDIAI
  /// Set: KleidiAI runs this GEMM, and the kernels and buffers above stay empty.
  std::unique_ptr<kleidiai::KaiGemm> kai_;
#endif
};

} // namespace kiln::cpu
