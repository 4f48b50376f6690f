#pragma once
/// Running one imported conformance graph on each of Kiln's executors and judging the
/// outputs against the expected arrays.

#include "kiln/reference/Tensor.h"

#include "mlir/IR/BuiltinOps.h"

#include <optional>
#include <string>
#include <vector>

namespace kiln::conformance {

enum class Verdict { Pass, Fail, Unsupported };

struct BackendResult {
  Verdict verdict;
  std::string detail; ///< why it failed or is unsupported; empty on a pass
};

/// Records the first error diagnostic emitted in the context while it lives, so a
/// failure can be reported on the test's line instead of on stderr.
class DiagnosticCapture {
public:
  explicit DiagnosticCapture(mlir::MLIRContext &context);
  ~DiagnosticCapture();
  static constexpr const char *kNone = "failed without a diagnostic";
  /// The first error (kNone if there was none), then clears it.
  std::string take();

private:
  mlir::MLIRContext &context;
  uint64_t handlerId;
  std::string first;
};

/// Compares outputs by position: shapes must match, integers exactly, floats within a
/// tolerance relative to the largest expected magnitude (1e-5 for f32, 1e-2 for f16
/// and bf16). Returns what differs, or nothing when they agree.
std::optional<std::string> compareOutputs(const std::vector<ref::Tensor> &expected,
                                          const std::vector<ref::Tensor> &actual);

/// Runs the module's function on the reference evaluator.
BackendResult runReference(mlir::ModuleOp module, const std::vector<ref::Tensor> &inputs,
                           const std::vector<ref::Tensor> &expected,
                           DiagnosticCapture &diagnostics);

/// Compiles a copy of the module as kiln-compile does to a `.vgf` at `path`; returns
/// the reason when the graph cannot be compiled (the backends do not support it).
std::optional<std::string> compileGraph(mlir::ModuleOp module, const std::string &path,
                                        DiagnosticCapture &diagnostics);

/// Runs a compiled `.vgf` on "vulkan" or "cpu". A missing device or a kernel the
/// backend does not implement is Unsupported, not Fail.
BackendResult runCompiled(const std::string &vgfPath, const std::string &backend,
                          const std::vector<std::string> &inputFiles,
                          const std::vector<ref::Tensor> &expected);

} // namespace kiln::conformance
