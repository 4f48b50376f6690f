#include "kiln/codegen/KernelGraph.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>

namespace kiln::codegen {

const char *elementTypeName(ElementType type) {
  switch (type) {
  case ElementType::F32: return "f32";
  case ElementType::F16: return "f16";
  case ElementType::I8: return "i8";
  case ElementType::I32: return "i32";
  }
  return "?";
}

uint32_t elementBytes(ElementType type) {
  switch (type) {
  case ElementType::F32: return 4;
  case ElementType::F16: return 2;
  case ElementType::I8: return 1;
  case ElementType::I32: return 4;
  }
  return 0;
}

int64_t GraphTensor::elementCount() const {
  int64_t count = 1;
  for (int64_t d : shape)
    count *= d;
  return count;
}

namespace {

struct LiveRange {
  uint32_t tensor;
  size_t first, last; ///< kernel indexes of the producer and the last reader
};

std::vector<LiveRange> intermediateRanges(const KernelGraph &graph) {
  std::vector<LiveRange> ranges;
  std::vector<int64_t> first(graph.tensors.size(), -1), last(graph.tensors.size(), -1);
  for (size_t k = 0; k < graph.kernels.size(); ++k)
    for (const KernelBinding &b : graph.kernels[k].bindings) {
      if (first[b.tensor] < 0)
        first[b.tensor] = static_cast<int64_t>(k);
      last[b.tensor] = static_cast<int64_t>(k);
    }
  for (uint32_t t = 0; t < graph.tensors.size(); ++t)
    if (graph.tensors[t].category == vgf::ResourceCategory::Intermediate && first[t] >= 0)
      ranges.push_back({t, static_cast<size_t>(first[t]), static_cast<size_t>(last[t])});
  return ranges;
}

} // namespace

uint32_t planMemory(KernelGraph &graph) {
  // Greedy interval colouring in order of first use: a tensor takes the free group
  // (one whose last reader ran before this tensor is written) closest in size, so
  // large buffers are reused by large tensors.
  struct Group {
    size_t busyUntil;
    int64_t bytes;
  };
  std::vector<Group> groups;
  std::vector<LiveRange> ranges = intermediateRanges(graph);
  std::stable_sort(ranges.begin(), ranges.end(),
                   [](const LiveRange &a, const LiveRange &b) { return a.first < b.first; });
  for (const LiveRange &range : ranges) {
    GraphTensor &tensor = graph.tensors[range.tensor];
    int64_t bytes = tensor.byteSize();
    int64_t best = -1;
    for (size_t g = 0; g < groups.size(); ++g) {
      if (groups[g].busyUntil >= range.first)
        continue;
      if (best < 0 || std::llabs(groups[g].bytes - bytes) <
                          std::llabs(groups[static_cast<size_t>(best)].bytes - bytes))
        best = static_cast<int64_t>(g);
    }
    if (best < 0) {
      groups.push_back({range.last, bytes});
      best = static_cast<int64_t>(groups.size() - 1);
    }
    Group &group = groups[static_cast<size_t>(best)];
    group.busyUntil = range.last;
    group.bytes = std::max(group.bytes, bytes);
    tensor.aliasGroup = static_cast<uint32_t>(best);
  }
  return static_cast<uint32_t>(groups.size());
}

std::pair<int64_t, int64_t> intermediateBytes(const KernelGraph &graph) {
  std::vector<int64_t> groupBytes;
  int64_t separate = 0;
  for (const GraphTensor &t : graph.tensors) {
    if (t.category != vgf::ResourceCategory::Intermediate)
      continue;
    separate += t.byteSize();
    if (t.aliasGroup == vgf::kUnset)
      continue;
    if (groupBytes.size() <= t.aliasGroup)
      groupBytes.resize(t.aliasGroup + 1, 0);
    groupBytes[t.aliasGroup] = std::max(groupBytes[t.aliasGroup], t.byteSize());
  }
  int64_t planned = 0;
  for (int64_t b : groupBytes)
    planned += b;
  for (const GraphTensor &t : graph.tensors)
    if (t.category == vgf::ResourceCategory::Intermediate && t.aliasGroup == vgf::kUnset)
      planned += t.byteSize();
  return {planned, separate};
}

namespace {

void printShape(const GraphTensor &t, llvm::raw_ostream &os) {
  os << elementTypeName(t.type) << "[";
  for (size_t i = 0; i < t.shape.size(); ++i)
    os << (i ? "x" : "") << t.shape[i];
  os << "]";
}

void printDescriptor(const vgf::KernelDescriptor &d, llvm::raw_ostream &os) {
  os << vgf::kernelKindName(d.kind);
  switch (d.kind) {
  case vgf::KernelKind::Gemm: {
    const vgf::GemmDesc &g = d.gemm;
    os << " " << vgf::gemmSchemeName(g.scheme) << " m=" << g.m << " n=" << g.n << " k=" << g.k;
    if (g.blockSize)
      os << " block=" << g.blockSize;
    if (g.hasBias)
      os << " bias";
    if (g.scheme == vgf::GemmScheme::Pqs8Qc8w)
      os << " zp_x=" << g.lhsZeroPoint << " zp_y=" << g.outZeroPoint << " clamp=[" << g.outMin
         << "," << g.outMax << "]";
    else if (!std::isinf(g.clampMin) || !std::isinf(g.clampMax))
      os << " clamp=[" << g.clampMin << "," << g.clampMax << "]";
    os << " tile=" << g.tiling.tileM << "x" << g.tiling.tileN << "x" << g.tiling.tileK
       << " wg=" << g.tiling.workgroupSize;
    break;
  }
  case vgf::KernelKind::QuantizeRows:
    os << " m=" << d.quantizeRows.m << " k=" << d.quantizeRows.k;
    break;
  case vgf::KernelKind::QuantizeStatic:
    os << " count=" << d.quantize.count << " inv_scale=" << d.quantize.invScale
       << " zp=" << d.quantize.zeroPoint;
    break;
  case vgf::KernelKind::Dequantize:
    os << " count=" << d.dequantize.count << " zp=" << d.dequantize.zeroPoint
       << " scale=" << d.dequantize.scale;
    break;
  }
}

} // namespace

void printKernelGraph(const KernelGraph &graph, llvm::raw_ostream &os) {
  os << "tensors:\n";
  for (size_t i = 0; i < graph.tensors.size(); ++i) {
    const GraphTensor &t = graph.tensors[i];
    os << "  %" << i << " " << t.name << " " << vgf::resourceCategoryName(t.category) << " ";
    printShape(t, os);
    if (t.aliasGroup != vgf::kUnset)
      os << " buffer=" << t.aliasGroup;
    os << "\n";
  }
  os << "kernels:\n";
  for (const Kernel &k : graph.kernels) {
    os << "  " << k.name << ": ";
    if (k.generic)
      os << "generic (stock MLIR lowering) workgroups=" << k.workgroups[0] << "x"
         << k.workgroups[1] << "x" << k.workgroups[2] << " spirv=" << k.spirv.size() << " words";
    else
      printDescriptor(k.descriptor, os);
    os << "\n    bindings:";
    for (const KernelBinding &b : k.bindings)
      os << " " << b.binding << "=%" << b.tensor;
    os << "\n    at " << k.location << "\n";
  }
  auto [planned, separate] = intermediateBytes(graph);
  os << "intermediate bytes: " << planned << " (" << separate << " without reuse)\n";
}

} // namespace kiln::codegen
