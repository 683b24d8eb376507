// fold-constants=false removes zero channels only: a channel that holds a
// non-zero constant (here relu(2) = 2 of neuron 1) stays, with a remark, and
// no bias changes.
// RUN: sparsity-opt %s --sparsity-fold-structured=fold-constants=false -verify-diagnostics | FileCheck %s
// RUN: sparsity-opt %s --sparsity-fold-structured 2>&1 >/dev/null | FileCheck %s --check-prefix=DEFAULT
// CHECK-LABEL: func.func @constant_neuron
// CHECK: arith.constant dense<[1.000000e+01, 2.000000e+01]> : tensor<2xf32>
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<1x3xf32>, tensor<3x2xf32>)
// DEFAULT: removed 1 channels in 1 groups; MACs 18 -> 12
// expected-remark @below {{nothing removed; MACs 18}}
module {
func.func @constant_neuron(%x: tensor<1x4xf32>) -> tensor<1x2xf32> {
  %w1 = arith.constant dense<[[1.0, 0.0, 2.0], [3.0, 0.0, 4.0], [5.0, 0.0, 6.0], [7.0, 0.0, 8.0]]> : tensor<4x3xf32>
  %b1 = arith.constant dense<[0.5, 2.0, -1.0]> : tensor<3xf32>
  %w2 = arith.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>
  %b2 = arith.constant dense<[10.0, 20.0]> : tensor<2xf32>
  %e1 = tensor.empty() : tensor<1x3xf32>
  %i1 = linalg.broadcast ins(%b1 : tensor<3xf32>) outs(%e1 : tensor<1x3xf32>) dimensions = [0]
  // expected-remark @+1 {{removed 0; kept [1]: a non-zero constant reaches 'linalg.matmul', and fold-constants=false}}
  %y1 = linalg.matmul ins(%x, %w1 : tensor<1x4xf32>, tensor<4x3xf32>) outs(%i1 : tensor<1x3xf32>) -> tensor<1x3xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%y1 : tensor<1x3xf32>) outs(%e1 : tensor<1x3xf32>) {
  ^bb0(%in: f32, %out: f32):
    %zero = arith.constant 0.0 : f32
    %m = arith.maximumf %in, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x3xf32>
  %e2 = tensor.empty() : tensor<1x2xf32>
  %i2 = linalg.broadcast ins(%b2 : tensor<2xf32>) outs(%e2 : tensor<1x2xf32>) dimensions = [0]
  %y2 = linalg.matmul ins(%r, %w2 : tensor<1x3xf32>, tensor<3x2xf32>) outs(%i2 : tensor<1x2xf32>) -> tensor<1x2xf32>
  return %y2 : tensor<1x2xf32>
}
}
