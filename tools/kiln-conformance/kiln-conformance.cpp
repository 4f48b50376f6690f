//===- kiln-conformance.cpp - run a directory of TOSA conformance tests ----===//
//
// kiln-conformance DIR [--backends=reference,vulkan,cpu]
//
// Walks DIR for tests in the TOSA conformance layout (ConformanceTest.h), imports
// each .tosa graph, runs it on the reference evaluator and, compiled through Kiln's
// codegen path, on the Vulkan and CPU backends, and prints one line per test and
// backend. A backend that cannot compile or run a graph is reported as unsupported,
// not failed. The last line is "N passed, N failed"; the exit code is 1 if any test
// failed.
//
//===----------------------------------------------------------------------===//

#include "Backends.h"
#include "ConformanceTest.h"

#include "kiln/import/TosaFlatbuffer.h"
#include "kiln/reference/Evaluator.h"
#include "kiln/reference/NpyConvert.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

namespace cl = llvm::cl;
using namespace mlir;
using namespace kiln::conformance;

namespace {

cl::opt<std::string> rootDir(cl::Positional, cl::desc("<directory of conformance tests>"),
                             cl::Required);
cl::list<std::string> backends("backends",
                               cl::desc("executors to run: reference, vulkan, cpu "
                                        "(default: all three)"),
                               cl::CommaSeparated);

/// Reads .npy files as the evaluator's tensors, checking the count against `types`
/// (int8 arrays become int4 where the type is i4: NumPy has no int4).
FailureOr<std::vector<kiln::ref::Tensor>> readTensors(const std::vector<std::string> &files,
                                                      TypeRange types, const char *what,
                                                      std::string &problem) {
  if (files.size() != types.size()) {
    problem = "the graph has " + std::to_string(types.size()) + " " + what + "(s), desc.json names " +
              std::to_string(files.size()) + " file(s)";
    return failure();
  }
  std::vector<kiln::ref::Tensor> tensors;
  for (auto [file, type] : llvm::zip(files, types)) {
    kiln::Expected<kiln::rt::NpyArray> array = kiln::rt::readNpy(file);
    if (!array) {
      problem = array.status().message();
      return failure();
    }
    kiln::Expected<kiln::ref::Tensor> tensor =
        kiln::ref::fromNpy(*array, file, getElementTypeOrSelf(type).isInteger(4));
    if (!tensor) {
      problem = tensor.status().message();
      return failure();
    }
    tensors.push_back(std::move(*tensor));
  }
  return tensors;
}

struct Tally {
  unsigned passed = 0, failed = 0, unsupported = 0;
};

class Runner {
public:
  Runner(MLIRContext &context, std::vector<std::string> backends)
      : context(context), diagnostics(context), backends(std::move(backends)) {}

  /// Runs one test and prints its lines; true when it passed.
  bool run(const ConformanceTest &test);
  Tally tally;

private:
  void report(const ConformanceTest &test, const std::string &backend, const BackendResult &r);
  bool runExpectedFailure(const ConformanceTest &test);

  MLIRContext &context;
  DiagnosticCapture diagnostics;
  std::vector<std::string> backends;
  bool testFailed = false;
};

void Runner::report(const ConformanceTest &test, const std::string &backend,
                    const BackendResult &r) {
  const char *word = r.verdict == Verdict::Pass ? "PASS"
                     : r.verdict == Verdict::Fail ? "FAIL"
                                                  : "UNSUPPORTED";
  llvm::outs() << word << " " << test.name << " [" << backend << "]";
  if (r.verdict == Verdict::Unsupported)
    llvm::outs() << ": unsupported on backend " << backend;
  if (!r.detail.empty())
    llvm::outs() << ": " << r.detail;
  llvm::outs() << "\n";
  if (r.verdict == Verdict::Fail)
    testFailed = true;
  if (r.verdict == Verdict::Unsupported)
    ++tally.unsupported;
}

/// Loads the graph; on failure reports it as the test's one line.
FailureOr<OwningOpRef<ModuleOp>> loadGraph(const ConformanceTest &test, MLIRContext &context,
                                           std::string &problem, DiagnosticCapture &diagnostics) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> file =
      llvm::MemoryBuffer::getFile(test.tosaFile, /*IsText=*/false);
  if (!file) {
    problem = test.tosaFile + ": cannot read: " + file.getError().message();
    return failure();
  }
  llvm::ArrayRef<uint8_t> bytes(reinterpret_cast<const uint8_t *>((*file)->getBufferStart()),
                                (*file)->getBufferSize());
  FailureOr<OwningOpRef<ModuleOp>> module =
      kiln::importTosaFlatbuffer(bytes, test.tosaFile, context);
  if (failed(module))
    problem = test.tosaFile + ": " + diagnostics.take();
  return module;
}

bool Runner::runExpectedFailure(const ConformanceTest &test) {
  std::string problem;
  FailureOr<OwningOpRef<ModuleOp>> module = loadGraph(test, context, problem, diagnostics);
  BackendResult result{Verdict::Fail, "expected Kiln to reject the graph, but it ran"};
  if (failed(module)) {
    result = {Verdict::Pass, ""};
  } else {
    auto func = *(**module).getOps<func::FuncOp>().begin();
    FailureOr<std::vector<kiln::ref::Tensor>> inputs =
        readTensors(test.inputFiles, func.getArgumentTypes(), "input", problem);
    if (failed(inputs) || failed(kiln::ref::evaluate(func, *inputs)))
      result = {Verdict::Pass, ""};
  }
  diagnostics.take();
  report(test, "reference", result);
  return result.verdict == Verdict::Pass;
}

bool Runner::run(const ConformanceTest &test) {
  testFailed = false;
  if (test.expectedFailure)
    return runExpectedFailure(test);
  std::string problem;
  FailureOr<OwningOpRef<ModuleOp>> module = loadGraph(test, context, problem, diagnostics);
  FailureOr<std::vector<kiln::ref::Tensor>> inputs, expected;
  if (succeeded(module)) {
    auto func = *(**module).getOps<func::FuncOp>().begin();
    inputs = readTensors(test.inputFiles, func.getArgumentTypes(), "input", problem);
    if (succeeded(inputs))
      expected = readTensors(test.expectedFiles, func.getResultTypes(), "output", problem);
  }
  if (failed(module) || failed(inputs) || failed(expected)) {
    report(test, "load", {Verdict::Fail, problem});
    return false;
  }

  std::optional<std::string> compileProblem;
  std::string vgfPath;
  for (const std::string &backend : backends) {
    if (backend == "reference") {
      report(test, backend, runReference(**module, *inputs, *expected, diagnostics));
      continue;
    }
    if (vgfPath.empty()) {
      llvm::SmallString<128> path;
      if (std::error_code ec = llvm::sys::fs::createTemporaryFile("kiln-conformance", "vgf", path))
        compileProblem = "cannot create a temporary file: " + ec.message();
      else
        compileProblem = compileGraph(**module, path.str().str(), diagnostics);
      vgfPath = path.str().str();
    }
    if (compileProblem)
      report(test, backend, {Verdict::Unsupported, *compileProblem});
    else
      report(test, backend, runCompiled(vgfPath, backend, test.inputFiles, *expected));
  }
  if (!vgfPath.empty())
    llvm::sys::fs::remove(vgfPath);
  return !testFailed;
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::ParseCommandLineOptions(argc, argv, "Kiln TOSA conformance runner\n");
  std::vector<std::string> selected(backends.begin(), backends.end());
  if (selected.empty())
    selected = {"reference", "vulkan", "cpu"};
  for (const std::string &backend : selected)
    if (!llvm::is_contained({"reference", "vulkan", "cpu"}, backend)) {
      llvm::errs() << "kiln-conformance: error: unknown backend '" << backend
                   << "', expected reference, vulkan or cpu\n";
      return 1;
    }

  kiln::Expected<std::vector<std::string>> dirs = findTestDirs(rootDir);
  if (!dirs) {
    llvm::errs() << "kiln-conformance: error: " << dirs.status().message() << "\n";
    return 1;
  }
  if (dirs->empty()) {
    llvm::errs() << "kiln-conformance: error: no desc.json under " << rootDir << "\n";
    return 1;
  }

  DialectRegistry registry;
  registry.insert<tosa::TosaDialect, func::FuncDialect, arith::ArithDialect,
                  tensor::TensorDialect>();
  MLIRContext context(registry);
  context.printOpOnDiagnostic(false);
  Runner runner(context, selected);
  for (const std::string &dir : *dirs) {
    llvm::SmallString<256> name(dir);
    llvm::sys::path::replace_path_prefix(name, rootDir, "");
    std::string testName = llvm::sys::path::relative_path(name).str();
    if (testName.empty())
      testName = llvm::sys::path::filename(dir).str();
    kiln::Expected<ConformanceTest> test = readTest(dir, testName);
    bool passed = false;
    if (!test)
      llvm::outs() << "FAIL " << testName << ": " << test.status().message() << "\n";
    else
      passed = runner.run(*test);
    ++(passed ? runner.tally.passed : runner.tally.failed);
  }
  if (runner.tally.unsupported)
    llvm::outs() << runner.tally.unsupported << " backend run(s) unsupported (not failures)\n";
  llvm::outs() << runner.tally.passed << " passed, " << runner.tally.failed << " failed\n";
  return runner.tally.failed ? 1 : 0;
}
