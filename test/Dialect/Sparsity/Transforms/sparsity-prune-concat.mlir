// Channels that meet in a concat are not pruned (concatenated channels change
// position, which the channel groups do not follow yet): the remark names
// each layer concerned, and the weights stay as they are.
// RUN: sparsity-opt %s --sparsity-prune="granularity=channel target=0.34 scope=layer" -verify-diagnostics | FileCheck %s

// CHECK: arith.constant dense<{{.*}}1.000000e+00{{.*}}5.000000e+00{{.*}}2.000000e+00{{.*}}> : tensor<3x2x1x1xf32>
// CHECK-NOT: sparsity.annotate
// expected-remark @below {{sparsity-prune: 0 layers changed; s_param = 0.00% (0 of 12 weights zero), s_op = 0.00% (0.00% from the zeros alone)}}
module {
  func.func @concat(%x: tensor<1x2x2x2xf32>) -> tensor<1x6x2x2xf32> {
    %zero = arith.constant 0.0 : f32
    %wa = arith.constant dense<[[[[1.0]], [[1.0]]], [[[5.0]], [[5.0]]], [[[2.0]], [[2.0]]]]> : tensor<3x2x1x1xf32>
    %wb = arith.constant dense<[[[[4.0]], [[4.0]]], [[[1.0]], [[1.0]]], [[[2.0]], [[2.0]]]]> : tensor<3x2x1x1xf32>
    %e = tensor.empty() : tensor<1x3x2x2xf32>
    %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x3x2x2xf32>) -> tensor<1x3x2x2xf32>
    // expected-remark @below {{channels of layer 'sparsity-prune-concat.mlir:17:10' not pruned: they are coupled with a layer that cannot be pruned (excluded, not constant, or coupled through a concat)}}
    %a = linalg.conv_2d_nchw_fchw ins(%x, %wa : tensor<1x2x2x2xf32>, tensor<3x2x1x1xf32>) outs(%f : tensor<1x3x2x2xf32>) -> tensor<1x3x2x2xf32>
    // expected-remark @below {{channels of layer 'sparsity-prune-concat.mlir:19:10' not pruned: they are coupled with a layer that cannot be pruned (excluded, not constant, or coupled through a concat)}}
    %b = linalg.conv_2d_nchw_fchw ins(%x, %wb : tensor<1x2x2x2xf32>, tensor<3x2x1x1xf32>) outs(%f : tensor<1x3x2x2xf32>) -> tensor<1x3x2x2xf32>
    %c = tensor.concat dim(1) %a, %b : (tensor<1x3x2x2xf32>, tensor<1x3x2x2xf32>) -> tensor<1x6x2x2xf32>
    return %c : tensor<1x6x2x2xf32>
  }
}
