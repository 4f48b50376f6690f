

// CHECK-LABEL: func.func @relu_and_max_only
// CHECK: clamp <min = 0.000000e+00> :
// CHECK: clamp <max = 1.000000e+00> :
func.func @relu_and_max_only(%x: tensor<1x8xf32>, %w: tensor<8x8xf32>) -> tensor<1x8xf32> {
  %a = kiln.linear %x, %w scheme <pf32> clamp <min = 0.0> : (tensor<1x8xf32>, tensor<8x8xf32>) -> tensor<1x8xf32>
  %b = kiln.linear %a, %w scheme <pf32> clamp <max = 1.0> : (tensor<1x8xf32>, tensor<8x8xf32>) -> tensor<1x8xf32>
  return %b : tensor<1x8xf32>
}
