// RUN: kiln-opt %s --split-input-file --verify-diagnostics --kiln-lower-to-tosa | FileCheck %s

// pf32 with bias and ReLU6: reshape to rank 3, matmul against the [1,K,N] transposed
// weight, bias add, clamp, reshape back.
// CHECK: tosa.target_env = #tosa.target_env<specification_version = "1.0", level = "8k", profiles = [pro_fp], extensions = []>
// CHECK-LABEL: func.func @pf32
// CHECK-DAG: %[[W:.*]] = "tosa.const"() <{values = dense<{{\[\[\[}}1.000000e+00, 3.000000e+00], [2.000000e+00, 4.000000e+00]]]> : tensor<1x2x2xf32>}>
// CHECK-DAG: %[[X:.*]] = tosa.reshape %arg0
// CHECK: %[[MM:.*]] = tosa.matmul %[[X]], %[[W]]
// CHECK: %[[B:.*]] = tosa.add %[[MM]]
// CHECK: %[[C:.*]] = tosa.clamp %[[B]] {max_val = 6.000000e+00 : f32, min_val = 0.000000e+00 : f32}
// CHECK: tosa.reshape %[[C]]
func.func @pf32(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = "tosa.const"() <{values = dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>}> : () -> tensor<2x2xf32>
  %b = "tosa.const"() <{values = dense<[0.5, -0.5]> : tensor<2xf32>}> : () -> tensor<2xf32>
  %y = kiln.linear %x, %w bias(%b) scheme <pf32> clamp <min = 0.0, max = 6.0> : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

// pf16 with f32 activations: cast in, fp16 matmul accumulating in fp32, one rounding
// to fp16 at the end, cast back to the f32 interface.
// CHECK-LABEL: func.func @pf16
// CHECK: %[[X:.*]] = tosa.cast %{{.*}} : (tensor<1x2x4xf32>) -> tensor<1x2x4xf16>
// CHECK: %[[MM:.*]] = tosa.matmul %[[X]], %{{.*}} : (tensor<1x2x4xf16>, tensor<1x4x3xf16>, tensor<1xf16>, tensor<1xf16>) -> tensor<1x2x3xf32>
// CHECK: %[[H:.*]] = tosa.cast %[[MM]] : (tensor<1x2x3xf32>) -> tensor<1x2x3xf16>
// CHECK: tosa.cast %[[H]] : (tensor<1x2x3xf16>) -> tensor<1x2x3xf32>
func.func @pf16(%x: tensor<2x4xf32>) -> tensor<2x3xf32> {
  %w = "tosa.const"() <{values = dense<1.0> : tensor<3x4xf16>}> : () -> tensor<3x4xf16>
  %y = kiln.linear %x, %w scheme <pf16> : (tensor<2x4xf32>, tensor<3x4xf16>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// qp8_f32_qc8w: dynamic row quantization (custom op), int8 matmul without zero point,
// zero-point correction with the weight row sums [3, -1], then ((f32)iacc·s_w)·s_x + b.
// CHECK: profiles = [pro_int, pro_fp]
// CHECK-LABEL: func.func @qc8w
// CHECK: %[[Q:.*]]:3 = tosa.custom %{{.*}} {domain_name = "kiln", implementation_attrs = "", operator_name = "quantize_rows_qai8dx"} : (tensor<1x1x2xf32>) -> (tensor<1x1x2xi8>, tensor<1x1x1xf32>, tensor<1x1x1xi32>)
// CHECK: %[[ACC:.*]] = tosa.matmul %[[Q]]#0, %{{.*}} -> tensor<1x1x2xi32>
// CHECK: %[[SUMS:.*]] = "tosa.const"() <{values = dense<{{\[\[\[}}3, -1]]]> : tensor<1x1x2xi32>}>
// CHECK: %[[CORR:.*]] = tosa.mul %[[Q]]#2, %[[SUMS]]
// CHECK: %[[I:.*]] = tosa.sub %[[ACC]], %[[CORR]]
// CHECK: %[[F:.*]] = tosa.cast %[[I]] : (tensor<1x1x2xi32>) -> tensor<1x1x2xf32>
// CHECK: %[[SW:.*]] = "tosa.const"() <{values = dense<{{\[\[\[}}2.500000e-01, 5.000000e-01]]]> : tensor<1x1x2xf32>}>
// CHECK: %[[FW:.*]] = tosa.mul %[[F]], %[[SW]]
// CHECK: %[[FX:.*]] = tosa.mul %[[FW]], %[[Q]]#1
// CHECK: tosa.add %[[FX]]
func.func @qc8w(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = "tosa.const"() <{values = dense<[[1, 2], [-3, 2]]> : tensor<2x2xi8>}> : () -> tensor<2x2xi8>
  %s = "tosa.const"() <{values = dense<[0.25, 0.5]> : tensor<2xf32>}> : () -> tensor<2xf32>
  %b = "tosa.const"() <{values = dense<[1.0, 2.0]> : tensor<2xf32>}> : () -> tensor<2xf32>
  %y = kiln.linear %x, %w bias(%b) scales(%s) scheme <qp8_f32_qc8w> : (tensor<1x2xf32>, tensor<2x2xi8>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

// qp8_f32_qb4w, K = 64 in two blocks: one batched int8 matmul per block, the
// per-block correction and bf16 scales (widened to f32), reduce_sum over blocks.
// CHECK-LABEL: func.func @qb4w
// CHECK: tosa.custom
// CHECK: %[[XT:.*]] = tosa.transpose %{{.*}} {perms = array<i32: 1, 0, 2>} : (tensor<2x2x32xi8>) -> tensor<2x2x32xi8>
// CHECK: %[[ACC:.*]] = tosa.matmul %[[XT]], %{{.*}} : (tensor<2x2x32xi8>, tensor<2x32x1xi8>, tensor<1xi8>, tensor<1xi8>) -> tensor<2x2x1xi32>
// CHECK: tosa.mul %{{.*}}#2, %{{.*}} : (tensor<1x2x1xi32>, tensor<2x1x1xi32>, tensor<1xi8>) -> tensor<2x2x1xi32>
// CHECK: %[[SUM:.*]] = tosa.reduce_sum %{{.*}} {axis = 0 : i32} : (tensor<2x2x1xf32>) -> tensor<1x2x1xf32>
// CHECK: tosa.mul %[[SUM]], %{{.*}}#1
func.func @qb4w(%x: tensor<2x64xf32>) -> tensor<2x1xf32> {
  %w = "tosa.const"() <{values = dense<-8> : tensor<1x64xi4>}> : () -> tensor<1x64xi4>
  %s = "tosa.const"() <{values = dense<[[0.5, 0.25]]> : tensor<1x2xbf16>}> : () -> tensor<1x2xbf16>
  %y = kiln.linear %x, %w scales(%s) scheme <qp8_f32_qb4w> : (tensor<2x64xf32>, tensor<1x64xi4>, tensor<1x2xbf16>) -> tensor<2x1xf32>
  return %y : tensor<2x1xf32>
}

// -----

// pqs8_qc8w, two chained layers: the input is quantized once (×1/s, cast, then a
// RESCALE by 1.0 that adds the zero point and saturates), bias is int32, RESCALE per channel with the output zero point, and the
// second layer reads the first one's int8 result directly.
// CHECK-LABEL: func.func @pqs8_chain
// CHECK: %[[INV:.*]] = "tosa.const"() <{values = dense<2.000000e+00> : tensor<1x1x1xf32>}>
// CHECK: tosa.mul %{{.*}}, %[[INV]]
// CHECK: tosa.clamp %{{.*}} {max_val = 2.560000e+02 : f32, min_val = -2.560000e+02 : f32}
// CHECK: %[[XQ:.*]] = tosa.rescale {{.*}} {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = SINGLE_ROUND, scale32 = true} : (tensor<1x1x2xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x1x2xi8>
// CHECK: %[[A1:.*]] = tosa.matmul %[[XQ]], %{{.*}} -> tensor<1x1x2xi32>
// CHECK: %[[B1:.*]] = tosa.add %[[A1]], %{{.*}} : (tensor<1x1x2xi32>, tensor<1x1x2xi32>)
// CHECK: %[[Y1:.*]] = tosa.rescale %[[B1]], {{.*}} {input_unsigned = false, output_unsigned = false, per_channel = true, rounding_mode = SINGLE_ROUND, scale32 = true}
// CHECK: %[[R1:.*]] = tosa.clamp %[[Y1]] {max_val = 127 : i8, min_val = 3 : i8}
// CHECK: tosa.matmul %[[R1]], %{{.*}} -> tensor<1x1x2xi32>
// CHECK: tosa.rescale
func.func @pqs8_chain(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = "tosa.const"() <{values = dense<[[100, -50], [127, 1]]> : tensor<2x2xi8>}> : () -> tensor<2x2xi8>
  %s = "tosa.const"() <{values = dense<[0.01, 0.02]> : tensor<2xf32>}> : () -> tensor<2xf32>
  %b = "tosa.const"() <{values = dense<[0.1, -0.2]> : tensor<2xf32>}> : () -> tensor<2xf32>
  %y1 = kiln.linear %x, %w bias(%b) scales(%s) scheme <pqs8_qc8w> clamp <min = 0.0> input_quant <scale = 0.5, zero_point = -1> output_quant <scale = 0.25, zero_point = 3> : (tensor<1x2xf32>, tensor<2x2xi8>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %y2 = kiln.linear %y1, %w scales(%s) scheme <pqs8_qc8w> input_quant <scale = 0.25, zero_point = 3> output_quant <scale = 0.125, zero_point = 0> : (tensor<1x2xf32>, tensor<2x2xi8>, tensor<2xf32>) -> tensor<1x2xf32>
  return %y2 : tensor<1x2xf32>
}

// -----

func.func @float_weights_for_integer_scheme(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = "tosa.const"() <{values = dense<1.0> : tensor<2x2xf32>}> : () -> tensor<2x2xf32>
  // expected-error @+1 {{expected quantized weights for scheme qp8_f32_qc8w; run kiln-quantize-weights first}}
  %y = kiln.linear %x, %w scheme <qp8_f32_qc8w> : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

// -----

func.func @weight_not_constant(%x: tensor<1x2xf32>, %w: tensor<2x2xf32>) -> tensor<1x2xf32> {
  // expected-error @+1 {{expected the weight to be a compile-time constant to lower to TOSA}}
  %y = kiln.linear %x, %w scheme <pf32> : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}
