//===- Compiler.cpp - the compilation stages as library calls -------------===//
//
// The one sequence kiln-compile and embedding applications share: prepare (inline
// resources, apply weight files, set the scheme), the kiln pipeline to TOSA, kernel
// formation with its memory plan, then the VGF model.
//
//===----------------------------------------------------------------------===//

#include "kiln/compiler/Compiler.h"

#include "kiln/codegen/EmitVgf.h"
#include "kiln/dialect/KilnDialect.h"
#include "kiln/import/ApplyWeights.h"
#include "kiln/import/ResourceConstants.h"
#include "kiln/passes/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/Pass/PassManager.h"

namespace kiln {

using namespace mlir;

void registerCompilerDialects(DialectRegistry &registry) {
  registry.insert<KilnDialect, tosa::TosaDialect, func::FuncDialect, arith::ArithDialect,
                  tensor::TensorDialect>();
}

LogicalResult prepareModel(ModuleOp module, const CompileOptions &options, const WeightMap &weights) {
  if (failed(inlineResourceConstants(module)))
    return failure();
  if (!weights.empty() && failed(applyWeights(module, weights)))
    return failure();
  if (options.scheme.empty())
    return success();
  PassManager pm(module.getContext());
  KilnSetSchemeOptions setScheme;
  setScheme.scheme = options.scheme;
  setScheme.blockSize = options.blockSize;
  pm.addPass(createKilnSetScheme(setScheme));
  return pm.run(module);
}

LogicalResult lowerModel(ModuleOp module, const CompileOptions &options, const std::string &stopAfter) {
  PassManager pm(module.getContext());
  PipelineOptions pipeline;
  pipeline.stopAfter = stopAfter;
  pipeline.calibrationData = options.calibrationData;
  buildKilnPipeline(pm, pipeline);
  return pm.run(module);
}

Expected<codegen::KernelGraph> formKernelGraph(ModuleOp tosaModule) {
  auto funcs = tosaModule.getOps<func::FuncOp>();
  if (std::distance(funcs.begin(), funcs.end()) != 1) {
    std::string message = "expected exactly one function in the module to compile to kernels";
    tosaModule.emitError(message);
    return invalidArgument(message);
  }
  Expected<codegen::KernelGraph> graph = codegen::formKernels(*funcs.begin());
  if (graph)
    codegen::planMemory(*graph);
  return graph;
}

Expected<vgf::Model> compileToVgf(ModuleOp module, const CompileOptions &options) {
  WeightMap weights;
  if (!options.weightFiles.empty()) {
    Expected<WeightMap> read = readWeights(options.weightFiles);
    if (!read)
      return read.takeStatus();
    weights = std::move(*read);
  }
  if (failed(prepareModel(module, options, weights)) || failed(lowerModel(module, options)))
    return invalidArgument("compilation to TOSA failed (see the diagnostics)");
  Expected<codegen::KernelGraph> graph = formKernelGraph(module);
  if (!graph)
    return graph.takeStatus();
  codegen::VgfOptions vgfOptions;
  vgfOptions.weightsAsInputs = options.weightsAsInputs;
  return codegen::buildVgfModel(*graph, vgfOptions);
}

} // namespace kiln
