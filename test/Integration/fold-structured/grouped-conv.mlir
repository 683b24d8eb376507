// A grouped convolution (2 groups of 2 channels), as sparsity-import-onnx
// writes it: the input's channels are split into [groups, channels/groups],
// which the pass treats like a split into heads, so only whole groups can
// go. Filters 2 and 3 of the first convolution are zero with a zero bias:
// the grouped convolution's group 1 reads only zeros and has a zero bias, so
// its two output channels are zero too, and the 1x1 convolution after it
// loses their input slices. Group 1 disappears everywhere; the numbers stay
// (sparsity-run --compare). (A non-zero bias in group 1, one constant per
// output channel of the group, is not proved constant per group: kept.)
// RUN: sparsity-opt %s --sparsity-fold-structured -o %t.mlir 2>&1 | FileCheck %s --check-prefix=FOLD
// RUN: FileCheck %s --check-prefix=IR < %t.mlir
// RUN: sparsity-run %t.mlir --compare %s --rtol 1e-5 | FileCheck %s
// FOLD: (2 channels): removed 1 [1]
// FOLD: removed 1 channels in 1 groups; MACs 112 -> 56
// IR: linalg.conv_2d_ngchw_gfchw {{.*}}ins(%{{.*}}, %{{.*}} : tensor<1x1x2x2x2xf32>, tensor<1x2x2x1x1xf32>)
// IR: linalg.conv_2d_nchw_fchw {{.*}}ins(%{{.*}}, %{{.*}} : tensor<1x2x2x2xf32>, tensor<3x2x1x1xf32>)
// CHECK: match (max abs err
#id = affine_map<(n, c, h, w) -> (n, c, h, w)>
func.func @main(%x: tensor<1x2x2x2xf32>) -> tensor<1x3x2x2xf32> {
  %zero = arith.constant 0.0 : f32
  %w1 = arith.constant dense<[[[[1.0]], [[2.0]]], [[[-1.0]], [[0.5]]], [[[0.0]], [[0.0]]], [[[0.0]], [[0.0]]]]> : tensor<4x2x1x1xf32>
  %wg = arith.constant dense<[[[[[1.0]], [[-2.0]]], [[[0.5]], [[1.5]]]], [[[[2.0]], [[1.0]]], [[[-1.0]], [[3.0]]]]]> : tensor<2x2x2x1x1xf32>
  %bg = arith.constant dense<[[0.1, 0.2], [0.0, 0.0]]> : tensor<2x2xf32>
  %w3 = arith.constant dense<[[[[1.0]], [[0.5]], [[2.0]], [[-1.0]]], [[[0.25]], [[1.0]], [[-0.5]], [[3.0]]], [[[2.0]], [[-1.5]], [[1.0]], [[0.75]]]]> : tensor<3x4x1x1xf32>
  %b3 = arith.constant dense<[0.3, -0.1, 0.2]> : tensor<3xf32>
  %e4 = tensor.empty() : tensor<1x4x2x2xf32>
  %f4 = linalg.fill ins(%zero : f32) outs(%e4 : tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  %y1 = linalg.conv_2d_nchw_fchw ins(%x, %w1 : tensor<1x2x2x2xf32>, tensor<4x2x1x1xf32>) outs(%f4 : tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  %r1 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%y1 : tensor<1x4x2x2xf32>) outs(%e4 : tensor<1x4x2x2xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x4x2x2xf32>
  %x5 = tensor.expand_shape %r1 [[0], [1, 2], [3], [4]] output_shape [1, 2, 2, 2, 2] : tensor<1x4x2x2xf32> into tensor<1x2x2x2x2xf32>
  %e5 = tensor.empty() : tensor<1x2x2x2x2xf32>
  %ig = linalg.broadcast ins(%bg : tensor<2x2xf32>) outs(%e5 : tensor<1x2x2x2x2xf32>) dimensions = [0, 3, 4]
  %yg = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x5, %wg : tensor<1x2x2x2x2xf32>, tensor<2x2x2x1x1xf32>) outs(%ig : tensor<1x2x2x2x2xf32>) -> tensor<1x2x2x2x2xf32>
  %y2 = tensor.collapse_shape %yg [[0], [1, 2], [3], [4]] : tensor<1x2x2x2x2xf32> into tensor<1x4x2x2xf32>
  %e3 = tensor.empty() : tensor<1x3x2x2xf32>
  %i3 = linalg.broadcast ins(%b3 : tensor<3xf32>) outs(%e3 : tensor<1x3x2x2xf32>) dimensions = [0, 2, 3]
  %y3 = linalg.conv_2d_nchw_fchw ins(%y2, %w3 : tensor<1x4x2x2xf32>, tensor<3x4x1x1xf32>) outs(%i3 : tensor<1x3x2x2xf32>) -> tensor<1x3x2x2xf32>
  return %y3 : tensor<1x3x2x2xf32>
}
