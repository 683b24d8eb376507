// The unpacked form of packed-kernel.mlir's instruction: W^T as a [16, 2]
// matmul operand.
func.func @main(%act: tensor<1x4x16xf32>) -> tensor<4x2xf32> {
  %a = tensor.collapse_shape %act [[0, 1], [2]] : tensor<1x4x16xf32> into tensor<4x16xf32>
  %b = arith.constant dense<[[1.0, 0.0], [2.0, 0.0], [3.0, 0.0], [4.0, 0.0], [5.0, 0.0], [6.0, 0.0], [7.0, 0.0], [8.0, 0.0], [0.0, 9.0], [0.0, 10.0], [0.0, 11.0], [0.0, 12.0], [0.0, 13.0], [0.0, 14.0], [0.0, 15.0], [0.0, 16.0]]> : tensor<16x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x2xf32>
  %c = linalg.fill ins(%zero : f32) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  %0 = linalg.matmul ins(%a, %b : tensor<4x16xf32>, tensor<16x2xf32>) outs(%c : tensor<4x2xf32>) -> tensor<4x2xf32>
  return %0 : tensor<4x2xf32>
}
