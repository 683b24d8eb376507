func.func @main(%act: tensor<1x4x2xf32>) -> tensor<4x3xf32> {
  %0 = npu_ref.gemm %act layer("fc") mode("dense") {activation_elements = 8 : i64, weights = dense<1.0> : tensor<3x2xf32>} : tensor<1x4x2xf32> -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}
