//===- Passes.td - kiln passes ------------------------------*- tablegen -*-===//
//
// One def per pass, alphabetical. Each pass lives in lib/<Verb><Noun>.cpp and is
// tested by lit/passes/<flag>.mlir.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_PASSES_TD
#define KILN_PASSES_TD

include "mlir/Pass/PassBase.td"

def KilnCalibrate : Pass<"kiln-calibrate", "::mlir::ModuleOp"> {
  let summary = "Calibrate the static int8 activations of pqs8_qc8w layers";
  let description = [{
    Before: `pqs8_qc8w` layers with float weights and no `input_quant`/`output_quant`.
    After: each such layer carries the per-tensor asymmetric int8 parameters of its
    input and output, from a min/max observer (PT2E's MinMaxObserver) over the float
    model run on the samples of `data` (an N×K fp32 .npy, one sample per row). A
    layer's input and the output of the layer feeding it see the same values, so they
    get the same parameters and int8 flows between them without requantization.
    Supports functions whose layers form a chain from the first argument.
  }];
  let options = [
    Option<"data", "data", "std::string", /*default=*/"",
           "Path of an N×K fp32 .npy file of calibration samples">,
  ];
}

def KilnLowerToTosa : Pass<"kiln-lower-to-tosa", "::mlir::ModuleOp"> {
  let summary = "Lower kiln.linear layers to TOSA 1.0 ops";
  let description = [{
    Before: `kiln.linear` ops with quantized (or, for pf32/pf16, float) weights.
    After: the same computation as TOSA 1.0 ops (matmul with zero points, rescale,
    add, clamp, reshapes to rank 3), with every weight a `tosa.const`. The scheme of
    each layer decides the ops; docs/lowering.md gives the op sequence of each scheme.
  }];
  let dependentDialects = ["::mlir::tosa::TosaDialect"];
}

def KilnQuantizeWeights : Pass<"kiln-quantize-weights", "::mlir::ModuleOp"> {
  let summary = "Quantize every layer's float weights to its scheme's storage";
  let description = [{
    Before: `kiln.linear` layers with f32 weights (constants).
    After: the weights in the scheme's storage (docs/numerics.md): per-channel
    symmetric int8 with f32 scales (`qc8w`), block-wise symmetric int4 with bf16
    block scales (`qb4w`), fp16 weights and bias for `pf16`; `pf32` is unchanged.
    A `pqs8_qc8w` layer must be calibrated first (`input_quant`/`output_quant`): the
    pass says so instead of quantizing it.
  }];
  let dependentDialects = ["::mlir::tosa::TosaDialect"];
}

def KilnSetScheme : Pass<"kiln-set-scheme", "::mlir::ModuleOp"> {
  let summary = "Give every kiln.linear layer one GEMM scheme";
  let description = [{
    Before: layers with whatever scheme the model file gave them.
    After: every layer has `scheme`, except layers that carry the unit attribute
    `kiln.keep_scheme`, which is how a model pins one layer to its own scheme (a
    per-layer override of kiln-compile's --scheme). The layer's weights must still be
    float: a quantized layer cannot change scheme.
  }];
  let options = [
    Option<"scheme", "scheme", "std::string", /*default=*/"\"pf32\"",
           "Scheme name: pf32, pf16, pqs8_qc8w, qp8_f32_qc8w, qp8_f32_qb4w">,
    Option<"blockSize", "block-size", "int64_t", /*default=*/"32",
           "Block size of qp8_f32_qb4w (a positive multiple of 32)">,
  ];
}

#endif // KILN_PASSES_TD
