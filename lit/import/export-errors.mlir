// Ops and types with no TOSA flatbuffer form are errors at the op, never skipped.
// RUN: kiln-translate --export-tosa-flatbuffer %s --split-input-file --verify-diagnostics -o /dev/null

func.func @unsupported_op(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{cannot export 'tosa.exp' to a TOSA flatbuffer: Kiln has no flatbuffer operator for it (docs/tosa-flatbuffer.md lists them)}}
  %y = tosa.exp %x : (tensor<2xf32>) -> tensor<2xf32>
  return %y : tensor<2xf32>
}

// -----

// expected-error @+1 {{cannot export 'tensor<?xf32>' to a TOSA flatbuffer: expected a statically shaped ranked tensor}}
func.func @dynamic(%x: tensor<?xf32>) -> tensor<?xf32> {
  return %x : tensor<?xf32>
}

// -----

// expected-error @+1 {{cannot export element type 'f64' to a TOSA flatbuffer}}
func.func @f64(%x: tensor<2xf64>) -> tensor<2xf64> {
  return %x : tensor<2xf64>
}

// -----

// expected-error @+1 {{expected exactly one function to export as a TOSA flatbuffer, got 2}}
module {
  func.func @a() { return }
  func.func @b() { return }
}
