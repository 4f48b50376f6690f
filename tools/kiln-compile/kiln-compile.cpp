//===- kiln-compile.cpp - Kiln's compiler driver ----------------------------===//
//
// Reads a model (kiln-dialect MLIR, TOSA 1.0 MLIR, a TOSA 1.0 flatbuffer, or a
// built-in model by name), runs the compiler library's stages
// (kiln/compiler/Compiler.h) up to the requested stage and writes the result.
//
//===----------------------------------------------------------------------===//

#include "kiln/codegen/EmitVgf.h"
#include "kiln/compiler/Compiler.h"
#include "kiln/dialect/Scheme.h"
#include "kiln/import/BuiltinModels.h"
#include "kiln/import/ModelFile.h"
#include "kiln/import/TosaFlatbuffer.h"
#include "kiln/passes/WeightReport.h"
#include "kiln/support/Files.h"
#include "kiln/vgf/Encoder.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
namespace cl = llvm::cl;

namespace {

cl::OptionCategory category("kiln-compile options");

cl::opt<std::string> inputFile(cl::Positional, cl::desc("<model.mlir | model.tosa>"),
                               cl::cat(category));
cl::opt<std::string> modelName("model",
                               cl::desc("Build a built-in model instead of reading a "
                                        "file: demo-linear, mlp"),
                               cl::cat(category));
cl::opt<std::string> schemeName("scheme",
                                cl::desc("GEMM scheme of every layer: pf32, pf16, "
                                         "pqs8_qc8w, qp8_f32_qc8w, qp8_f32_qb4w"),
                                cl::cat(category));
cl::opt<int64_t> blockSize("block-size", cl::desc("Block size of qp8_f32_qb4w"),
                           cl::init(32), cl::cat(category));
cl::opt<int64_t> batch("batch", cl::desc("Input rows of a built-in model"), cl::init(1),
                       cl::cat(category));
cl::list<int64_t> mlpSizes("mlp-sizes",
                           cl::desc("Feature sizes of --model=mlp: inputs, then each "
                                    "layer's outputs (e.g. 2048,8192,2048)"),
                           cl::CommaSeparated, cl::cat(category));
cl::opt<uint64_t> seed("seed", cl::desc("Seed of a built-in model's weights"),
                       cl::init(0), cl::cat(category));
cl::opt<std::string> emit("emit",
                          cl::desc("Stage to write: kiln, tosa, tosa-flatbuffer (a TOSA 1.0 "
                                   ".tosa file; the default when -o ends in .tosa), kernels "
                                   "(the kernel graph), spirv (disassembled modules) or vgf "
                                   "(the container; the default when -o ends in .vgf)"),
                          cl::init("tosa"), cl::cat(category));
cl::opt<std::string> outputFile("o", cl::desc("Output file ('-' for stdout)"),
                                cl::value_desc("file"), cl::init("-"),
                                cl::cat(category));
cl::opt<std::string> calibrationData(
    "calibration-data",
    cl::desc("N×K fp32 .npy of representative inputs (needed by pqs8_qc8w)"),
    cl::value_desc("samples.npy"), cl::cat(category));
cl::opt<std::string> vgfWeights(
    "vgf-weights",
    cl::desc("Where a .vgf keeps the weights: constants (default; Kiln's runtimes bind "
             "them) or inputs (model inputs plus a scenario JSON and .npy files that "
             "Arm's scenario runner accepts)"),
    cl::init("constants"), cl::cat(category));
cl::list<std::string> weightFiles(
    "weights",
    cl::desc("Weights of the model's layers by layer_name: a .safetensors file "
             "(state_dict names such as layers.0.weight), or one .npy per tensor named "
             "after it (layers.0.weight.npy); may be repeated"),
    cl::value_desc("file"), cl::cat(category));
cl::opt<bool> report("report",
                     cl::desc("Print per layer the scheme, weight bytes before and "
                              "after quantization and the weight SQNR (to stderr)"),
                     cl::cat(category));
cl::opt<bool> elideConstants("elide-constants",
                             cl::desc("Print large constants as elided placeholders "
                                      "(readable, but not parseable again)"),
                             cl::cat(category));

/// Reports a tool-level error the way MLIR reports file errors.
int fail(const Twine &message) {
  llvm::errs() << "kiln-compile: error: " << message << "\n";
  return 1;
}

OwningOpRef<ModuleOp> loadModel(MLIRContext &context, llvm::SourceMgr &sourceMgr) {
  if (!modelName.empty()) {
    kiln::BuiltinModelOptions options;
    options.batch = batch;
    options.seed = seed;
    if (!mlpSizes.empty())
      options.mlpSizes.assign(mlpSizes.begin(), mlpSizes.end());
    return kiln::buildBuiltinModel(&context, modelName, options);
  }
  std::string error;
  auto file = mlir::openInputFile(inputFile, &error);
  if (!file) {
    fail(error);
    return nullptr;
  }
  return kiln::parseModelFile(std::move(file), sourceMgr, context);
}

/// The compiler library's options from the flags.
kiln::CompileOptions compileOptions() {
  kiln::CompileOptions options;
  options.scheme = schemeName;
  options.blockSize = blockSize;
  options.weightFiles.assign(weightFiles.begin(), weightFiles.end());
  options.calibrationData = calibrationData;
  options.weightsAsInputs = vgfWeights == "inputs";
  return options;
}

/// Brings a loaded model to what the pipeline reads (inline constants, the weights of
/// --weights, the --scheme), reading the weight files here so that their errors are
/// the tool's own.
LogicalResult readAndPrepareModel(ModuleOp module, const kiln::CompileOptions &options) {
  kiln::WeightMap weights;
  if (!options.weightFiles.empty()) {
    kiln::Expected<kiln::WeightMap> read = kiln::readWeights(options.weightFiles);
    if (!read) {
      fail(read.status().message());
      return failure();
    }
    weights = std::move(*read);
  }
  return kiln::prepareModel(module, options, weights);
}

/// Writes `text` to -o (atomically) or stdout.
int writeText(const std::string &text) {
  if (outputFile == "-") {
    llvm::outs() << text;
    return 0;
  }
  kiln::Status status = kiln::writeFileAtomically(outputFile, text.data(), text.size());
  if (!status.isOk())
    return fail(status.message());
  return 0;
}

/// Writes the validated TOSA as a TOSA 1.0 flatbuffer, atomically.
int emitFlatbuffer(ModuleOp module) {
  FailureOr<std::vector<uint8_t>> bytes = kiln::exportTosaFlatbuffer(module);
  if (failed(bytes))
    return 1; // the diagnostic was reported at the op
  kiln::Status status = kiln::writeFileAtomically(outputFile, bytes->data(), bytes->size());
  if (!status.isOk())
    return fail(status.message());
  return 0;
}

/// The stages after TOSA: kernel formation, memory planning, SPIR-V, the container.
int emitBackend(ModuleOp module, const kiln::CompileOptions &compile) {
  kiln::Expected<kiln::codegen::KernelGraph> graph = kiln::formKernelGraph(module);
  if (!graph)
    return 1; // the diagnostic was reported at the op
  if (emit == "kernels") {
    std::string text;
    llvm::raw_string_ostream os(text);
    kiln::codegen::printKernelGraph(*graph, os);
    return writeText(text);
  }
  kiln::codegen::VgfOptions options;
  options.weightsAsInputs = compile.weightsAsInputs;
  kiln::Expected<kiln::vgf::Model> model = kiln::codegen::buildVgfModel(*graph, options);
  if (!model)
    return fail(model.status().message());
  if (emit == "spirv") {
    kiln::Expected<std::string> text = kiln::codegen::disassembleModules(*model);
    if (!text)
      return fail(text.status().message());
    return writeText(*text);
  }
  kiln::Status status = kiln::vgf::writeVgfFile(outputFile, *model);
  if (!status.isOk())
    return fail(status.message());
  if (options.weightsAsInputs) {
    kiln::Expected<std::string> scenario = kiln::codegen::writeScenario(*graph, *model, outputFile);
    if (!scenario)
      return fail(scenario.status().message());
  }
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  registerAsmPrinterCLOptions();
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv,
                              "Kiln compiler: quantized linear models to TOSA 1.0\n");

  if (modelName.empty() == inputFile.empty())
    return fail("expected exactly one of a model file or --model=<name> (" +
                kiln::builtinModelNames() + ")");
  if (emit.getNumOccurrences() == 0 && StringRef(outputFile).ends_with(".vgf"))
    emit = "vgf";
  if (emit.getNumOccurrences() == 0 && StringRef(outputFile).ends_with(".tosa"))
    emit = "tosa-flatbuffer";
  if (!llvm::is_contained({"kiln", "tosa", "tosa-flatbuffer", "kernels", "spirv", "vgf"}, emit))
    return fail("unknown --emit stage '" + emit +
                "', expected kiln, tosa, kernels, spirv or vgf (or tosa-flatbuffer for "
                "a .tosa file)");
  if (vgfWeights != "constants" && vgfWeights != "inputs")
    return fail("unknown --vgf-weights mode '" + vgfWeights + "', expected constants or inputs");
  if (!schemeName.empty() && !kiln::parseSchemeName(schemeName))
    return fail("unknown --scheme '" + schemeName + "', expected one of " +
                kiln::allSchemeNames());
  if (emit == "vgf" && outputFile == "-")
    return fail("--emit=vgf writes a binary container: give the file with -o model.vgf");
  if (emit == "tosa-flatbuffer" && outputFile == "-")
    return fail("--emit=tosa-flatbuffer writes a binary file: give it with -o model.tosa");

  DialectRegistry registry;
  kiln::registerCompilerDialects(registry);
  MLIRContext context(registry);
  // Users get the diagnostic itself, not a dump of the generic op form after it.
  context.printOpOnDiagnostic(false);
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);

  kiln::CompileOptions compile = compileOptions();
  // The scheme is set before --report, which shows each layer's final scheme while
  // the weights are still float.
  OwningOpRef<ModuleOp> module = loadModel(context, sourceMgr);
  if (!module || failed(readAndPrepareModel(*module, compile)))
    return 1;
  if (report) {
    FailureOr<std::vector<kiln::LayerWeightReport>> layers = kiln::reportWeights(*module);
    if (failed(layers))
      return 1;
    kiln::printWeightReport(*layers, llvm::errs());
  }

  if (failed(kiln::lowerModel(*module, compile, emit == "kiln" ? "kiln" : "tosa")))
    return 1;

  if (emit == "tosa-flatbuffer")
    return emitFlatbuffer(*module);
  if (emit != "kiln" && emit != "tosa")
    return emitBackend(*module, compile);

  std::string text;
  llvm::raw_string_ostream os(text);
  OpPrintingFlags flags;
  if (elideConstants)
    flags.elideLargeElementsAttrs(16);
  module->print(os, flags);
  os.flush();
  if (outputFile == "-") {
    llvm::outs() << text;
    return 0;
  }
  return writeText(text);
}
