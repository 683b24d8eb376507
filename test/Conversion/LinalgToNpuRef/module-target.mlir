// RUN: sparsity-opt %s --sparsity-lower | FileCheck %s

// Without target=, the module's own sparsity.target is used (here G = 1:
// one bit per weight, so lane 0's 1 and 2 at k = 0, 2 give bits 0 and 2),
// and the module keeps it.

// CHECK: module attributes {sparsity.target = {{.*}}name = "npu-ref-g1"{{.*}}group = 1 : i64
// CHECK: npu_ref.gemm {{.*}} mode("zskip") {activation_elements = 8 : i64, bitmap = dense<[5, 0]> : tensor<2xi8>, cols = 32 : i64, group = 1 : i64, tile_k = 256 : i64, values = dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>}
module attributes {sparsity.target = {activation_buffer_bytes = 1048576 : i64, array = {cols = 32 : i64, fill_cycles = 48 : i64, rows = 16 : i64, tile_k = 256 : i64}, clock_ghz = 1.000000e+00 : f64, dram_bytes_per_cycle = 3.200000e+01 : f64, element_bytes = 4 : i64, kind = "npu-ref", name = "npu-ref-g1", zero_skip = {decode_cycles = 64 : i64, group = 1 : i64}}} {
  func.func @fc(%a: tensor<2x4xf32>, %c: tensor<2x2xf32>) -> tensor<2x2xf32> {
    %b = arith.constant dense<[[1.0, 0.0], [0.0, 0.0], [2.0, 0.0], [0.0, 0.0]]> : tensor<4x2xf32>
    %0 = linalg.matmul {sparsity.impl = "zskip"} ins(%a, %b : tensor<2x4xf32>, tensor<4x2xf32>) outs(%c : tensor<2x2xf32>) -> tensor<2x2xf32>
    return %0 : tensor<2x2xf32>
  }
}
