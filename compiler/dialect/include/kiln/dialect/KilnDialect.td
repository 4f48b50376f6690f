//===- KilnDialect.td - the kiln dialect -------------------*- tablegen -*-===//
//
// The kiln dialect describes a model as float linear layers plus the GEMM scheme each
// layer is compiled with. It is Kiln's front end: quantization passes rewrite its
// weights in place, and kiln-lower-to-tosa turns it into TOSA 1.0.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECT_KILNDIALECT_TD
#define KILN_DIALECT_KILNDIALECT_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"

def Kiln_Dialect : Dialect {
  let name = "kiln";
  let cppNamespace = "::kiln";
  let summary = "Quantized linear layers and their GEMM schemes";
  let description = [{
    A `kiln.linear` op is one linear layer `y = clamp(x · Wᵀ + b)` with the scheme it
    is compiled with (`#kiln.scheme<...>`). Weights are stored N×K, the layout of
    PyTorch's `nn.Linear.weight`. See docs/dialect.md for the numbered verifier rules.
  }];
  let useDefaultAttributePrinterParser = 1;
  let dependentDialects = ["::mlir::tosa::TosaDialect", "::mlir::func::FuncDialect"];
}

class Kiln_Op<string mnemonic, list<Trait> traits = []>
    : Op<Kiln_Dialect, mnemonic, traits>;

#endif // KILN_DIALECT_KILNDIALECT_TD
