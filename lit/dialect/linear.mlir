// Round trips of every kiln.linear form and attribute spelling.
// RUN: kiln-opt %s --split-input-file | FileCheck %s
// RUN: kiln-opt %s --split-input-file | kiln-opt --split-input-file | FileCheck %s

// CHECK-LABEL: func.func @pf32_plain
// CHECK: kiln.linear %{{.*}}, %{{.*}} scheme <pf32> : (tensor<1x256xf32>, tensor<256x256xf32>) -> tensor<1x256xf32>
func.func @pf32_plain(%x: tensor<1x256xf32>, %w: tensor<256x256xf32>) -> tensor<1x256xf32> {
  %y = kiln.linear %x, %w scheme <pf32> : (tensor<1x256xf32>, tensor<256x256xf32>) -> tensor<1x256xf32>
  return %y : tensor<1x256xf32>
}

// -----

// CHECK-LABEL: func.func @pf32_bias_relu6
// CHECK: kiln.linear %{{.*}}, %{{.*}} bias(%{{.*}}) scheme <pf32> clamp <min = 0.000000e+00, max = 6.000000e+00>
func.func @pf32_bias_relu6(%x: tensor<4x64xf32>, %w: tensor<16x64xf32>, %b: tensor<16xf32>) -> tensor<4x16xf32> {
  %y = kiln.linear %x, %w bias(%b) scheme <pf32> clamp <min = 0.0, max = 6.0> : (tensor<4x64xf32>, tensor<16x64xf32>, tensor<16xf32>) -> tensor<4x16xf32>
  return %y : tensor<4x16xf32>
}

// -----

// CHECK-LABEL: func.func @relu_and_max_only
// CHECK: clamp <min = 0.000000e+00> :
// CHECK: clamp <max = 1.000000e+00> :
func.func @relu_and_max_only(%x: tensor<1x8xf32>, %w: tensor<8x8xf32>) -> tensor<1x8xf32> {
  %a = kiln.linear %x, %w scheme <pf32> clamp <min = 0.0> : (tensor<1x8xf32>, tensor<8x8xf32>) -> tensor<1x8xf32>
  %b = kiln.linear %a, %w scheme <pf32> clamp <max = 1.0> : (tensor<1x8xf32>, tensor<8x8xf32>) -> tensor<1x8xf32>
  return %b : tensor<1x8xf32>
}

// -----

// CHECK-LABEL: func.func @pf16_half
// CHECK: scheme <pf16> : (tensor<2x32xf16>, tensor<8x32xf16>, tensor<8xf16>) -> tensor<2x8xf16>
func.func @pf16_half(%x: tensor<2x32xf16>, %w: tensor<8x32xf16>, %b: tensor<8xf16>) -> tensor<2x8xf16> {
  %y = kiln.linear %x, %w bias(%b) scheme <pf16> : (tensor<2x32xf16>, tensor<8x32xf16>, tensor<8xf16>) -> tensor<2x8xf16>
  return %y : tensor<2x8xf16>
}

// -----

// CHECK-LABEL: func.func @pqs8_calibrated
// CHECK: scales(%{{.*}}) scheme <pqs8_qc8w> input_quant <scale = 2.500000e-01, zero_point = -3> output_quant <scale = 5.000000e-01, zero_point = 7>
func.func @pqs8_calibrated(%x: tensor<1x32xf32>, %w: tensor<8x32xi8>, %s: tensor<8xf32>) -> tensor<1x8xf32> {
  %y = kiln.linear %x, %w scales(%s) scheme <pqs8_qc8w> input_quant <scale = 0.25, zero_point = -3> output_quant <scale = 0.5, zero_point = 7> : (tensor<1x32xf32>, tensor<8x32xi8>, tensor<8xf32>) -> tensor<1x8xf32>
  return %y : tensor<1x8xf32>
}

// -----

// CHECK-LABEL: func.func @qc8w_quantized
// CHECK: kiln.linear %{{.*}}, %{{.*}} bias(%{{.*}}) scales(%{{.*}}) scheme <qp8_f32_qc8w>
func.func @qc8w_quantized(%x: tensor<3x32xf32>, %w: tensor<8x32xi8>, %b: tensor<8xf32>, %s: tensor<8xf32>) -> tensor<3x8xf32> {
  %y = kiln.linear %x, %w bias(%b) scales(%s) scheme <qp8_f32_qc8w> : (tensor<3x32xf32>, tensor<8x32xi8>, tensor<8xf32>, tensor<8xf32>) -> tensor<3x8xf32>
  return %y : tensor<3x8xf32>
}

// -----

// CHECK-LABEL: func.func @qb4w_default_block
// CHECK: scheme <qp8_f32_qb4w, block = 32> : (tensor<1x64xf32>, tensor<8x64xi4>, tensor<8x2xbf16>)
func.func @qb4w_default_block(%x: tensor<1x64xf32>, %w: tensor<8x64xi4>, %s: tensor<8x2xbf16>) -> tensor<1x8xf32> {
  %y = kiln.linear %x, %w scales(%s) scheme <qp8_f32_qb4w> : (tensor<1x64xf32>, tensor<8x64xi4>, tensor<8x2xbf16>) -> tensor<1x8xf32>
  return %y : tensor<1x8xf32>
}

// -----

// CHECK-LABEL: func.func @qb4w_block64_float
// CHECK: scheme <qp8_f32_qb4w, block = 64> : (tensor<1x128xf32>, tensor<8x128xf32>)
func.func @qb4w_block64_float(%x: tensor<1x128xf32>, %w: tensor<8x128xf32>) -> tensor<1x8xf32> {
  %y = kiln.linear %x, %w scheme <qp8_f32_qb4w, block = 64> : (tensor<1x128xf32>, tensor<8x128xf32>) -> tensor<1x8xf32>
  return %y : tensor<1x8xf32>
}

// -----

// Attributes also round-trip on their own, with the dialect prefix.
// CHECK-LABEL: func.func @standalone_attrs
// CHECK-SAME: kiln.c = #kiln.clamp<min = -1.000000e+00, max = 1.000000e+00>
// CHECK-SAME: kiln.q = #kiln.quant<scale = 1.250000e-01, zero_point = 0>
// CHECK-SAME: kiln.s = #kiln.scheme<qp8_f32_qb4w, block = 32>
func.func @standalone_attrs() attributes {kiln.s = #kiln.scheme<qp8_f32_qb4w>, kiln.c = #kiln.clamp<min = -1.0, max = 1.0>, kiln.q = #kiln.quant<scale = 0.125, zero_point = 0>} {
  return
}
