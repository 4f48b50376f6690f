// fp32 weights as dense_resource blobs (how exporters write large constants) are
// read like inline ones: kiln-compile inlines them before the pipeline.
// RUN: kiln-compile %s --emit=kiln | FileCheck %s
// RUN: kiln-compile %s --scheme=qp8_f32_qc8w --emit=kiln | FileCheck %s --check-prefix=QC8W
// RUN: kiln-compile %s --scheme=qp8_f32_qc8w --report -o /dev/null 2>&1 | FileCheck %s --check-prefix=REPORT

// CHECK-LABEL: func.func @forward
// CHECK: arith.constant dense<{{\[\[}}5.000000e-01, -1.000000e+00, 2.000000e+00, 2.500000e-01], [1.000000e+00, 1.000000e+00, -5.000000e-01, 0.000000e+00]]> : tensor<2x4xf32>
// CHECK: arith.constant dense<[1.250000e-01, -1.250000e-01]> : tensor<2xf32>
// CHECK-NOT: dense_resource

// Row 0: amax 2, so 0.5 -> 31.75 -> 32 and 0.25 -> 15.875 -> 16; row 1: amax 1.
// QC8W: dense<{{\[\[}}32, -64, 127, 16], [127, 127, -64, 0]]> : tensor<2x4xi8>
// QC8W: kiln.linear {{.*}} scheme <qp8_f32_qc8w> {layer_name = "fc"}

// REPORT: fc: qp8_f32_qc8w, 32 -> 16 bytes, sqnr {{[0-9.]+}} dB

func.func @forward(%x: tensor<1x4xf32>) -> tensor<1x2xf32> {
  %w = arith.constant dense_resource<fc_weight> : tensor<2x4xf32>
  %b = arith.constant dense_resource<fc_bias> : tensor<2xf32>
  %y = kiln.linear %x, %w bias(%b) scheme <pf32> {layer_name = "fc"} : (tensor<1x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}

{-#
  dialect_resources: {
    builtin: {
      fc_weight: "0x040000000000003F000080BF000000400000803E0000803F0000803F000000BF00000000",
      fc_bias: "0x040000000000003E000000BE"
    }
  }
#-}
