// Every kiln.linear verifier rule (docs/dialect.md), one case per label.
// RUN: kiln-opt %s --split-input-file --verify-diagnostics

func.func @linear_c1(%x: tensor<1x2x8xf32>, %w: tensor<4x8xf32>) -> tensor<1x4xf32> {
  // expected-error @+1 {{expected input to be rank 2 (MxK), got rank 3 (linear_c1)}}
  %y = kiln.linear %x, %w scheme <pf32> : (tensor<1x2x8xf32>, tensor<4x8xf32>) -> tensor<1x4xf32>
  return %y : tensor<1x4xf32>
}

// -----

func.func @linear_c2_rank(%x: tensor<1x8xf32>, %w: tensor<4x8x1xf32>) -> tensor<1x4xf32> {
  // expected-error @+1 {{expected weight to be rank 2 (NxK), got rank 3 (linear_c2)}}
  %y = kiln.linear %x, %w scheme <pf32> : (tensor<1x8xf32>, tensor<4x8x1xf32>) -> tensor<1x4xf32>
  return %y : tensor<1x4xf32>
}

// -----

func.func @linear_c2_k(%x: tensor<1x256xf32>, %w: tensor<4x128xf32>) -> tensor<1x4xf32> {
  // expected-error @+1 {{expected weight dim 1 (K) to be 256 to match the input, got 128 (linear_c2)}}
  %y = kiln.linear %x, %w scheme <pf32> : (tensor<1x256xf32>, tensor<4x128xf32>) -> tensor<1x4xf32>
  return %y : tensor<1x4xf32>
}

// -----

func.func @linear_c3(%x: tensor<1x48xf32>, %w: tensor<4x48xf32>) -> tensor<1x4xf32> {
  // expected-error @+1 {{expected K to be a multiple of the block size 32, got 48 (linear_c3)}}
  %y = kiln.linear %x, %w scheme <qp8_f32_qb4w> : (tensor<1x48xf32>, tensor<4x48xf32>) -> tensor<1x4xf32>
  return %y : tensor<1x4xf32>
}

// -----

func.func @linear_c4(%x: tensor<1x8xf32>, %w: tensor<4x8xf32>, %b: tensor<5xf32>) -> tensor<1x4xf32> {
  // expected-error @+1 {{expected bias of shape [4], got tensor<5xf32> (linear_c4)}}
  %y = kiln.linear %x, %w bias(%b) scheme <pf32> : (tensor<1x8xf32>, tensor<4x8xf32>, tensor<5xf32>) -> tensor<1x4xf32>
  return %y : tensor<1x4xf32>
}

// -----

func.func @linear_c5(%x: tensor<2x8xf32>, %w: tensor<4x8xf32>) -> tensor<4x2xf32> {
  // expected-error @+1 {{expected result of type tensor<2x4xf32>, got tensor<4x2xf32> (linear_c5)}}
  %y = kiln.linear %x, %w scheme <pf32> : (tensor<2x8xf32>, tensor<4x8xf32>) -> tensor<4x2xf32>
  return %y : tensor<4x2xf32>
}

// -----

func.func @linear_c6(%x: tensor<1x8xf16>, %w: tensor<4x8xf32>) -> tensor<1x4xf16> {
  // expected-error @+1 {{expected input element type f32 for scheme qp8_f32_qc8w, got f16 (linear_c6)}}
  %y = kiln.linear %x, %w scheme <qp8_f32_qc8w> : (tensor<1x8xf16>, tensor<4x8xf32>) -> tensor<1x4xf16>
  return %y : tensor<1x4xf16>
}

// -----

func.func @linear_c7(%x: tensor<1x32xf32>, %w: tensor<4x32xi8>, %s: tensor<4x1xbf16>) -> tensor<1x4xf32> {
  // expected-error @+1 {{expected weight element type f32 or i4 for scheme qp8_f32_qb4w, got i8 (linear_c7)}}
  %y = kiln.linear %x, %w scales(%s) scheme <qp8_f32_qb4w> : (tensor<1x32xf32>, tensor<4x32xi8>, tensor<4x1xbf16>) -> tensor<1x4xf32>
  return %y : tensor<1x4xf32>
}

// -----

func.func @linear_c7_pf32(%x: tensor<1x8xf32>, %w: tensor<4x8xf16>) -> tensor<1x4xf32> {
  // expected-error @+1 {{expected weight element type f32 for scheme pf32, got f16 (linear_c7)}}
  %y = kiln.linear %x, %w scheme <pf32> : (tensor<1x8xf32>, tensor<4x8xf16>) -> tensor<1x4xf32>
  return %y : tensor<1x4xf32>
}

// -----

func.func @linear_c8_missing(%x: tensor<1x8xf32>, %w: tensor<4x8xi8>) -> tensor<1x4xf32> {
  // expected-error @+1 {{expected scales of type tensor<4xf32> with quantized weights, got none (linear_c8)}}
  %y = kiln.linear %x, %w scheme <qp8_f32_qc8w> : (tensor<1x8xf32>, tensor<4x8xi8>) -> tensor<1x4xf32>
  return %y : tensor<1x4xf32>
}

// -----

func.func @linear_c8_shape(%x: tensor<1x64xf32>, %w: tensor<4x64xi4>, %s: tensor<4x1xbf16>) -> tensor<1x4xf32> {
  // expected-error @+1 {{expected scales of type tensor<4x2xbf16>, got tensor<4x1xbf16> (linear_c8)}}
  %y = kiln.linear %x, %w scales(%s) scheme <qp8_f32_qb4w> : (tensor<1x64xf32>, tensor<4x64xi4>, tensor<4x1xbf16>) -> tensor<1x4xf32>
  return %y : tensor<1x4xf32>
}

// -----

func.func @linear_c8_float(%x: tensor<1x8xf32>, %w: tensor<4x8xf32>, %s: tensor<4xf32>) -> tensor<1x4xf32> {
  // expected-error @+1 {{expected no scales with float weights (linear_c8)}}
  %y = kiln.linear %x, %w scales(%s) scheme <qp8_f32_qc8w> : (tensor<1x8xf32>, tensor<4x8xf32>, tensor<4xf32>) -> tensor<1x4xf32>
  return %y : tensor<1x4xf32>
}

// -----

func.func @linear_c9(%x: tensor<1x8xf32>, %w: tensor<4x8xi8>, %s: tensor<4xf32>) -> tensor<1x4xf32> {
  // expected-error @+1 {{expected input_quant and output_quant on a quantized pqs8_qc8w layer, got input_quant only; calibrate before quantizing the weights (linear_c9)}}
  %y = kiln.linear %x, %w scales(%s) scheme <pqs8_qc8w> input_quant <scale = 0.1, zero_point = 0> : (tensor<1x8xf32>, tensor<4x8xi8>, tensor<4xf32>) -> tensor<1x4xf32>
  return %y : tensor<1x4xf32>
}

// -----

func.func @linear_c10(%x: tensor<1x8xf32>, %w: tensor<4x8xf32>) -> tensor<1x4xf32> {
  // expected-error @+1 {{expected no input_quant/output_quant for scheme qp8_f32_qc8w: only pqs8_qc8w is statically calibrated (linear_c10)}}
  %y = kiln.linear %x, %w scheme <qp8_f32_qc8w> input_quant <scale = 0.1, zero_point = 0> : (tensor<1x8xf32>, tensor<4x8xf32>) -> tensor<1x4xf32>
  return %y : tensor<1x4xf32>
}

// -----

func.func @linear_c11(%x: tensor<1x8xf16>, %w: tensor<4x8xf16>, %b: tensor<4xf32>) -> tensor<1x4xf16> {
  // expected-error @+1 {{expected bias element type to match the input (f16), got f32 (linear_c11)}}
  %y = kiln.linear %x, %w bias(%b) scheme <pf16> : (tensor<1x8xf16>, tensor<4x8xf16>, tensor<4xf32>) -> tensor<1x4xf16>
  return %y : tensor<1x4xf16>
}

// -----

func.func @static_shape(%x: tensor<?x8xf32>, %w: tensor<4x8xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{operand #0 must be statically shaped tensor}}
  %y = kiln.linear %x, %w scheme <pf32> : (tensor<?x8xf32>, tensor<4x8xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}
