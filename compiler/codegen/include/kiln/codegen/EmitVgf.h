#pragma once
/// Kernel graph -> VGF container model: one COMPUTE module per kernel (plus its
/// feature variants), one segment per kernel with its kernel descriptor as metadata,
/// one resource per graph tensor (intermediates in their planned alias groups), and
/// the packed weights as constants.

#include "kiln/codegen/KernelGraph.h"
#include "kiln/support/Status.h"
#include "kiln/vgf/Model.h"

namespace kiln::codegen {

struct VgfOptions {
  /// Arm-runnable mode (`--vgf-weights=inputs`): weights and the other constant
  /// tensors become model INPUT buffers after the graph's own inputs, named after the
  /// tensor, instead of CONSTANT entries that Kiln's runtimes bind to compute
  /// segments (docs/vgf.md section 3.2).
  bool weightsAsInputs = false;
};

/// Generates and validates every kernel's SPIR-V. The model references the graph's
/// constant bytes (shared ownership), so it stays valid after `graph` is gone.
Expected<vgf::Model> buildVgfModel(const KernelGraph &graph, const VgfOptions &options = {});

/// For a model built with weightsAsInputs: writes `<vgfPath minus .vgf>.scenario.json`
/// (an Arm scenario-runner scenario: the graph, one buffer per model input and output,
/// one dispatch_graph) and one `.npy` per weight input next to it. The graph's own
/// inputs are read from `<input name>.npy` and outputs written to `<output name>.npy`
/// in the same directory. Returns the scenario path.
Expected<std::string> writeScenario(const KernelGraph &graph, const vgf::Model &model,
                                    const std::string &vgfPath);

/// SPIR-V disassembly of every module of `model`, each preceded by a
/// "; module <index> <name>" line (`kiln-compile --emit=spirv`).
Expected<std::string> disassembleModules(const vgf::Model &model);

} // namespace kiln::codegen
