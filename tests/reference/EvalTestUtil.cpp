#include "EvalTestUtil.h"

#include "kiln/dialect/KilnDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Parser/Parser.h"

namespace kiln::ref::testing {

EvalFixture::EvalFixture() {
  mlir::DialectRegistry registry;
  registry.insert<kiln::KilnDialect, mlir::tosa::TosaDialect, mlir::func::FuncDialect,
                  mlir::arith::ArithDialect, mlir::tensor::TensorDialect>();
  context_ = std::make_unique<mlir::MLIRContext>(registry);
  context_->loadAllAvailableDialects();
  context_->printOpOnDiagnostic(false);
  context_->getDiagEngine().registerHandler([this](mlir::Diagnostic &d) {
    diagnostics_ += d.str() + "\n";
    return mlir::success();
  });
}

EvalFixture::~EvalFixture() = default;

mlir::FailureOr<std::vector<Tensor>> EvalFixture::run(const std::string &source,
                                                      const std::vector<Tensor> &inputs,
                                                      const EvalOptions &options) {
  diagnostics_.clear();
  module_ = mlir::parseSourceString<mlir::ModuleOp>(source, context_.get());
  if (!module_)
    return mlir::failure();
  auto funcs = module_->getOps<mlir::func::FuncOp>();
  return evaluate(*funcs.begin(), inputs, options);
}

Tensor intTensor(ElementType type, std::vector<int64_t> shape, std::vector<int64_t> values) {
  Tensor t(type, std::move(shape));
  for (size_t i = 0; i < values.size(); ++i)
    t.setInt(int64_t(i), values[i]);
  return t;
}

Tensor floatTensor(ElementType type, std::vector<int64_t> shape, std::vector<double> values) {
  Tensor t(type, std::move(shape));
  for (size_t i = 0; i < values.size(); ++i)
    t.setFloat(int64_t(i), values[i]);
  return t;
}

} // namespace kiln::ref::testing
