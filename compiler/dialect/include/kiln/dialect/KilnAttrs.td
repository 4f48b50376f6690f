//===- KilnAttrs.td - kiln attributes -----------------------*- tablegen -*-===//

#ifndef KILN_DIALECT_KILNATTRS_TD
#define KILN_DIALECT_KILNATTRS_TD

include "kiln/dialect/KilnDialect.td"
include "mlir/IR/EnumAttr.td"

// The five GEMM schemes of DESIGN.md; the names are the ExecuTorch/KleidiAI ones.
def Kiln_SchemeKind : I32EnumAttr<"SchemeKind", "GEMM quantization scheme", [
    I32EnumAttrCase<"pf32", 0>,
    I32EnumAttrCase<"pf16", 1>,
    I32EnumAttrCase<"pqs8_qc8w", 2>,
    I32EnumAttrCase<"qp8_f32_qc8w", 3>,
    I32EnumAttrCase<"qp8_f32_qb4w", 4>]> {
  let cppNamespace = "::kiln";
  let genSpecializedAttr = 0;
}

def Kiln_SchemeAttr : AttrDef<Kiln_Dialect, "Scheme"> {
  let mnemonic = "scheme";
  let summary = "GEMM scheme of a linear layer";
  let description = [{
    `#kiln.scheme<pf32>`, `#kiln.scheme<qp8_f32_qb4w, block = 64>`. The block size is
    a parameter of `qp8_f32_qb4w` only (default 32) and is 0 for every other scheme.
  }];
  let parameters = (ins "::kiln::SchemeKind":$kind, "int64_t":$blockSize);
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let builders = [
    AttrBuilder<(ins "::kiln::SchemeKind":$kind), [{
      return $_get($_ctxt, kind, ::kiln::defaultBlockSize(kind));
    }]>
  ];
}

def Kiln_ClampAttr : AttrDef<Kiln_Dialect, "Clamp"> {
  let mnemonic = "clamp";
  let summary = "float output clamp of a linear layer";
  let description = [{
    `#kiln.clamp<min = 0.0, max = 6.0>` (ReLU6). Either bound may be left out and is
    then infinite: `#kiln.clamp<min = 0.0>` is ReLU.
  }];
  let parameters = (ins APFloatParameter<"">:$min, APFloatParameter<"">:$max);
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    float getMinValue() const { return getMin().convertToFloat(); }
    float getMaxValue() const { return getMax().convertToFloat(); }
  }];
}

def Kiln_QuantParamsAttr : AttrDef<Kiln_Dialect, "QuantParams"> {
  let mnemonic = "quant";
  let summary = "per-tensor asymmetric int8 quantization parameters";
  let description = [{
    `#kiln.quant<scale = 0.0235, zero_point = -12>`: real = scale · (q - zero_point),
    as the static activation calibration of `pqs8_qc8w` computes it.
  }];
  let parameters = (ins APFloatParameter<"">:$scale, "int64_t":$zeroPoint);
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    float getScaleValue() const { return getScale().convertToFloat(); }
  }];
}

#endif // KILN_DIALECT_KILNATTRS_TD
