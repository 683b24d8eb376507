// Whole attention heads: hidden 4 = 2 heads x 2. Head 1's value weights
// (columns 2 and 3 of Wv) are zero and V has no bias, so head 1's attention
// output is zero whatever its queries and keys: the head goes from Wq, Wk and
// Wv (columns 2, 3) and from the output projection (rows 2, 3), through the
// head split, the transposes, both batch matmuls and the merge of the heads.
// Numbers: the folded function computes what the original does.
// RUN: sparsity-opt %s --sparsity-fold-structured -o %t.mlir 2>&1 | FileCheck %s --check-prefix=FOLD
// RUN: FileCheck %s --check-prefix=IR < %t.mlir
// RUN: sparsity-run %t.mlir --compare %s --rtol 1e-5 | FileCheck %s
// FOLD: (2 channels): removed 1 [1]
// FOLD: removed 1 channels in 1 groups; MACs 240 -> 120
// IR-COUNT-3: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<4x4xf32>, tensor<4x2xf32>) outs(%{{.*}} : tensor<4x2xf32>)
// IR: linalg.batch_matmul ins(%{{.*}}, %{{.*}} : tensor<1x4x2xf32>, tensor<1x2x4xf32>)
// IR: linalg.batch_matmul ins(%{{.*}}, %{{.*}} : tensor<1x4x4xf32>, tensor<1x4x2xf32>)
// IR: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<4x2xf32>, tensor<2x3xf32>)
// CHECK: match (max abs err
#id3 = affine_map<(h, i, j) -> (h, i, j)>
func.func @main(%x: tensor<4x4xf32>) -> tensor<4x3xf32> {
  %zero = arith.constant 0.0 : f32
  %scale = arith.constant 0.5 : f32
  %wq = arith.constant dense<[[0.5, -0.25, 0.75, 0.1], [0.2, 0.3, -0.4, 0.6], [-0.1, 0.8, 0.2, -0.3], [0.4, 0.1, 0.5, 0.2]]> : tensor<4x4xf32>
  %wk = arith.constant dense<[[0.3, 0.2, -0.6, 0.4], [-0.5, 0.1, 0.3, 0.2], [0.2, -0.4, 0.1, 0.7], [0.6, 0.3, -0.2, 0.1]]> : tensor<4x4xf32>
  %wv = arith.constant dense<[[1.0, -0.5, 0.0, 0.0], [0.25, 0.75, 0.0, 0.0], [-0.5, 1.5, 0.0, 0.0], [2.0, 0.5, 0.0, 0.0]]> : tensor<4x4xf32>
  %wo = arith.constant dense<[[0.5, 1.0, -1.0], [0.25, -0.5, 2.0], [1.5, 0.5, 0.5], [-1.0, 2.0, 1.0]]> : tensor<4x3xf32>
  %e44 = tensor.empty() : tensor<4x4xf32>
  %f44 = linalg.fill ins(%zero : f32) outs(%e44 : tensor<4x4xf32>) -> tensor<4x4xf32>
  %q = linalg.matmul ins(%x, %wq : tensor<4x4xf32>, tensor<4x4xf32>) outs(%f44 : tensor<4x4xf32>) -> tensor<4x4xf32>
  %k = linalg.matmul ins(%x, %wk : tensor<4x4xf32>, tensor<4x4xf32>) outs(%f44 : tensor<4x4xf32>) -> tensor<4x4xf32>
  %v = linalg.matmul ins(%x, %wv : tensor<4x4xf32>, tensor<4x4xf32>) outs(%f44 : tensor<4x4xf32>) -> tensor<4x4xf32>
  %q3 = tensor.expand_shape %q [[0], [1, 2]] output_shape [4, 2, 2] : tensor<4x4xf32> into tensor<4x2x2xf32>
  %k3 = tensor.expand_shape %k [[0], [1, 2]] output_shape [4, 2, 2] : tensor<4x4xf32> into tensor<4x2x2xf32>
  %v3 = tensor.expand_shape %v [[0], [1, 2]] output_shape [4, 2, 2] : tensor<4x4xf32> into tensor<4x2x2xf32>
  %e = tensor.empty() : tensor<2x4x2xf32>
  %ek = tensor.empty() : tensor<2x2x4xf32>
  %qh = linalg.transpose ins(%q3 : tensor<4x2x2xf32>) outs(%e : tensor<2x4x2xf32>) permutation = [1, 0, 2]
  %kh = linalg.transpose ins(%k3 : tensor<4x2x2xf32>) outs(%ek : tensor<2x2x4xf32>) permutation = [1, 2, 0]
  %vh = linalg.transpose ins(%v3 : tensor<4x2x2xf32>) outs(%e : tensor<2x4x2xf32>) permutation = [1, 0, 2]
  %es = tensor.empty() : tensor<2x4x4xf32>
  %fs = linalg.fill ins(%zero : f32) outs(%es : tensor<2x4x4xf32>) -> tensor<2x4x4xf32>
  %sc = linalg.batch_matmul ins(%qh, %kh : tensor<2x4x2xf32>, tensor<2x2x4xf32>) outs(%fs : tensor<2x4x4xf32>) -> tensor<2x4x4xf32>
  %p = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%sc : tensor<2x4x4xf32>) outs(%es : tensor<2x4x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.mulf %in, %scale : f32
    %ex = math.exp %m : f32
    linalg.yield %ex : f32
  } -> tensor<2x4x4xf32>
  %fo = linalg.fill ins(%zero : f32) outs(%e : tensor<2x4x2xf32>) -> tensor<2x4x2xf32>
  %o = linalg.batch_matmul ins(%p, %vh : tensor<2x4x4xf32>, tensor<2x4x2xf32>) outs(%fo : tensor<2x4x2xf32>) -> tensor<2x4x2xf32>
  %et = tensor.empty() : tensor<4x2x2xf32>
  %ot = linalg.transpose ins(%o : tensor<2x4x2xf32>) outs(%et : tensor<4x2x2xf32>) permutation = [1, 0, 2]
  %oc = tensor.collapse_shape %ot [[0], [1, 2]] : tensor<4x2x2xf32> into tensor<4x4xf32>
  %e43 = tensor.empty() : tensor<4x3xf32>
  %f43 = linalg.fill ins(%zero : f32) outs(%e43 : tensor<4x3xf32>) -> tensor<4x3xf32>
  %y = linalg.matmul ins(%oc, %wo : tensor<4x4xf32>, tensor<4x3xf32>) outs(%f43 : tensor<4x3xf32>) -> tensor<4x3xf32>
  return %y : tensor<4x3xf32>
}
