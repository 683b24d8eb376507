// Execution check of the index remapping: two convolutions concatenated,
// sliced (a split), flattened and read by a fully connected layer. Channel 1
// of the first convolution is the constant relu(0.5) and is folded into the
// FC bias through the slice and the flatten; channel 0 of the second is zero.
// The folded function computes what the original does.
// RUN: sparsity-opt %s --sparsity-fold-structured -o %t.mlir 2>&1 | FileCheck %s --check-prefix=FOLD
// RUN: sparsity-run %t.mlir --compare %s --rtol 1e-5 | FileCheck %s
// FOLD: removed 2 [1, 2]; kept [0]: one channel is kept so that no tensor becomes empty
// FOLD: removed 2 channels in 1 groups; MACs 52 -> 20
// CHECK: match (max abs err
#id = affine_map<(n, c, h, w) -> (n, c, h, w)>
func.func @main(%x: tensor<1x1x2x2xf32>) -> tensor<1x3xf32> {
  %zero = arith.constant 0.0 : f32
  %wa = arith.constant dense<[[[[1.5]]], [[[0.0]]]]> : tensor<2x1x1x1xf32>
  %ba = arith.constant dense<[0.25, 0.5]> : tensor<2xf32>
  %wb = arith.constant dense<[[[[0.0]]], [[[-2.0]]]]> : tensor<2x1x1x1xf32>
  %bb = arith.constant dense<[0.0, 0.75]> : tensor<2xf32>
  %wf = arith.constant dense<[[0.5, -1.0, 2.0], [1.0, 0.25, -0.5], [3.0, 1.0, 1.5],
                              [-2.0, 0.5, 1.0], [0.75, -0.25, 2.5], [1.25, 1.0, -1.5],
                              [0.5, 0.5, 0.5], [-1.0, 2.0, 0.25], [1.5, -0.5, 1.0],
                              [2.0, 1.0, -0.75], [0.25, 0.75, 1.25], [-0.5, 1.5, 2.0]]> : tensor<12x3xf32>
  %bf = arith.constant dense<[0.1, -0.2, 0.3]> : tensor<3xf32>
  %e = tensor.empty() : tensor<1x2x2x2xf32>
  %ia = linalg.broadcast ins(%ba : tensor<2xf32>) outs(%e : tensor<1x2x2x2xf32>) dimensions = [0, 2, 3]
  %ib = linalg.broadcast ins(%bb : tensor<2xf32>) outs(%e : tensor<1x2x2x2xf32>) dimensions = [0, 2, 3]
  %a = linalg.conv_2d_nchw_fchw ins(%x, %wa : tensor<1x1x2x2xf32>, tensor<2x1x1x1xf32>) outs(%ia : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %b = linalg.conv_2d_nchw_fchw ins(%x, %wb : tensor<1x1x2x2xf32>, tensor<2x1x1x1xf32>) outs(%ib : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %ra = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%a : tensor<1x2x2x2xf32>) outs(%e : tensor<1x2x2x2xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x2x2x2xf32>
  %rb = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%b : tensor<1x2x2x2xf32>) outs(%e : tensor<1x2x2x2xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x2x2x2xf32>
  %c = tensor.concat dim(1) %ra, %rb : (tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) -> tensor<1x4x2x2xf32>
  %s = tensor.extract_slice %c[0, 1, 0, 0] [1, 3, 2, 2] [1, 1, 1, 1] : tensor<1x4x2x2xf32> to tensor<1x3x2x2xf32>
  %flat = tensor.collapse_shape %s [[0], [1, 2, 3]] : tensor<1x3x2x2xf32> into tensor<1x12xf32>
  %e2 = tensor.empty() : tensor<1x3xf32>
  %i2 = linalg.broadcast ins(%bf : tensor<3xf32>) outs(%e2 : tensor<1x3xf32>) dimensions = [0]
  %y = linalg.matmul ins(%flat, %wf : tensor<1x12xf32>, tensor<12x3xf32>) outs(%i2 : tensor<1x3xf32>) -> tensor<1x3xf32>
  return %y : tensor<1x3xf32>
}
