// RHS packing of the dynamic schemes (layout in kiln/cpu/MatmulDynamic.h). Plain C++:
// it runs once per model load, so it needs no ISA variant.

#include "kiln/cpu/MatmulDynamic.h"

#include <cstring>

namespace kiln::cpu {
namespace {

constexpr size_t kNr = kDynamicNr;

size_t roundUp(size_t v, size_t m) { return (v + m - 1) / m * m; }
size_t tileCount(size_t n) { return (n + kNr - 1) / kNr; }

/// Weight k of channel c in the descriptor's int4 layout.
int32_t int4At(const uint8_t *weights, size_t k, size_t c, size_t col) {
  uint8_t byte = weights[c * (k / 2) + col / 2];
  uint8_t nibble = col % 2 == 0 ? byte & 0x0F : byte >> 4;
  return int32_t(nibble) - (nibble & 0x8 ? 16 : 0);
}

/// Writes a tile's sums and scales after its data; padding channels get zeros.
void writeSumsAndScales(uint8_t *out, const int32_t *sums, const float *scales) {
  std::memcpy(out, sums, kNr * 4);
  std::memcpy(out + kNr * 4, scales, kNr * 4);
}

/// qsi8cxp16x<Kr>: per tile, [Kp/Kr][16 channels][Kr k] int8 (K rounded up to Kr,
/// zero-padded), then the sums and scales.
template <size_t Kr>
void packQsi8cx(size_t n, size_t k, const int8_t *weights, const float *scales, uint8_t *out) {
  const size_t kp = roundUp(k, Kr);
  for (size_t t = 0; t < tileCount(n); ++t) {
    int32_t sums[kNr] = {};
    float tileScales[kNr] = {};
    auto *data = reinterpret_cast<int8_t *>(out);
    for (size_t kb = 0; kb < kp / Kr; ++kb)
      for (size_t c = 0; c < kNr; ++c)
        for (size_t i = 0; i < Kr; ++i) {
          size_t ch = t * kNr + c, col = kb * Kr + i;
          int8_t w = ch < n && col < k ? weights[ch * k + col] : 0;
          data[(kb * kNr + c) * Kr + i] = w;
          sums[c] += w;
        }
    for (size_t c = 0; c < kNr && t * kNr + c < n && scales; ++c)
      tileScales[c] = scales[t * kNr + c];
    writeSumsAndScales(out + kp * kNr, sums, tileScales);
    out += kp * kNr + 2 * kNr * 4;
  }
}

} // namespace

size_t kiln_rhs_pack_nxk_qsi8cxp16x4_qsi8cx_tile_size(size_t k) {
  return roundUp(k, 4) * kNr + 2 * kNr * 4;
}
size_t kiln_rhs_pack_nxk_qsi8cxp16x4_qsi8cx_size(size_t n, size_t k) {
  return tileCount(n) * kiln_rhs_pack_nxk_qsi8cxp16x4_qsi8cx_tile_size(k);
}
size_t kiln_rhs_pack_nxk_qsi8cxp16x8_qsi8cx_tile_size(size_t k) {
  return roundUp(k, 8) * kNr + 2 * kNr * 4;
}
size_t kiln_rhs_pack_nxk_qsi8cxp16x8_qsi8cx_size(size_t n, size_t k) {
  return tileCount(n) * kiln_rhs_pack_nxk_qsi8cxp16x8_qsi8cx_tile_size(k);
}
size_t kiln_rhs_pack_nxk_qsu4c32p16x8_qsi4c32_tile_size(size_t k, size_t bl) {
  return (k / bl) * (bl / 2 * kNr + kNr * 2);
}
size_t kiln_rhs_pack_nxk_qsu4c32p16x8_qsi4c32_size(size_t n, size_t k, size_t bl) {
  return tileCount(n) * kiln_rhs_pack_nxk_qsu4c32p16x8_qsi4c32_tile_size(k, bl);
}

void kiln_rhs_pack_nxk_qsi8cxp16x4_qsi8cx(size_t n, size_t k, const int8_t *weights,
                                          const float *scales, void *packed) {
  packQsi8cx<4>(n, k, weights, scales, static_cast<uint8_t *>(packed));
}

void kiln_rhs_pack_nxk_qsi8cxp16x8_qsi8cx(size_t n, size_t k, const int8_t *weights,
                                          const float *scales, void *packed) {
  packQsi8cx<8>(n, k, weights, scales, static_cast<uint8_t *>(packed));
}

void kiln_rhs_pack_nxk_qsu4c32p16x8_qsi4c32(size_t n, size_t k, size_t bl,
                                            const uint8_t *weights, const float *scales,
                                            void *packed) {
  const size_t groups = k / bl;
  auto *out = static_cast<uint8_t *>(packed);
  for (size_t t = 0; t < tileCount(n); ++t)
    for (size_t j = 0; j < groups; ++j) {
      for (size_t g = 0; g < bl / 8; ++g)
        for (size_t c = 0; c < kNr; ++c)
          for (size_t i = 0; i < 4; ++i) {
            size_t ch = t * kNr + c, col = j * bl + g * 8 + i;
            // Stored as u = w + 8 in [0, 15]; a padding channel holds w = 0 (u = 8).
            int32_t lo = ch < n ? int4At(weights, k, ch, col) : 0;
            int32_t hi = ch < n ? int4At(weights, k, ch, col + 4) : 0;
            out[(g * kNr + c) * 4 + i] = uint8_t((lo + 8) | (hi + 8) << 4);
          }
      uint16_t blockScales[kNr] = {};
      for (size_t c = 0; c < kNr && t * kNr + c < n; ++c) {
        uint32_t bits;
        std::memcpy(&bits, &scales[(t * kNr + c) * groups + j], 4);
        blockScales[c] = uint16_t(bits >> 16); // exact: the scales are bf16 values
      }
      std::memcpy(out + bl / 2 * kNr, blockScales, sizeof blockScales);
      out += bl / 2 * kNr + kNr * 2;
    }
}

bool kiln_rhs_pack_nxk_qsu4c32p16x8_qsi4c32_accepts(size_t count, const float *scales) {
  for (size_t i = 0; i < count; ++i) {
    uint32_t bits;
    std::memcpy(&bits, &scales[i], 4);
    if (bits & 0xFFFF)
      return false;
  }
  return true;
}

} // namespace kiln::cpu
