// sparse_tensor IR lowers to the LLVM dialect with the upstream sparsifier
// pipeline that sparsity-opt registers.

// RUN: sparsity-opt %s --sparsifier | FileCheck %s

#CSR = #sparse_tensor.encoding<{ map = (i, j) -> (i : dense, j : compressed) }>

// CHECK-NOT: sparse_tensor.
// CHECK: llvm.func @spmm(
func.func @spmm(%a: tensor<8x8xf32, #CSR>, %b: tensor<8x4xf32>,
                %c: tensor<8x4xf32>) -> tensor<8x4xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<8x8xf32, #CSR>, tensor<8x4xf32>)
                     outs(%c : tensor<8x4xf32>) -> tensor<8x4xf32>
  return %0 : tensor<8x4xf32>
}
