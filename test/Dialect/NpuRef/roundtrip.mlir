// RUN: sparsity-opt %s -split-input-file | sparsity-opt -split-input-file | FileCheck %s

// Both modes of npu_ref.gemm print and parse back unchanged.

// CHECK-LABEL: func.func @gemm_dense
// CHECK: %[[R:.*]] = npu_ref.gemm %{{.*}} layer("fc") mode("dense") {activation_elements = 8 : i64, weights = dense<{{\[}}[1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00], [5.000000e+00, 6.000000e+00]]> : tensor<3x2xf32>} : tensor<1x4x2xf32> -> tensor<4x3xf32>
// CHECK: return %[[R]]
func.func @gemm_dense(%act: tensor<1x4x2xf32>) -> tensor<4x3xf32> {
  %0 = npu_ref.gemm %act layer("fc") mode("dense") {activation_elements = 8 : i64, weights = dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>} : tensor<1x4x2xf32> -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// Two lanes of 16 reduction elements in groups of 8: lane 0 keeps group 0
// (bit 0), lane 1 keeps group 1 (bit 1).
// CHECK-LABEL: func.func @gemm_zskip
// CHECK: npu_ref.gemm %{{.*}} layer("fc") mode("zskip") {activation_elements = 64 : i64, bitmap = dense<[1, 2]> : tensor<2xi8>, cols = 32 : i64, group = 8 : i64, predicted_us = 6.800000e-02 : f64, tile_k = 256 : i64, values = dense<1.000000e+00> : tensor<16xf32>} : tensor<1x4x16xf32> -> tensor<4x2xf32>
func.func @gemm_zskip(%act: tensor<1x4x16xf32>) -> tensor<4x2xf32> {
  %0 = npu_ref.gemm %act layer("fc") mode("zskip") {activation_elements = 64 : i64, cols = 32 : i64, tile_k = 256 : i64, group = 8 : i64, bitmap = dense<[1, 2]> : tensor<2xi8>, values = dense<1.0> : tensor<16xf32>, predicted_us = 0.068 : f64} : tensor<1x4x16xf32> -> tensor<4x2xf32>
  return %0 : tensor<4x2xf32>
}

// -----

// Payloads may be dense_resource blobs; a grouped layer has G > 1 (here 2
// groups of one output each).
// CHECK-LABEL: func.func @gemm_resource_grouped
// CHECK: npu_ref.gemm %{{.*}} layer("dw") mode("dense") {activation_elements = 8 : i64, weights = dense_resource<w> : tensor<2x2xf32>} : tensor<2x3x2xf32> -> tensor<3x2xf32>
func.func @gemm_resource_grouped(%act: tensor<2x3x2xf32>) -> tensor<3x2xf32> {
  %0 = npu_ref.gemm %act layer("dw") mode("dense") {activation_elements = 8 : i64, weights = dense_resource<w> : tensor<2x2xf32>} : tensor<2x3x2xf32> -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

{-#
  dialect_resources: {
    builtin: {
      w: "0x040000000000803F000000400000404000008040"
    }
  }
#-}
