// The matmul of ../compare-mlir.mlir written as a linalg.generic with the
// reduction spelled out: a different formulation of the same function.
func.func @main(%a: tensor<4x5xf32>, %b: tensor<5x3xf32>) -> tensor<4x3xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x3xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x3xf32>) -> tensor<4x3xf32>
  %c = linalg.generic {
      indexing_maps = [affine_map<(i, j, k) -> (i, k)>,
                       affine_map<(i, j, k) -> (k, j)>,
                       affine_map<(i, j, k) -> (i, j)>],
      iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<4x5xf32>, tensor<5x3xf32>) outs(%f : tensor<4x3xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<4x3xf32>
  return %c : tensor<4x3xf32>
}

// A differently named entry with the transposed operand order, for
// --ref-entry: B^T A^T transposed back is the same product.
func.func @via_transpose(%a: tensor<4x5xf32>, %b: tensor<5x3xf32>) -> tensor<4x3xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x3xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x3xf32>) -> tensor<4x3xf32>
  %c = linalg.generic {
      indexing_maps = [affine_map<(j, i, k) -> (k, j)>,
                       affine_map<(j, i, k) -> (i, k)>,
                       affine_map<(j, i, k) -> (i, j)>],
      iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%b, %a : tensor<5x3xf32>, tensor<4x5xf32>) outs(%f : tensor<4x3xf32>) {
  ^bb0(%y: f32, %x: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<4x3xf32>
  return %c : tensor<4x3xf32>
}
