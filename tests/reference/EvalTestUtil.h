#pragma once
/// Helpers for evaluator tests: parse a TOSA function from text and run it.

#include "kiln/reference/Evaluator.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"

#include <string>
#include <vector>

namespace kiln::ref::testing {

/// Parses `source` (a module body) in a context with the tosa, func, arith,
/// tensor and kiln dialects. Diagnostics are collected into `diagnostics`.
class EvalFixture {
public:
  EvalFixture();
  ~EvalFixture();

  /// Evaluates the first function of `source` on `inputs`; on failure returns
  /// nothing and the error text is in diagnostics().
  mlir::FailureOr<std::vector<Tensor>> run(const std::string &source,
                                           const std::vector<Tensor> &inputs,
                                           const EvalOptions &options = {});
  const std::string &diagnostics() const { return diagnostics_; }
  mlir::MLIRContext &context() { return *context_; }

private:
  std::unique_ptr<mlir::MLIRContext> context_;
  mlir::OwningOpRef<mlir::ModuleOp> module_;
  std::string diagnostics_;
};

Tensor intTensor(ElementType type, std::vector<int64_t> shape, std::vector<int64_t> values);
Tensor floatTensor(ElementType type, std::vector<int64_t> shape, std::vector<double> values);

} // namespace kiln::ref::testing
