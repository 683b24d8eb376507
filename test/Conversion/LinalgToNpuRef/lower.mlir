// RUN: sparsity-opt %s -split-input-file --sparsity-lower=target=npu-ref-g8 | FileCheck %s

// The IR --sparsity-lower produces for each supported layer kind: im2col,
// npu_ref.gemm with the weights, write-back plus the layer's init.

// A strided 2x2 convolution, dense by default: K = c*kh*kw = 8 in weight
// order, M = n*oh*ow = 4 in output order, W[f][c,h,w].
// CHECK-LABEL: func.func @conv_nchw_dense
// CHECK-SAME: (%[[X:.*]]: tensor<1x2x5x5xf32>)
// CHECK: %[[BIAS:.*]] = arith.constant dense<5.000000e-01> : tensor<1x3x2x2xf32>
// CHECK: %[[COL:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<1x4x8xf32>)
// CHECK:   affine.delinearize_index %{{.*}} into (1, 2, 2)
// CHECK:   affine.delinearize_index %{{.*}} into (2, 2, 2)
// CHECK:   tensor.extract %[[X]]
// CHECK: %[[G:.*]] = npu_ref.gemm %[[COL]] layer("conv1") mode("dense") {activation_elements = 50 : i64, weights = dense<{{\[}}[1.000000e+00, 0.000000e+00, 0.000000e+00, 2.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00], [0.000000e+00, {{.*}}], [3.000000e+00, {{.*}}, 4.000000e+00]]> : tensor<3x8xf32>} : tensor<1x4x8xf32> -> tensor<4x3xf32>
// CHECK: %[[R:.*]] = linalg.generic {indexing_maps = [#[[READ:.*]], #{{.*}}], {{.*}} ins(%[[G]] : tensor<4x3xf32>) outs(%[[BIAS]] : tensor<1x3x2x2xf32>)
// CHECK:   arith.addf
// CHECK: return %[[R]]
func.func @conv_nchw_dense(%x: tensor<1x2x5x5xf32>) -> tensor<1x3x2x2xf32> {
  %w = arith.constant dense<[[[[1.0, 0.0], [0.0, 2.0]], [[0.0, 0.0], [0.0, 0.0]]], [[[0.0, 0.0], [0.0, 0.0]], [[0.0, 0.0], [0.0, 0.0]]], [[[3.0, 1.0], [1.0, 1.0]], [[1.0, 1.0], [1.0, 4.0]]]]> : tensor<3x2x2x2xf32>
  %bias = arith.constant dense<0.5> : tensor<1x3x2x2xf32>
  %0 = linalg.conv_2d_nchw_fchw {strides = dense<2> : tensor<2xi64>, dilations = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x2x5x5xf32>, tensor<3x2x2x2xf32>) outs(%bias : tensor<1x3x2x2xf32>) -> tensor<1x3x2x2xf32> loc("conv1")
  return %0 : tensor<1x3x2x2xf32>
}

// -----

// A depthwise convolution: one group per channel (G = 2), one output each.
// CHECK-LABEL: func.func @depthwise_zskip
// CHECK: %[[COL:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<2x9x4xf32>)
// CHECK: npu_ref.gemm %[[COL]] layer("dw") mode("zskip") {activation_elements = 32 : i64, bitmap = dense<1> : tensor<2xi8>, cols = 32 : i64, group = 8 : i64, tile_k = 256 : i64, values = dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 5.000000e+00, 6.000000e+00, 7.000000e+00, 8.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00]> : tensor<16xf32>} : tensor<2x9x4xf32> -> tensor<9x2xf32>
// CHECK-NOT: arith.constant dense<{{\[}}[1.0
func.func @depthwise_zskip(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x3x3xf32> {
  %w = arith.constant dense<[[[1.0, 2.0], [3.0, 4.0]], [[5.0, 6.0], [7.0, 8.0]]]> : tensor<2x2x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x2x3x3xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %0 = linalg.depthwise_conv_2d_nchw_chw {sparsity.impl = "zskip", strides = dense<1> : tensor<2xi64>, dilations = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x2x4x4xf32>, tensor<2x2x2xf32>) outs(%init : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32> loc("dw")
  return %0 : tensor<1x2x3x3xf32>
}

// -----

// The hand-worked zero-skip packing of a 2x16 matrix with G = 8. The weight
// is the matmul's RHS B[k][n], so W = B^T: lane 0 is 1..8 then zeros (keeps
// group 0: byte 0b01), lane 1 has -1.5 at k = 3 and 2.5 at k = 9 (keeps
// groups 0 and 1: byte 0b11). Values: lane 0 group 0, lane 1 group 0, lane
// 1 group 1.
// CHECK-LABEL: func.func @matmul_packing
// CHECK: %[[COL:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<1x3x16xf32>)
// CHECK: npu_ref.gemm %[[COL]] layer("fc") mode("zskip") {activation_elements = 48 : i64, bitmap = dense<[1, 3]> : tensor<2xi8>, cols = 32 : i64, group = 8 : i64, tile_k = 256 : i64, values = dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00, 5.000000e+00, 6.000000e+00, 7.000000e+00, 8.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, -1.500000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 2.500000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00]> : tensor<24xf32>} : tensor<1x3x16xf32> -> tensor<3x2xf32>
func.func @matmul_packing(%a: tensor<3x16xf32>, %c: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %b = arith.constant dense<[[1.0, 0.0], [2.0, 0.0], [3.0, 0.0], [4.0, -1.5], [5.0, 0.0], [6.0, 0.0], [7.0, 0.0], [8.0, 0.0], [0.0, 0.0], [0.0, 2.5], [0.0, 0.0], [0.0, 0.0], [0.0, 0.0], [0.0, 0.0], [0.0, 0.0], [0.0, 0.0]]> : tensor<16x2xf32>
  %0 = linalg.matmul {sparsity.impl = "zskip"} ins(%a, %b : tensor<3x16xf32>, tensor<16x2xf32>) outs(%c : tensor<3x2xf32>) -> tensor<3x2xf32> loc("fc")
  return %0 : tensor<3x2xf32>
}

// -----

// Gemm with transB: the weight is already W[n][k]; the write-back reads the
// result as it is.
// CHECK-DAG: #[[READ:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @matmul_transposed
// CHECK: npu_ref.gemm %{{.*}} layer("fct") mode("dense") {activation_elements = 6 : i64, weights = dense<{{\[}}[1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00], [5.000000e+00, 6.000000e+00]]> : tensor<3x2xf32>} : tensor<1x3x2xf32> -> tensor<3x3xf32>
// CHECK: linalg.generic {indexing_maps = [#[[READ]], #[[READ]]]
func.func @matmul_transposed(%a: tensor<3x2xf32>, %c: tensor<3x3xf32>) -> tensor<3x3xf32> {
  %w = arith.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>
  %0 = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>] ins(%a, %w : tensor<3x2xf32>, tensor<3x2xf32>) outs(%c : tensor<3x3xf32>) -> tensor<3x3xf32> loc("fct")
  return %0 : tensor<3x3xf32>
}

// -----

// The weight on the left: C = W X, so the activation rows are the columns of
// X (M = 4) and the write-back transposes.
// CHECK-DAG: #[[T:.*]] = affine_map<(d0, d1) -> (d1, d0)>
// CHECK-LABEL: func.func @matmul_weight_lhs
// CHECK: %[[G:.*]] = npu_ref.gemm %{{.*}} layer("lhs") mode("dense") {{.*}} : tensor<1x4x2xf32> -> tensor<4x3xf32>
// CHECK: linalg.generic {indexing_maps = [#[[T]], {{.*}} ins(%[[G]] : tensor<4x3xf32>)
func.func @matmul_weight_lhs(%x: tensor<2x4xf32>, %c: tensor<3x4xf32>) -> tensor<3x4xf32> {
  %w = arith.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>
  %0 = linalg.matmul ins(%w, %x : tensor<3x2xf32>, tensor<2x4xf32>) outs(%c : tensor<3x4xf32>) -> tensor<3x4xf32> loc("lhs")
  return %0 : tensor<3x4xf32>
}

// -----

// A batched matmul with a constant RHS: the batch is the group dimension.
// CHECK-LABEL: func.func @batch_matmul
// CHECK: npu_ref.gemm %{{.*}} layer("bmm") mode("dense") {{.*}} : tensor<2x3x4xf32> -> tensor<3x10xf32>
func.func @batch_matmul(%a: tensor<2x3x4xf32>, %c: tensor<2x3x5xf32>) -> tensor<2x3x5xf32> {
  %w = arith.constant dense<1.0> : tensor<2x4x5xf32>
  %0 = linalg.batch_matmul ins(%a, %w : tensor<2x3x4xf32>, tensor<2x4x5xf32>) outs(%c : tensor<2x3x5xf32>) -> tensor<2x3x5xf32> loc("bmm")
  return %0 : tensor<2x3x5xf32>
}

// -----

// Payloads above inline-limit become dense_resource blobs.
// RUN: sparsity-opt %s -split-input-file --sparsity-lower="target=npu-ref-g8 inline-limit=4" | FileCheck %s --check-prefix=BLOB
// BLOB-LABEL: func.func @matmul_packing
// BLOB: npu_ref.gemm {{.*}} bitmap = dense<[1, 3]> : tensor<2xi8>, {{.*}} values = dense_resource<npu_ref_fc_values> : tensor<24xf32>
// BLOB: npu_ref_fc_values: "0x04000000

// -----

// The plan's choice is used, with its predicted latency; a user override
// wins over it and takes the prediction of the overriding mode.
// CHECK-LABEL: func.func @plan_choice
// CHECK: npu_ref.gemm {{.*}} layer("planned") mode("zskip") {{{.*}}predicted_us = 1.000000e+00 : f64
// CHECK: npu_ref.gemm {{.*}} layer("overridden") mode("dense") {{{.*}}predicted_us = 2.000000e+00 : f64
func.func @plan_choice(%a: tensor<3x16xf32>, %c: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %b = arith.constant dense<1.0> : tensor<16x2xf32>
  %0 = linalg.matmul {sparsity.plan = #sparsity.plan<target = "npu-ref-g8", choice = "zskip", candidates = {dense = 2.0 : f64, zskip = 1.0 : f64}>} ins(%a, %b : tensor<3x16xf32>, tensor<16x2xf32>) outs(%c : tensor<3x2xf32>) -> tensor<3x2xf32> loc("planned")
  %1 = linalg.matmul {sparsity.impl = "dense", sparsity.plan = #sparsity.plan<target = "npu-ref-g8", choice = "zskip", candidates = {dense = 2.0 : f64, zskip = 1.0 : f64}>} ins(%a, %b : tensor<3x16xf32>, tensor<16x2xf32>) outs(%0 : tensor<3x2xf32>) -> tensor<3x2xf32> loc("overridden")
  return %1 : tensor<3x2xf32>
}
