// One layer the cost model can predict, one it cannot (a transposed weight).
func.func @f(%x: tensor<2x4xf32>, %e: tensor<2x4xf32>) -> (tensor<2x4xf32>, tensor<2x4xf32>) {
  %w = arith.constant dense<[[1.0, 0.5, 0.25, 2.0], [3.0, 1.0, 0.0, 1.0], [1.0, 1.0, 1.0, 1.0], [0.0, 2.0, 4.0, 1.0]]> : tensor<4x4xf32>
  %v = arith.constant dense<[[1.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0], [1.0, 1.0, 1.0, 1.0], [0.0, 2.0, 0.0, 0.0]]> : tensor<4x4xf32>
  %i = tensor.empty() : tensor<4x4xf32>
  %vt = linalg.transpose ins(%v : tensor<4x4xf32>) outs(%i : tensor<4x4xf32>) permutation = [1, 0]
  %a = linalg.matmul ins(%x, %w : tensor<2x4xf32>, tensor<4x4xf32>) outs(%e : tensor<2x4xf32>) -> tensor<2x4xf32>
  %b = linalg.matmul ins(%x, %vt : tensor<2x4xf32>, tensor<4x4xf32>) outs(%e : tensor<2x4xf32>) -> tensor<2x4xf32>
  return %a, %b : tensor<2x4xf32>, tensor<2x4xf32>
}
