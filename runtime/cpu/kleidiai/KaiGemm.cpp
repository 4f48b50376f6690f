#include "KaiGemm.h"

#include "KaiKernels.h"
#include "LhsPack.h"

#include "kai/ukernels/matmul/pack/kai_lhs_quant_pack_qai8dxp_f32.h"
#include "kai/ukernels/matmul/pack/kai_rhs_pack_nxk_qsi4c32p_qsu4c32s1s0.h"
#include "kai/ukernels/matmul/pack/kai_rhs_pack_nxk_qsi8cxp_qsi8cx_neon.h"
#include "kai/ukernels/matmul/pack/kai_rhs_pack_nxk_x32p16x1bx32_x32_x32_neon.h"

#include <algorithm>
#include <cstring>
#include <string>

namespace kiln::cpu::kleidiai {
namespace {

using vgf::GemmScheme;

bool holds(const BufferView &view, uint64_t size) {
  return view.data != nullptr && view.size >= size;
}

/// The bf16 bits of `v`, or false when `v` is not a bf16 value (numerics.md stores
/// qb4w block scales as bf16 widened to f32; KleidiAI's packer takes the 16 bits).
bool toBf16(float v, uint16_t &bits) {
  uint32_t u;
  std::memcpy(&u, &v, sizeof(u));
  bits = uint16_t(u >> 16);
  return (u & 0xFFFFu) == 0;
}

} // namespace

std::unique_ptr<KaiGemm> KaiGemm::create(const vgf::GemmDesc &g, const Kernels &kernels,
                                         const KernelBuffers &buffers) {
  const uint64_t n = g.n, k = g.k;
  if (k == 0 || (g.hasBias && !holds(buffers[3], n * sizeof(float))))
    return nullptr;
  std::unique_ptr<KaiGemm> p(new KaiGemm(g, kernels));
  switch (g.scheme) {
  case GemmScheme::Pf32:
    if (!kernels.pf32.run_matmul || !holds(buffers[1], n * k * sizeof(float)))
      return nullptr;
    p->packPf32(buffers);
    return p;
  case GemmScheme::Qp8F32Qc8w:
    if (!kernels.qc8w.run_matmul || !holds(buffers[1], n * k) ||
        !holds(buffers[2], n * sizeof(float)))
      return nullptr;
    p->packQc8w(buffers);
    break;
  case GemmScheme::Qp8F32Qb4w:
    // qsi4c32p: blocks of a multiple of 32 k (kai_bl in its kernels), K whole blocks.
    if (!kernels.qb4w.run_matmul || g.blockSize == 0 || g.blockSize % 32 != 0 ||
        k % g.blockSize != 0 || !holds(buffers[1], n * k / 2) ||
        !holds(buffers[2], n * (k / g.blockSize) * sizeof(float)) || !p->packQb4w(buffers))
      return nullptr;
    break;
  default:
    return nullptr;
  }
  p->lhsPacked_.resize(
      kai_get_lhs_packed_size_lhs_quant_pack_qai8dxp_f32(g.m, k, p->mr_, p->kr_, p->sr_));
  return p;
}

void KaiGemm::packQc8w(const KernelBuffers &buffers) {
  const kai_matmul_clamp_f32_qai8dxp_qsi8cxp_ukernel &kernel = kernels_.qc8w;
  const size_t n = gemm_.n, k = gemm_.k, nr = kernel.get_nr();
  mr_ = kernel.get_mr();
  kr_ = kernel.get_kr();
  sr_ = kernel.get_sr();
  nStep_ = kernel.get_n_step();
  rhsPacked_.resize(kai_get_rhs_packed_size_rhs_pack_nxk_qsi8cxp_qsi8cx_neon(n, k, nr, kr_, sr_));
  // lhs_zero_point 1: the packed sums are Σw, which the kernel multiplies by the
  // row's −zp (kiln_lhs_pack_qai8dxp_qai8dx); the scale multiplier is unused.
  const kai_rhs_pack_qsi8cx_params params = {1, 1.0f};
  kai_run_rhs_pack_nxk_qsi8cxp_qsi8cx_neon(
      1, n, k, nr, kr_, sr_, static_cast<const int8_t *>(buffers[1].data),
      gemm_.hasBias ? static_cast<const float *>(buffers[3].data) : nullptr,
      static_cast<const float *>(buffers[2].data), rhsPacked_.data(), 0, &params);
}

bool KaiGemm::packQb4w(const KernelBuffers &buffers) {
  const kai_matmul_clamp_f32_qai8dxp_qsi4c32p_ukernel &kernel = kernels_.qb4w;
  const size_t n = gemm_.n, k = gemm_.k, bl = gemm_.blockSize, nr = kernel.get_nr();
  const size_t blocks = k / bl;
  std::vector<uint16_t> scales(n * blocks);
  const auto *scales32 = static_cast<const float *>(buffers[2].data);
  for (size_t i = 0; i < scales.size(); ++i)
    if (!toBf16(scales32[i], scales[i]))
      return false;
  // Kiln keeps two's complement nibbles, KleidiAI unsigned q + 8 (qsu4c32s1s0), both
  // with even k in the low nibble: adding 8 to a 4-bit two's complement value is
  // flipping its top bit.
  std::vector<uint8_t> weights(n * k / 2);
  const auto *stored = static_cast<const uint8_t *>(buffers[1].data);
  for (size_t i = 0; i < weights.size(); ++i)
    weights[i] = stored[i] ^ 0x88u;
  mr_ = kernel.get_mr();
  kr_ = kernel.get_kr();
  sr_ = kernel.get_sr();
  nStep_ = kernel.get_n_step();
  rhsPacked_.resize(kai_get_rhs_packed_size_rhs_pack_nxk_qsi4c32p_qsu4c32s1s0(n, k, nr, kr_, sr_,
                                                                              bl, kai_dt_bf16));
  const kai_rhs_pack_nxk_qsi4c32p_qsu4c32s1s0_params params = {1, 8, kai_dt_bf16};
  kai_run_rhs_pack_nxk_qsi4c32p_qsu4c32s1s0(
      1, n, k, nr, kr_, sr_, bl, weights.data(), k / 2,
      gemm_.hasBias ? static_cast<const float *>(buffers[3].data) : nullptr, scales.data(),
      blocks * sizeof(uint16_t), rhsPacked_.data(), 0, &params);
  return true;
}

void KaiGemm::packPf32(const KernelBuffers &buffers) {
  const kai_matmul_clamp_f32_f32_f32p_ukernel &kernel = kernels_.pf32;
  const size_t n = gemm_.n, k = gemm_.k;
  nStep_ = kernel.get_n_step();
  rhsPacked_.resize(kai_get_rhs_packed_size_rhs_pack_nxk_x32p16x1bx32_x32_x32_neon(n, k));
  kai_run_rhs_pack_nxk_x32p16x1bx32_x32_x32_neon(
      1, n, k, kernel.get_nr(), kernel.get_kr(), kernel.get_sr(), k * sizeof(float),
      buffers[1].data, gemm_.hasBias ? buffers[3].data : nullptr, nullptr, rhsPacked_.data(), 0,
      nullptr);
}

void KaiGemm::runChannels(const KernelBuffers &buffers, size_t n0, size_t n1) const {
  const vgf::GemmDesc &g = gemm_;
  float *dst = static_cast<float *>(buffers[9].data) + n0;
  const size_t rowBytes = size_t(g.n) * sizeof(float);
  if (g.scheme == vgf::GemmScheme::Pf32) {
    const kai_matmul_clamp_f32_f32_f32p_ukernel &kernel = kernels_.pf32;
    kernel.run_matmul(g.m, n1 - n0, g.k, buffers[0].data, size_t(g.k) * sizeof(float),
                      rhsPacked_.data() + kernel.get_rhs_packed_offset(n0, g.k), dst, rowBytes,
                      sizeof(float), g.clampMin, g.clampMax);
  } else if (g.scheme == vgf::GemmScheme::Qp8F32Qb4w) {
    const kai_matmul_clamp_f32_qai8dxp_qsi4c32p_ukernel &kernel = kernels_.qb4w;
    kernel.run_matmul(g.m, n1 - n0, g.k, g.blockSize, lhsPacked_.data(),
                      rhsPacked_.data() + kernel.get_rhs_packed_offset(n0, g.k, g.blockSize), dst,
                      rowBytes, sizeof(float), g.clampMin, g.clampMax);
  } else {
    const kai_matmul_clamp_f32_qai8dxp_qsi8cxp_ukernel &kernel = kernels_.qc8w;
    kernel.run_matmul(g.m, n1 - n0, g.k, lhsPacked_.data(),
                      rhsPacked_.data() + kernel.get_rhs_packed_offset(n0, g.k), dst, rowBytes,
                      sizeof(float), g.clampMin, g.clampMax);
  }
}

Status KaiGemm::run(const KernelBuffers &buffers, ThreadPool &pool) {
  const vgf::GemmDesc &g = gemm_;
  const uint64_t m = g.m, n = g.n, k = g.k;
  const bool f32 = g.scheme == vgf::GemmScheme::Pf32;
  const struct {
    uint32_t binding;
    const char *name;
    uint64_t size;
  } uses[] = {{0, "lhs", m * k * (f32 ? sizeof(float) : 1)},
              {9, "output", m * n * sizeof(float)},
              {5, "lhs row scales", m * sizeof(float)},
              {6, "lhs row zero points", m * sizeof(int32_t)}};
  // pf32 reads its fp32 rows directly: no row scales or zero points.
  for (size_t i = 0; i < (f32 ? 2 : 4); ++i)
    if (!holds(buffers[uses[i].binding], uses[i].size))
      return invalidArgument("binding " + std::to_string(uses[i].binding) + " (" + uses[i].name +
                             "): expected at least " + std::to_string(uses[i].size) +
                             " bytes, got " + std::to_string(buffers[uses[i].binding].size));

  // Row blocks, then channel ranges, split over the threads; one part runs on the
  // caller alone.
  auto split = [&pool](size_t units, auto &&runParts) {
    const unsigned parts = unsigned(std::min<size_t>(pool.size(), units));
    if (parts <= 1)
      return runParts(0, units);
    pool.parallelFor(
        parts, [&](unsigned part) { runParts(units * part / parts, units * (part + 1) / parts); });
  };
  if (!f32) {
    const size_t blockBytes =
        kai_get_lhs_packed_offset_lhs_quant_pack_qai8dxp_f32(mr_, g.k, mr_, kr_, sr_);
    split((m + mr_ - 1) / mr_, [&](size_t b0, size_t b1) {
      const size_t m0 = b0 * mr_, m1 = std::min<size_t>(m, b1 * mr_);
      kiln_lhs_pack_qai8dxp_qai8dx(
          m1 - m0, g.k, mr_, kr_, sr_, static_cast<const int8_t *>(buffers[0].data) + m0 * g.k, g.k,
          static_cast<const float *>(buffers[5].data) + m0,
          static_cast<const int32_t *>(buffers[6].data) + m0, lhsPacked_.data() + b0 * blockBytes);
    });
  }
  // Contiguous runs of n steps, one per thread: each streams its own slice of the
  // packed weights once.
  split((n + nStep_ - 1) / nStep_, [&](size_t t0, size_t t1) {
    runChannels(buffers, t0 * nStep_, std::min<size_t>(n, t1 * nStep_));
  });
  return Status::ok();
}

} // namespace kiln::cpu::kleidiai
