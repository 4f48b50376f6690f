#include "kiln/dialect/Scheme.h"

#include "llvm/ADT/StringExtras.h"

namespace kiln {

int64_t defaultBlockSize(SchemeKind kind) {
  return kind == SchemeKind::qp8_f32_qb4w ? kBlockSizeQuantum : 0;
}

WeightStorage weightStorage(SchemeKind kind) {
  switch (kind) {
  case SchemeKind::pf32:
    return WeightStorage::F32;
  case SchemeKind::pf16:
    return WeightStorage::F16;
  case SchemeKind::pqs8_qc8w:
  case SchemeKind::qp8_f32_qc8w:
    return WeightStorage::I8PerChannel;
  case SchemeKind::qp8_f32_qb4w:
    return WeightStorage::I4PerBlock;
  }
  llvm_unreachable("unknown scheme");
}

int weightBits(SchemeKind kind) {
  switch (weightStorage(kind)) {
  case WeightStorage::F32:
    return 32;
  case WeightStorage::F16:
    return 16;
  case WeightStorage::I8PerChannel:
    return 8;
  case WeightStorage::I4PerBlock:
    return 4;
  }
  llvm_unreachable("unknown weight storage");
}

bool needsCalibration(SchemeKind kind) { return kind == SchemeKind::pqs8_qc8w; }

bool hasDynamicActivations(SchemeKind kind) {
  return kind == SchemeKind::qp8_f32_qc8w || kind == SchemeKind::qp8_f32_qb4w;
}

bool hasIntegerWeights(SchemeKind kind) {
  WeightStorage storage = weightStorage(kind);
  return storage == WeightStorage::I8PerChannel || storage == WeightStorage::I4PerBlock;
}

std::optional<SchemeKind> parseSchemeName(const std::string &name) {
  return symbolizeSchemeKind(name);
}

std::string allSchemeNames() {
  std::string names;
  for (uint32_t i = 0; i <= getMaxEnumValForSchemeKind(); ++i) {
    if (!names.empty())
      names += ", ";
    names += stringifySchemeKind(static_cast<SchemeKind>(i)).str();
  }
  return names;
}

int64_t quantizedWeightBytes(SchemeKind kind, int64_t n, int64_t k, int64_t blockSize) {
  switch (weightStorage(kind)) {
  case WeightStorage::F32:
    return n * k * 4;
  case WeightStorage::F16:
    return n * k * 2;
  case WeightStorage::I8PerChannel:
    return n * k + n * 4;
  case WeightStorage::I4PerBlock:
    return (n * k + 1) / 2 + n * (k / blockSize) * 2;
  }
  llvm_unreachable("unknown weight storage");
}

} // namespace kiln
