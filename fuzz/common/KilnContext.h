#pragma once
/// The MLIR context of the compiler fuzz targets and their seed generators: the
/// dialects of Kiln's input models (kiln, tosa, func, arith, tensor), loaded up front,
/// one thread. Diagnostics reach the caller's handler.

#include "kiln/dialect/KilnDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/MLIRContext.h"

#include <memory>

namespace kiln::fuzz {

inline std::unique_ptr<mlir::MLIRContext> makeKilnContext() {
  mlir::DialectRegistry registry;
  registry.insert<KilnDialect, mlir::tosa::TosaDialect, mlir::func::FuncDialect,
                  mlir::arith::ArithDialect, mlir::tensor::TensorDialect>();
  auto context =
      std::make_unique<mlir::MLIRContext>(registry, mlir::MLIRContext::Threading::DISABLED);
  context->loadAllAvailableDialects();
  return context;
}

} // namespace kiln::fuzz
