#pragma once
/// The Vulkan baseline that Kiln's tiled kernels are measured against: a container
/// of one untiled dispatch, one invocation per output (bench/naive_gemm.comp), in the
/// operand types of a scheme, on deterministic operands.

#include "kiln/support/Status.h"

#include <cstdint>
#include <vector>

namespace kiln::bench {

enum class NaiveOperands { F32, I8, I4 };

/// The naive kernel's operands for `scheme` (pf32/pf16 read fp32, int4 weights nibbles).
NaiveOperands naiveOperandsFor(const std::string &scheme);

/// An encoded `.vgf` computing the M×N×K product with the naive kernel; its single
/// input is x ([M,K] fp32 or int8), `inputBytes` its size.
Expected<std::vector<uint8_t>> buildNaiveGemm(NaiveOperands operands, int64_t m, int64_t n,
                                              int64_t k, uint64_t *inputBytes);

} // namespace kiln::bench
