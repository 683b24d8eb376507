// criterion=l1 and criterion=l2 rank channels differently: filter 0 is
// [3, 0.1, 0.1] (L1 3.2, L2 3.003), filter 1 is [1.5, 1.5, 1.5] (L1 4.5,
// L2 2.598). Pruning one of the two channels removes filter 0 by L1 and
// filter 1 by L2.
// RUN: sparsity-opt %s --sparsity-prune="granularity=channel target=0.5 scope=layer criterion=l1" 2>/dev/null | FileCheck %s --check-prefix=CHECK-L1
// RUN: sparsity-opt %s --sparsity-prune="granularity=channel target=0.5 scope=layer criterion=l2" 2>/dev/null | FileCheck %s --check-prefix=CHECK-L2

// CHECK-L1: sparsity.annotate %{{.*}} pattern<channels<dim = 0, pruned = [0]>, unstructured<nnz = 3>>
// CHECK-L2: sparsity.annotate %{{.*}} pattern<channels<dim = 0, pruned = [1]>, unstructured<nnz = 3>>
func.func @criterion(%x: tensor<1x3x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<[[[[3.0]], [[0.1]], [[0.1]]], [[[1.5]], [[1.5]], [[1.5]]]]> : tensor<2x3x1x1xf32>
  %e = tensor.empty() : tensor<1x2x2x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %y = linalg.conv_2d_nchw_fchw ins(%x, %w : tensor<1x3x2x2xf32>, tensor<2x3x1x1xf32>) outs(%f : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}
