// Cases where the channel-flow rules of --sparsity-prune and
// --sparsity-fold-structured disagreed before both read the one table
// (Analysis/ChannelFlow): prune now groups the layers the fold plan groups,
// so the channels pruned together are the channels folded together.
// RUN: sparsity-opt %s --split-input-file --sparsity-prune="granularity=channel target=0.34 scope=layer" --sparsity-fold-structured 2>%t.remarks | FileCheck %s
// RUN: FileCheck %s --check-prefix=REMARK < %t.remarks

// A concat along the batch: both layers carry the same channels. Prune used
// to refuse both ("coupled through a concat"); now it prunes channel 2 of
// both and the fold removes it. Along the concat, channel 2 is zero in every
// input, so it is zero in the result too.
// REMARK: remark: sparsity-prune: 2 layers changed
// REMARK-NOT: not pruned
// REMARK: remark: sparsity-fold-structured: group of {{.*}} (3 channels): removed 1 [2]
// REMARK: removed 1 channels in 1 groups; MACs 72 -> 48
// CHECK-LABEL: func.func @concat_batch
// CHECK-DAG: dense<{{\[\[\[\[}}1.000000e+00]], {{\[\[}}1.000000e+00]]], {{\[\[\[}}5.000000e+00]], {{\[\[}}5.000000e+00]]]]> : tensor<2x2x1x1xf32>
// CHECK-DAG: dense<{{\[\[\[\[}}4.000000e+00]], {{\[\[}}4.000000e+00]]], {{\[\[\[}}1.000000e+00]], {{\[\[}}1.000000e+00]]]]> : tensor<2x2x1x1xf32>
// CHECK: tensor.concat dim(0) {{.*}} -> tensor<2x2x2x2xf32>
module {
  func.func @concat_batch(%x: tensor<1x2x2x2xf32>) -> tensor<2x1x2x2xf32> {
    %zero = arith.constant 0.0 : f32
    %wa = arith.constant dense<[[[[1.0]], [[1.0]]], [[[5.0]], [[5.0]]], [[[2.0]], [[2.0]]]]> : tensor<3x2x1x1xf32>
    %wb = arith.constant dense<[[[[4.0]], [[4.0]]], [[[1.0]], [[1.0]]], [[[2.0]], [[2.0]]]]> : tensor<3x2x1x1xf32>
    %wc = arith.constant dense<[[[[1.0]], [[2.0]], [[3.0]]]]> : tensor<1x3x1x1xf32>
    %e = tensor.empty() : tensor<1x3x2x2xf32>
    %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x3x2x2xf32>) -> tensor<1x3x2x2xf32>
    %a = linalg.conv_2d_nchw_fchw ins(%x, %wa : tensor<1x2x2x2xf32>, tensor<3x2x1x1xf32>) outs(%f : tensor<1x3x2x2xf32>) -> tensor<1x3x2x2xf32>
    %b = linalg.conv_2d_nchw_fchw ins(%x, %wb : tensor<1x2x2x2xf32>, tensor<3x2x1x1xf32>) outs(%f : tensor<1x3x2x2xf32>) -> tensor<1x3x2x2xf32>
    %c = tensor.concat dim(0) %a, %b : (tensor<1x3x2x2xf32>, tensor<1x3x2x2xf32>) -> tensor<2x3x2x2xf32>
    %e2 = tensor.empty() : tensor<2x1x2x2xf32>
    %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<2x1x2x2xf32>) -> tensor<2x1x2x2xf32>
    %o = linalg.conv_2d_nchw_fchw ins(%c, %wc : tensor<2x3x2x2xf32>, tensor<1x3x1x1xf32>) outs(%f2 : tensor<2x1x2x2xf32>) -> tensor<2x1x2x2xf32>
    return %o : tensor<2x1x2x2xf32>
  }
}

// -----

// A spatial slice before a residual addition keeps the channels. Prune used
// to stop at the slice and prune each layer alone (channel 0 of one, 2 of
// the other), so the fold could remove neither ("kept [0, 2]"); now both
// lose channel 2, which the fold removes.
// REMARK: remark: sparsity-prune: 2 layers changed
// REMARK: remark: sparsity-fold-structured: group of {{.*}} (3 channels): removed 1 [2]
// REMARK: removed 1 channels in 1 groups; MACs 132 -> 88
// CHECK-LABEL: func.func @slice_residual
// CHECK: tensor.extract_slice {{.*}} to tensor<1x2x2x2xf32>
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
module {
  func.func @slice_residual(%x: tensor<1x2x4x4xf32>, %y: tensor<1x2x2x2xf32>) -> tensor<1x1x2x2xf32> {
    %zero = arith.constant 0.0 : f32
    %wa = arith.constant dense<[[[[1.0]], [[1.0]]], [[[5.0]], [[5.0]]], [[[3.0]], [[3.0]]]]> : tensor<3x2x1x1xf32>
    %wb = arith.constant dense<[[[[4.0]], [[4.0]]], [[[3.0]], [[3.0]]], [[[1.0]], [[1.0]]]]> : tensor<3x2x1x1xf32>
    %wc = arith.constant dense<[[[[1.0]], [[2.0]], [[3.0]]]]> : tensor<1x3x1x1xf32>
    %e = tensor.empty() : tensor<1x3x4x4xf32>
    %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>
    %a = linalg.conv_2d_nchw_fchw ins(%x, %wa : tensor<1x2x4x4xf32>, tensor<3x2x1x1xf32>) outs(%f : tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>
    %s = tensor.extract_slice %a[0, 0, 1, 1] [1, 3, 2, 2] [1, 1, 1, 1] : tensor<1x3x4x4xf32> to tensor<1x3x2x2xf32>
    %e1 = tensor.empty() : tensor<1x3x2x2xf32>
    %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<1x3x2x2xf32>) -> tensor<1x3x2x2xf32>
    %b = linalg.conv_2d_nchw_fchw ins(%y, %wb : tensor<1x2x2x2xf32>, tensor<3x2x1x1xf32>) outs(%f1 : tensor<1x3x2x2xf32>) -> tensor<1x3x2x2xf32>
    %sum = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%s, %b : tensor<1x3x2x2xf32>, tensor<1x3x2x2xf32>) outs(%e1 : tensor<1x3x2x2xf32>) {
    ^bb0(%p: f32, %q: f32, %r: f32):
      %t = arith.addf %p, %q : f32
      linalg.yield %t : f32
    } -> tensor<1x3x2x2xf32>
    %e2 = tensor.empty() : tensor<1x1x2x2xf32>
    %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32>
    %o = linalg.conv_2d_nchw_fchw ins(%sum, %wc : tensor<1x3x2x2xf32>, tensor<1x3x1x1xf32>) outs(%f2 : tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32>
    return %o : tensor<1x1x2x2xf32>
  }
}
