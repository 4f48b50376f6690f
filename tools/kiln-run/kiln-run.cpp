//===- kiln-run.cpp - run a model on .npy inputs ----------------------------===//
//
// kiln-run model.mlir --input x.npy --output y.npy [--backend=reference]
// kiln-run model.tosa --input x.npy --output y.npy [--backend=reference]
// kiln-run model.vgf  --input x.npy --output y.npy [--backend=vulkan] [--repeat N]
//                     [--profile] [--trace out.json] [--device D] [--validation]
//
// An .mlir file (kiln or TOSA 1.0; a kiln module is lowered with the Kiln pipeline
// first) or a TOSA 1.0 flatbuffer (recognised by its file identifier) runs on the
// reference evaluator; a compiled .vgf runs on the Vulkan runtime.
// Results are written as .npy files. --dump-intermediates writes every op's result; --compare-to prints
// the error of each output against a reference array. Every failure prints one
// message and exits non-zero without writing any output.
//
//===----------------------------------------------------------------------===//

#include "kiln/dialect/KilnDialect.h"
#include "kiln/import/ModelFile.h"
#include "kiln/passes/Passes.h"
#include "kiln/reference/Compare.h"
#include "kiln/reference/Evaluator.h"
#include "kiln/reference/NpyConvert.h"
#include "kiln/runtime/Npy.h"

#include "RunVgf.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstdio>

namespace {

namespace cl = llvm::cl;
using namespace mlir;

cl::opt<std::string> modelPath(cl::Positional, cl::desc("<model.mlir>"), cl::Required);
cl::list<std::string> inputPaths("input", cl::desc("an input .npy, one per function argument, "
                                                   "in order"),
                                 cl::value_desc("file.npy"));
cl::list<std::string> outputPaths("output", cl::desc("where to write each function result"),
                                  cl::value_desc("file.npy"));
cl::opt<std::string> backend("backend",
                             cl::desc("execution backend: reference (.mlir), vulkan or cpu (.vgf), "
                                      "or auto (the default: picks by file type)"),
                             cl::init("auto"));
cl::opt<int> repeat("repeat", cl::desc(".vgf: timed runs after one warm-up run; prints the "
                                       "median and min latency"),
                    cl::init(0));
cl::opt<bool> profile("profile", cl::desc(".vgf: per-segment time, GFLOP/s and GB/s"));
cl::opt<std::string> tracePath("trace", cl::desc(".vgf: write a Chrome/Perfetto trace of the "
                                                 "last run"),
                               cl::value_desc("out.json"));
cl::opt<std::string> deviceName("device",
                                cl::desc(".vgf: Vulkan device index or name substring "
                                         "(default: KILN_VULKAN_DEVICE, else the first "
                                         "discrete GPU)"));
cl::opt<bool> validation("validation",
                         cl::desc(".vgf: enable the Vulkan validation layer; any error fails"));
cl::opt<std::string> functionName("function",
                                  cl::desc("the function to run (default: the only one)"));
cl::opt<std::string> dumpDir("dump-intermediates",
                             cl::desc("write every op's result to this directory as "
                                      "<index>_<op>.npy"),
                             cl::value_desc("dir"));
cl::list<std::string> comparePaths("compare-to",
                                   cl::desc("a reference .npy per output, in order: prints "
                                            "max abs error, max ulp and SQNR"),
                                   cl::value_desc("ref.npy"));

/// One line "kiln-run: <message>" on stderr and a failure exit code.
int fail(const std::string &message) {
  llvm::errs() << "kiln-run: error: " << message << "\n";
  return 1;
}

bool containsKilnOps(ModuleOp module) {
  bool found = false;
  module.walk([&](Operation *op) {
    if (op->getDialect() && op->getDialect()->getNamespace() == "kiln")
      found = true;
  });
  return found;
}

/// The function to run: --function, or the module's only func.func.
FailureOr<func::FuncOp> selectFunction(ModuleOp module) {
  SmallVector<func::FuncOp> funcs(module.getOps<func::FuncOp>());
  if (!functionName.empty()) {
    for (func::FuncOp f : funcs)
      if (f.getSymName() == functionName)
        return f;
    fail("no function @" + functionName + " in " + modelPath);
    return failure();
  }
  if (funcs.size() != 1) {
    std::string names;
    for (func::FuncOp f : funcs)
      names += (names.empty() ? "@" : ", @") + f.getSymName().str();
    fail("expected exactly one function in " + modelPath + " or --function=<name>, found " +
         std::to_string(funcs.size()) + (names.empty() ? "" : " (" + names + ")"));
    return failure();
  }
  return funcs.front();
}

/// Reads the inputs, reinterpreting int8 arrays as int4 where the argument is i4.
FailureOr<std::vector<kiln::ref::Tensor>> readInputs(func::FuncOp func) {
  if (inputPaths.size() != func.getNumArguments()) {
    fail("@" + func.getSymName().str() + " takes " + std::to_string(func.getNumArguments()) +
         " input(s), got " + std::to_string(inputPaths.size()) + " --input file(s)");
    return failure();
  }
  std::vector<kiln::ref::Tensor> inputs;
  for (auto [index, path] : llvm::enumerate(inputPaths)) {
    kiln::Expected<kiln::rt::NpyArray> array = kiln::rt::readNpy(path);
    if (!array) {
      fail("input " + std::to_string(index) + ": " + array.status().message());
      return failure();
    }
    Type elementType = getElementTypeOrSelf(func.getArgument(index).getType());
    kiln::Expected<kiln::ref::Tensor> tensor =
        kiln::ref::fromNpy(*array, path, elementType.isInteger(4));
    if (!tensor) {
      fail("input " + std::to_string(index) + ": " + tensor.status().message());
      return failure();
    }
    inputs.push_back(std::move(*tensor));
  }
  return inputs;
}

/// "3_tosa_matmul.npy" (and "_1", "_2"... for further results of one op).
std::string dumpName(Operation *op, unsigned opIndex, size_t resultIndex) {
  std::string name = op->getName().getStringRef().str();
  std::replace(name.begin(), name.end(), '.', '_');
  std::string file = std::to_string(opIndex) + "_" + name;
  if (resultIndex > 0)
    file += "_" + std::to_string(resultIndex);
  llvm::SmallString<256> path(dumpDir.getValue());
  llvm::sys::path::append(path, file + ".npy");
  return path.str().str();
}

std::string formatNumber(double v) {
  if (std::isinf(v))
    return v > 0 ? "inf" : "-inf";
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.6g", v);
  return buffer;
}

/// Prints the error statistics of each output against its --compare-to array.
LogicalResult compareOutputs(const std::vector<kiln::ref::Tensor> &outputs) {
  if (comparePaths.size() > outputs.size()) {
    fail("got " + std::to_string(comparePaths.size()) + " --compare-to file(s) for " +
         std::to_string(outputs.size()) + " output(s)");
    return failure();
  }
  for (auto [index, path] : llvm::enumerate(comparePaths)) {
    kiln::Expected<kiln::rt::NpyArray> array = kiln::rt::readNpy(path);
    if (!array)
      return fail("compare-to " + std::to_string(index) + ": " + array.status().message()),
             failure();
    const kiln::ref::Tensor &y = outputs[index];
    kiln::Expected<kiln::ref::Tensor> ref =
        kiln::ref::fromNpy(*array, path, y.type() == kiln::ref::ElementType::I4);
    if (!ref)
      return fail("compare-to " + std::to_string(index) + ": " + ref.status().message()),
             failure();
    if (ref->shape() != y.shape() || ref->type() != y.type())
      return fail(path + ": expected tensor<" + y.typeString() + "> like output " +
                  std::to_string(index) + ", got tensor<" + ref->typeString() + ">"),
             failure();
    kiln::ref::ErrorStats stats = kiln::ref::compareTensors(*ref, y);
    llvm::outs() << "output " << index << ": max abs error " << formatNumber(stats.maxAbsError);
    if (y.isFloat())
      llvm::outs() << ", max ulp " << formatNumber(stats.maxUlp);
    llvm::outs() << ", sqnr " << formatNumber(stats.sqnrDb) << " dB\n";
  }
  return success();
}

/// Writes the outputs of a .vgf run, then compares them like the reference path.
int runContainer() {
  if (backend != "auto" && backend != "vulkan" && backend != "cpu")
    return fail("backend '" + backend + "' cannot run a .vgf, expected vulkan, cpu or auto");
  if (!dumpDir.empty())
    return fail("--dump-intermediates needs the reference backend (an .mlir model)");
  if (repeat < 0)
    return fail("--repeat expects a count >= 0, got " + std::to_string(repeat));
  kiln::tools::VgfRunOptions options;
  options.path = modelPath;
  options.backend = backend;
  options.inputPaths.assign(inputPaths.begin(), inputPaths.end());
  options.device = deviceName;
  options.validation = validation;
  options.repeat = repeat;
  options.profile = profile;
  options.tracePath = tracePath;
  kiln::Expected<std::vector<kiln::rt::NpyArray>> outputs = kiln::tools::runVgf(options);
  if (!outputs)
    return fail(outputs.status().message());
  if (!outputPaths.empty() && outputPaths.size() != outputs->size())
    return fail("the model has " + std::to_string(outputs->size()) + " output(s), got " +
                std::to_string(outputPaths.size()) + " --output file(s)");
  std::vector<kiln::ref::Tensor> tensors;
  for (auto [index, array] : llvm::enumerate(*outputs)) {
    if (index < outputPaths.size()) {
      kiln::Status status = kiln::rt::writeNpy(outputPaths[index], array);
      if (!status.isOk())
        return fail(status.message());
    }
    kiln::Expected<kiln::ref::Tensor> tensor = kiln::ref::fromNpy(array, "output", false);
    if (!tensor)
      return fail(tensor.status().message());
    tensors.push_back(std::move(*tensor));
  }
  return failed(compareOutputs(tensors)) ? 1 : 0;
}

int run() {
  if (!llvm::is_contained({"reference", "vulkan", "cpu", "auto"}, backend))
    return fail("unknown backend '" + backend + "', expected reference, vulkan, cpu or auto");
  if (llvm::StringRef(modelPath).ends_with(".vgf"))
    return runContainer();
  if (backend != "reference" && backend != "auto")
    return fail("backend '" + backend + "' runs compiled .vgf files; " + modelPath +
                " is MLIR, which runs on the reference backend");

  DialectRegistry registry;
  registry.insert<kiln::KilnDialect, tosa::TosaDialect, func::FuncDialect,
                  arith::ArithDialect, tensor::TensorDialect>();
  MLIRContext context(registry);
  context.loadAllAvailableDialects();
  // One message per failure: the op is named in the text, no IR dump after it.
  context.printOpOnDiagnostic(false);
  // Prints "file:line:col: error: ..." for the parser, the passes and the evaluator.
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);

  std::string openError;
  std::unique_ptr<llvm::MemoryBuffer> file = openInputFile(modelPath, &openError);
  if (!file)
    return fail(openError);
  OwningOpRef<ModuleOp> module = kiln::parseModelFile(std::move(file), sourceMgr, context);
  if (!module)
    return 1;

  if (containsKilnOps(*module)) {
    PassManager pm(&context);
    kiln::buildKilnPipeline(pm, kiln::PipelineOptions());
    if (failed(pm.run(*module)))
      return 1;
  }

  FailureOr<func::FuncOp> func = selectFunction(*module);
  if (failed(func))
    return 1;
  if (!outputPaths.empty() && outputPaths.size() != func->getNumResults())
    return fail("@" + func->getSymName().str() + " has " +
                std::to_string(func->getNumResults()) + " result(s), got " +
                std::to_string(outputPaths.size()) + " --output file(s)");
  FailureOr<std::vector<kiln::ref::Tensor>> inputs = readInputs(*func);
  if (failed(inputs))
    return 1;

  kiln::ref::EvalOptions options;
  kiln::Status dumpStatus;
  if (!dumpDir.empty()) {
    if (std::error_code ec = llvm::sys::fs::create_directories(dumpDir))
      return fail("cannot create " + dumpDir + ": " + ec.message());
    options.onResult = [&](Operation *op, unsigned opIndex,
                           ArrayRef<kiln::ref::Tensor> results) {
      for (auto [i, result] : llvm::enumerate(results))
        if (dumpStatus.isOk())
          dumpStatus = kiln::rt::writeNpy(dumpName(op, opIndex, i), kiln::ref::toNpy(result));
    };
  }
  FailureOr<std::vector<kiln::ref::Tensor>> outputs =
      kiln::ref::evaluate(*func, *inputs, options);
  if (failed(outputs))
    return 1;
  if (!dumpStatus.isOk())
    return fail(dumpStatus.message());

  for (auto [path, tensor] : llvm::zip(outputPaths, *outputs)) {
    kiln::Status status = kiln::rt::writeNpy(path, kiln::ref::toNpy(tensor));
    if (!status.isOk())
      return fail(status.message());
  }
  return failed(compareOutputs(*outputs)) ? 1 : 0;
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  cl::ParseCommandLineOptions(argc, argv, "Kiln model runner\n");
  return run();
}
