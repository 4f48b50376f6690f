//===- Backends.cpp - reference, Vulkan and CPU runs of a conformance graph ===//

#include "Backends.h"

#include "RunVgf.h"

#include "kiln/compiler/Compiler.h"
#include "kiln/reference/Evaluator.h"
#include "kiln/reference/NpyConvert.h"
#include "kiln/vgf/Encoder.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"

#include <cmath>

using namespace mlir;

namespace kiln::conformance {

DiagnosticCapture::DiagnosticCapture(MLIRContext &context) : context(context) {
  handlerId = context.getDiagEngine().registerHandler([this](Diagnostic &diag) {
    if (diag.getSeverity() == DiagnosticSeverity::Error && first.empty())
      first = diag.str();
    return success();
  });
}

DiagnosticCapture::~DiagnosticCapture() { context.getDiagEngine().eraseHandler(handlerId); }

std::string DiagnosticCapture::take() {
  std::string message = std::move(first);
  first.clear();
  return message.empty() ? kNone : message;
}

namespace {

double valueAt(const ref::Tensor &tensor, int64_t i) {
  return tensor.isFloat() ? tensor.getFloat(i) : double(tensor.getInt(i));
}

double relativeTolerance(ref::ElementType type) {
  switch (type) {
  case ref::ElementType::F32: return 1e-5;
  case ref::ElementType::F16:
  case ref::ElementType::BF16: return 1e-2;
  default: return 0;
  }
}

} // namespace

std::optional<std::string> compareOutputs(const std::vector<ref::Tensor> &expected,
                                          const std::vector<ref::Tensor> &actual) {
  if (expected.size() != actual.size())
    return "expected " + std::to_string(expected.size()) + " output(s), got " +
           std::to_string(actual.size());
  for (size_t o = 0; o < expected.size(); ++o) {
    const ref::Tensor &want = expected[o], &got = actual[o];
    if (want.shape() != got.shape())
      return "output " + std::to_string(o) + ": expected tensor<" + want.typeString() +
             ">, got tensor<" + got.typeString() + ">";
    double largest = 0;
    for (int64_t i = 0; i < want.numElements(); ++i)
      largest = std::max(largest, std::fabs(valueAt(want, i)));
    double tolerance = relativeTolerance(want.type()) * largest;
    for (int64_t i = 0; i < want.numElements(); ++i) {
      double w = valueAt(want, i), g = valueAt(got, i);
      bool bothNan = std::isnan(w) && std::isnan(g);
      if (!bothNan && !(std::fabs(w - g) <= tolerance))
        return "output " + std::to_string(o) + " element " + std::to_string(i) + ": expected " +
               std::to_string(w) + ", got " + std::to_string(g) +
               (tolerance > 0 ? " (tolerance " + std::to_string(tolerance) + ")" : "");
    }
  }
  return std::nullopt;
}

BackendResult runReference(ModuleOp module, const std::vector<ref::Tensor> &inputs,
                           const std::vector<ref::Tensor> &expected,
                           DiagnosticCapture &diagnostics) {
  auto func = *module.getOps<func::FuncOp>().begin();
  FailureOr<std::vector<ref::Tensor>> outputs = ref::evaluate(func, inputs);
  if (failed(outputs))
    return {Verdict::Fail, diagnostics.take()};
  if (std::optional<std::string> mismatch = compareOutputs(expected, *outputs))
    return {Verdict::Fail, *mismatch};
  return {Verdict::Pass, ""};
}

std::optional<std::string> compileGraph(ModuleOp module, const std::string &path,
                                        DiagnosticCapture &diagnostics) {
  // kiln-compile's path on a copy (it lowers in place): validation under the module's
  // target, kernel formation, memory planning, SPIR-V and the container.
  OwningOpRef<ModuleOp> clone = module.clone();
  Expected<vgf::Model> model = compileToVgf(*clone, CompileOptions());
  if (!model) {
    // Errors of the MLIR stages are diagnostics; the first one says the most.
    std::string diagnostic = diagnostics.take();
    return diagnostic == DiagnosticCapture::kNone ? model.status().message() : diagnostic;
  }
  Status status = vgf::writeVgfFile(path, *model);
  if (!status.isOk())
    return status.message();
  return std::nullopt;
}

BackendResult runCompiled(const std::string &vgfPath, const std::string &backend,
                          const std::vector<std::string> &inputFiles,
                          const std::vector<ref::Tensor> &expected) {
  tools::VgfRunOptions options;
  options.path = vgfPath;
  options.backend = backend;
  options.inputPaths = inputFiles;
  Expected<std::vector<rt::NpyArray>> outputs = tools::runVgf(options);
  if (!outputs) {
    StatusCode code = outputs.status().code();
    bool unsupported = code == StatusCode::Unsupported || code == StatusCode::Unavailable;
    return {unsupported ? Verdict::Unsupported : Verdict::Fail, outputs.status().message()};
  }
  std::vector<ref::Tensor> actual;
  for (auto [index, array] : llvm::enumerate(*outputs)) {
    Expected<ref::Tensor> tensor = ref::fromNpy(array, "output " + std::to_string(index));
    if (!tensor)
      return {Verdict::Fail, tensor.status().message()};
    actual.push_back(std::move(*tensor));
  }
  if (std::optional<std::string> mismatch = compareOutputs(expected, actual))
    return {Verdict::Fail, *mismatch};
  return {Verdict::Pass, ""};
}

} // namespace kiln::conformance
