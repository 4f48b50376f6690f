#pragma once
/// Scalar reference kernels: one plain loop nest per kernel descriptor kind, on the
/// buffer layouts of kiln/vgf/KernelDescriptor.h (tightly packed, row-major, bound by
/// set-0 binding number). They follow docs/numerics.md's unfused operation order, so
/// the integer results, the dynamic schemes' and pf16's outputs are the values every
/// Kiln backend must reproduce bit for bit. Stateless; they do not allocate.

#include "kiln/support/Status.h"
#include "kiln/vgf/KernelDescriptor.h"

#include <array>
#include <cstddef>
#include <cstdint>

namespace kiln::cpu {

/// One storage buffer: `size` bytes at `data`, aligned for its element type.
struct BufferView {
  void *data = nullptr;
  size_t size = 0;
};

/// Bindings 0..9 of descriptor set 0 (the GEMM layout is the widest); bindings the
/// kernel does not use stay empty.
inline constexpr size_t kMaxKernelBindings = 10;
using KernelBuffers = std::array<BufferView, kMaxKernelBindings>;

/// Runs `descriptor` on `buffers`. InvalidArgument when a buffer the kernel uses is
/// missing or too small (naming the binding, expected and actual bytes), or when a
/// pqs8 requantization parameter is outside TOSA apply_scale_32's REQUIRE range.
Status runKernelScalar(const vgf::KernelDescriptor &descriptor, const KernelBuffers &buffers);

} // namespace kiln::cpu
