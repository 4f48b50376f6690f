// Layer 2 expects K = 4, but layer 1 produces 3 features.
func.func @forward(%x: tensor<1x4xf32>) -> tensor<1x2xf32> {
  %w1 = arith.constant dense<1.0> : tensor<3x4xf32>
  %w2 = arith.constant dense<1.0> : tensor<2x4xf32>
  %y1 = kiln.linear %x, %w1 scheme <pf32> {layer_name = "fc1"} : (tensor<1x4xf32>, tensor<3x4xf32>) -> tensor<1x3xf32>
  %y2 = kiln.linear %y1, %w2 scheme <pf32> {layer_name = "fc2"} : (tensor<1x3xf32>, tensor<2x4xf32>) -> tensor<1x2xf32>
  return %y2 : tensor<1x2xf32>
}
