// Liveness-based buffer reuse of the kernel graph.

#include "kiln/codegen/KernelGraph.h"

#include <gtest/gtest.h>

namespace kiln::codegen {
namespace {

/// A chain input -> t1 -> t2 -> ... -> output of elementwise kernels, each reading
/// the previous tensor and writing the next.
KernelGraph chain(const std::vector<int64_t> &sizes) {
  KernelGraph graph;
  auto add = [&](vgf::ResourceCategory category, int64_t n) {
    GraphTensor t;
    t.name = "t" + std::to_string(graph.tensors.size());
    t.type = ElementType::F32;
    t.shape = {n};
    t.category = category;
    graph.tensors.push_back(t);
    return static_cast<uint32_t>(graph.tensors.size() - 1);
  };
  uint32_t prev = add(vgf::ResourceCategory::Input, 4);
  graph.inputs = {prev};
  for (size_t i = 0; i < sizes.size(); ++i) {
    bool last = i + 1 == sizes.size();
    uint32_t next = add(last ? vgf::ResourceCategory::Output : vgf::ResourceCategory::Intermediate,
                        sizes[i]);
    Kernel k;
    k.name = "k" + std::to_string(i);
    k.bindings = {{0, prev}, {1, next}};
    k.results = {next};
    graph.kernels.push_back(k);
    prev = next;
  }
  graph.outputs = {prev};
  return graph;
}

TEST(MemoryPlanTest, ChainPingPongsBetweenTwoBuffers) {
  KernelGraph graph = chain({8, 8, 8, 8, 8});
  EXPECT_EQ(2u, planMemory(graph));
  // t1..t4 are intermediates: a kernel reads t_i and writes t_{i+1}, so neighbours
  // never share, and every other one does.
  EXPECT_NE(graph.tensors[1].aliasGroup, graph.tensors[2].aliasGroup);
  EXPECT_EQ(graph.tensors[1].aliasGroup, graph.tensors[3].aliasGroup);
  EXPECT_EQ(graph.tensors[2].aliasGroup, graph.tensors[4].aliasGroup);
  EXPECT_EQ(vgf::kUnset, graph.tensors[0].aliasGroup); // input
  EXPECT_EQ(vgf::kUnset, graph.tensors[5].aliasGroup); // output
  auto [planned, separate] = intermediateBytes(graph);
  EXPECT_EQ(4 * 32, separate);
  EXPECT_EQ(2 * 32, planned);
}

TEST(MemoryPlanTest, GroupTakesItsLargestMember) {
  KernelGraph graph = chain({100, 10, 50, 8});
  planMemory(graph);
  auto [planned, separate] = intermediateBytes(graph);
  EXPECT_EQ((100 + 10 + 50) * 4, separate);
  // t1 (100) and t3 (50) share, t2 (10) is alone.
  EXPECT_EQ(graph.tensors[1].aliasGroup, graph.tensors[3].aliasGroup);
  EXPECT_EQ((100 + 10) * 4, planned);
}

TEST(MemoryPlanTest, ATensorReadLaterStaysLive) {
  // k0: in -> a; k1: a -> b; k2: b -> c; k3: (a, c) -> out. `a` lives until k3, so
  // neither b nor c may share its buffer.
  KernelGraph graph = chain({8, 8, 8, 8});
  graph.kernels[3].bindings = {{0, 3}, {1, 4}, {2, 1}};
  planMemory(graph);
  EXPECT_NE(graph.tensors[1].aliasGroup, graph.tensors[2].aliasGroup);
  EXPECT_NE(graph.tensors[1].aliasGroup, graph.tensors[3].aliasGroup);
  EXPECT_NE(graph.tensors[2].aliasGroup, graph.tensors[3].aliasGroup);
}

} // namespace
} // namespace kiln::codegen
