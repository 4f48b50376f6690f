//===- kiln-opt.cpp - MLIR pass driver for Kiln -----------------------------===//
//
// mlir-opt with the kiln dialect and passes, plus the upstream dialects and passes
// that Kiln's pipeline uses, so compiler engineers can test any stage with lit.
//
//===----------------------------------------------------------------------===//

#include "kiln/dialect/KilnDialect.h"
#include "kiln/passes/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SPIRV/IR/SPIRVDialect.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/Dialect/Tosa/Transforms/Passes.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  registry.insert<kiln::KilnDialect, mlir::tosa::TosaDialect, mlir::func::FuncDialect,
                  mlir::arith::ArithDialect, mlir::tensor::TensorDialect,
                  mlir::linalg::LinalgDialect, mlir::spirv::SPIRVDialect>();
  mlir::registerTransformsPasses();
  mlir::tosa::registerTosaPasses();
  kiln::registerKilnPasses();
  kiln::registerKilnPipeline();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "Kiln optimizer driver\n", registry));
}
