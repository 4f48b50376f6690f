// The blob has 4 bytes, the type needs 8.
func.func @forward(%x: tensor<1x2xf32>) -> tensor<1x1xf32> {
  %w = arith.constant dense_resource<short> : tensor<1x2xf32>
  %y = kiln.linear %x, %w scheme <pf32> : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x1xf32>
  return %y : tensor<1x1xf32>
}

{-#
  dialect_resources: {
    builtin: {
      short: "0x040000000000003F"
    }
  }
#-}
