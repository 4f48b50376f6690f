#pragma once
/// The loop nest every GEMM micro-kernel shares: channel tiles of `Nr` outermost (a
/// tile's packed weights stay in L1/L2 while every row block reuses them), row blocks
/// of up to `Mr` inside, each dispatched to the kernel's tile instantiated for exactly
/// that many rows. Included by per-ISA kernel files, each built with its own target
/// flags: everything here has internal linkage, so no instantiation made under one
/// ISA's flags can be shared with a file compiled for another.

#include "kiln/cpu/MatmulDynamic.h"

#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace kiln::cpu {
namespace {

/// Calls `tile(std::integral_constant<int, R>())` with R = min(rows, MaxR), rows >= 1.
template <int MaxR, typename Tile> void forRowCount(size_t rows, Tile &&tile) {
  if constexpr (MaxR > 1)
    if (rows < size_t(MaxR))
      return forRowCount<MaxR - 1>(rows, tile);
  tile(std::integral_constant<int, MaxR>());
}

/// Calls `block(n0, cols, m0, rowsTag)` for every Nr-column tile and Mr-row block of an
/// m x n output, where rowsTag is std::integral_constant<int, rows in this block>.
template <size_t Nr, int Mr, typename Block> void forEachTile(size_t m, size_t n, Block &&block) {
  for (size_t n0 = 0; n0 < n; n0 += Nr) {
    const size_t cols = n - n0 < Nr ? n - n0 : Nr;
    for (size_t m0 = 0; m0 < m; m0 += size_t(Mr))
      forRowCount<Mr>(m - m0, [&](auto rows) { block(n0, cols, m0, rows); });
  }
}

/// forEachTile for a dynamic-scheme GEMM over packed weights of `tileBytes` per
/// kDynamicNr channels (Nr may span several packed tiles): calls
/// `tile(args, packedTile, n0, cols, rowsTag)` with `args` moved to the block's first
/// row (activations, row scales and zero points, destination) and `packedTile` at
/// the packed tile of channel n0.
template <size_t Nr, int Mr, typename Tile>
void forEachDynamicTile(const DynamicMatmulArgs &args, size_t tileBytes, Tile &&tile) {
  const auto *packed = static_cast<const uint8_t *>(args.rhsPacked);
  forEachTile<Nr, Mr>(args.m, args.n, [&](size_t n0, size_t cols, size_t m0, auto rows) {
    DynamicMatmulArgs a = args;
    a.lhs = args.lhs + m0 * args.lhsStride;
    a.lhsScales = args.lhsScales + m0;
    a.lhsZeroPoints = args.lhsZeroPoints + m0;
    a.dst = args.dst + m0 * args.dstStride;
    tile(a, packed + n0 / kDynamicNr * tileBytes, n0, cols, rows);
  });
}

} // namespace
} // namespace kiln::cpu
