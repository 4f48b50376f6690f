// The blob is referenced but the file has no dialect_resources section.
func.func @forward(%x: tensor<1x2xf32>) -> tensor<1x1xf32> {
  %w = arith.constant dense_resource<nowhere> : tensor<1x2xf32>
  %y = kiln.linear %x, %w scheme <pf32> : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x1xf32>
  return %y : tensor<1x1xf32>
}
