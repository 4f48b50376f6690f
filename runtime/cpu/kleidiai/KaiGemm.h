#pragma once
/// A qp8_f32_qc8w, qp8_f32_qb4w or pf32 GEMM run by KleidiAI's micro-kernels
/// (KILN_CPU_KLEIDIAI builds, docs/cpu-aarch64.md §6): the canonical weights, scales
/// and bias packed once, at load, with KleidiAI's own RHS packers; at run time the
/// QuantizeRows segment's rows packed into KleidiAI's qai8dxp layout
/// (kiln_lhs_pack_qai8dxp_qai8dx; pf32 reads its fp32 rows as they are) and KleidiAI's
/// matmul run over channel ranges on the thread pool. The int8 dot products are exact;
/// the fp32 arithmetic is KleidiAI's, so outputs agree with Kiln's kernels within
/// numerics.md's bounds, not bit for bit.

#include "ThreadPool.h"

#include "kiln/cpu/ScalarKernels.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace kiln::cpu::kleidiai {

struct Kernels;

class KaiGemm {
public:
  /// Packs the weights (binding 1), scales (2) and bias (3) found in `buffers` for
  /// `kernels`; null when KleidiAI does not run this GEMM: a scheme `kernels` has no
  /// kernel for (pqs8_qc8w, pf16, the int8 schemes on the neon tier), a qb4w block size
  /// that is not a multiple of 32 (KleidiAI's qsi4c32p), block scales that are not bf16
  /// values, or a buffer too short (Kiln's path then reports it).
  static std::unique_ptr<KaiGemm> create(const vgf::GemmDesc &gemm, const Kernels &kernels,
                                         const KernelBuffers &buffers);

  /// Runs on `buffers` (the layout of runKernelScalar; the bias is the one packed at
  /// create), channel ranges split across `pool`. Not reentrant: the packed LHS goes
  /// through scratch the GEMM owns.
  Status run(const KernelBuffers &buffers, ThreadPool &pool);

  /// The packed weights and the packed-LHS scratch.
  size_t packedBytes() const { return rhsPacked_.size() + lhsPacked_.size(); }

private:
  KaiGemm(const vgf::GemmDesc &gemm, const Kernels &kernels) : gemm_(gemm), kernels_(kernels) {}

  /// Packs the int8 weights, their scales and the bias with
  /// kai_run_rhs_pack_nxk_qsi8cxp_qsi8cx_neon.
  void packQc8w(const KernelBuffers &buffers);
  /// Packs the int4 weights as unsigned q + 8 nibbles, their bf16 block scales and the
  /// bias with kai_run_rhs_pack_nxk_qsi4c32p_qsu4c32s1s0; false when a scale is not a
  /// bf16 value.
  bool packQb4w(const KernelBuffers &buffers);
  /// Packs the fp32 weights and the bias with kai_run_rhs_pack_nxk_x32p16x1bx32_x32_x32_neon.
  void packPf32(const KernelBuffers &buffers);
  /// Runs KleidiAI's matmul on channels [n0, n1), n0 a multiple of its n step.
  void runChannels(const KernelBuffers &buffers, size_t n0, size_t n1) const;

  vgf::GemmDesc gemm_;
  const Kernels &kernels_;
  size_t mr_ = 0, kr_ = 0, sr_ = 0, nStep_ = 0; ///< the scheme's kernel's (mr: int8 only)
  std::vector<uint8_t> rhsPacked_;
  /// The qai8dxp rows, sized at create (kernels never allocate); empty for pf32.
  std::vector<uint8_t> lhsPacked_;
};

} // namespace kiln::cpu::kleidiai
