func.func @declared(%w: tensor<4x4xf32>) -> tensor<4x4xf32> {
  %0 = sparsity.annotate %w pattern<unstructured<density = 0.5>> : tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}
