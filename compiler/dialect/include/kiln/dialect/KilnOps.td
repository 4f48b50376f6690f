//===- KilnOps.td - kiln operations -------------------------*- tablegen -*-===//

#ifndef KILN_DIALECT_KILNOPS_TD
#define KILN_DIALECT_KILNOPS_TD

include "kiln/dialect/KilnAttrs.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Kiln_LinearOp : Kiln_Op<"linear", [Pure, AttrSizedOperandSegments]> {
  let summary = "linear layer y = clamp(x · Wᵀ + b) compiled with a GEMM scheme";
  let description = [{
    `input` is M×K, `weight` is N×K (PyTorch's `nn.Linear.weight` layout), the
    optional `bias` has N elements and the result is M×N.

    Before quantization the weights are float (f32, or f16 for `pf16`). The
    quantization passes replace them with their quantized form: i8 for the `qc8w`
    schemes with one f32 scale per output channel (`scales`, shape N), i4 for
    `qp8_f32_qb4w` with one bf16 scale per block (`scales`, shape N×(K/block)).
    `pqs8_qc8w` additionally needs the calibrated `input_quant` and `output_quant`
    once its weights are quantized.

    ```mlir
    %y = kiln.linear %x, %w bias(%b) scheme <qp8_f32_qc8w> clamp <min = 0.0>
        : (tensor<1x256xf32>, tensor<256x256xf32>, tensor<256xf32>) -> tensor<1x256xf32>
    ```
    `layer_name` (in the attribute dictionary) is the layer's name in the source
    model, e.g. "fc1" for the PyTorch parameters "fc1.weight" and "fc1.bias"; weight
    files are matched to layers by it.

    Rules `linear_c1`..`linear_c11` are listed in docs/dialect.md.
  }];
  let arguments = (ins
    StaticShapeTensorOf<[F32, F16]>:$input,
    StaticShapeTensorOf<[F32, F16, I8, I<4>]>:$weight,
    Optional<StaticShapeTensorOf<[F32, F16]>>:$bias,
    Optional<StaticShapeTensorOf<[F32, BF16]>>:$weight_scales,
    Kiln_SchemeAttr:$scheme,
    OptionalAttr<Kiln_ClampAttr>:$clamp,
    OptionalAttr<Kiln_QuantParamsAttr>:$input_quant,
    OptionalAttr<Kiln_QuantParamsAttr>:$output_quant,
    OptionalAttr<StrAttr>:$layer_name);
  let results = (outs StaticShapeTensorOf<[F32, F16]>:$result);
  let assemblyFormat = [{
    $input `,` $weight (`bias` `(` $bias^ `)`)? (`scales` `(` $weight_scales^ `)`)?
    `scheme` $scheme (`clamp` $clamp^)? (`input_quant` $input_quant^)?
    (`output_quant` $output_quant^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    int64_t getM() { return getInput().getType().getDimSize(0); }
    int64_t getK() { return getInput().getType().getDimSize(1); }
    int64_t getN() { return getWeight().getType().getDimSize(0); }
    /// True once the quantization passes have replaced the float weights.
    bool hasQuantizedWeights() {
      return getWeight().getType().getElementType().isInteger();
    }
  }];
}

#endif // KILN_DIALECT_KILNOPS_TD
