// One layer without bias or clamp and one with bias and a min/max clamp, K = 64 (two
// int4 blocks), N = 4; kiln-compile --scheme= picks the scheme of both. The clamp's
// min is 0.5, not 0: calibration widens the observed range to include 0, so the
// static scheme's int8 clamp still bites.
func.func @no_bias(%x: tensor<2x64xf32>) -> tensor<2x4xf32> {
  %w = arith.constant dense<0.25> : tensor<4x64xf32>
  %y = kiln.linear %x, %w scheme <pf32> : (tensor<2x64xf32>, tensor<4x64xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

func.func @bias_clamp(%x: tensor<2x64xf32>) -> tensor<2x4xf32> {
  %w = arith.constant dense<-0.125> : tensor<4x64xf32>
  %b = arith.constant dense<[0.5, -0.5, 1.0, -1.0]> : tensor<4xf32>
  %y = kiln.linear %x, %w bias(%b) scheme <pf32> clamp <min = 0.5, max = 6.0> : (tensor<2x64xf32>, tensor<4x64xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}
