// The simulator's kernel reads the packed format itself: a hand-packed
// zero-skip instruction (lane 0 keeps group 0 = 1..8, lane 1 keeps group 1 =
// 9..16) against a reference that multiplies by the unpacked matrix, and
// against one whose matrix differs in one element, which must not match.
// Its predicted_us is made up: the table shows it next to the exact count.
//
// RUN: sparsity-sim %s --compare %S/Inputs/packed-ref.mlir | FileCheck %s
// RUN: not sparsity-sim %s --compare %S/Inputs/packed-ref-wrong.mlir 2>&1 | FileCheck %s --check-prefix=WRONG
// RUN: sparsity-sim %s --compare %S/Inputs/packed-ref-wrong.mlir > /dev/null 2>&1; test $? -eq 1
// RUN: sparsity-sim %s --cycles-only --json %t.json | FileCheck %s --check-prefix=TABLE
// RUN: FileCheck %s --check-prefix=JSON < %t.json

// CHECK: out0 (tensor<4x2xf32>) vs '{{.*}}packed-ref.mlir' @main: match
// WRONG: out0 (tensor<4x2xf32>) vs '{{.*}}packed-ref-wrong.mlir' @main: MISMATCH
// WRONG: sparsity-sim: results do not match the reference

// One tile, the slowest lane keeps one group of 8: compute = m * ceil(8 /
// 16) + fill + decode = 4 + 48 + 16 = 68 cycles; memory = (16 values * 4 +
// 2 bitmap bytes + 64 activations * 4 + 8 results * 4) / 32 = 11.0625.
// TABLE: npu-ref cycles on target 'npu-ref-g8' (32 lanes x 16 rows, tile_k 256, group 8, 1 GHz)
// TABLE: layer  mode       m      k      n  groups        cycles       compute        memory          us   predicted
// TABLE-NEXT: fc     zskip      4     16      2       1            68            68          11.1       0.068       0.070
// TABLE-NEXT: total: 1 layer(s), 68 cycles, 0.068 us (predicted 0.070 us)

// JSON:      "layers": [
// JSON:          "compute_cycles": 68,
// JSON-NEXT:     "cycles": 68,
// JSON:          "memory_cycles": 11.0625,
// JSON-NEXT:     "mode": "zskip",
// JSON:          "name": "fc",
// JSON-NEXT:     "predicted_us": 0.07
// JSON:      "total_cycles": 68,
// JSON-NEXT: "total_us": 0.068

module attributes {sparsity.target = {activation_buffer_bytes = 1048576 : i64, array = {cols = 32 : i64, fill_cycles = 48 : i64, rows = 16 : i64, tile_k = 256 : i64}, clock_ghz = 1.000000e+00 : f64, dram_bytes_per_cycle = 3.200000e+01 : f64, element_bytes = 4 : i64, kind = "npu-ref", name = "npu-ref-g8", zero_skip = {decode_cycles = 16 : i64, group = 8 : i64}}} {
  func.func @main(%act: tensor<1x4x16xf32>) -> tensor<4x2xf32> {
    %0 = npu_ref.gemm %act layer("fc") mode("zskip") {activation_elements = 64 : i64, cols = 32 : i64, tile_k = 256 : i64, group = 8 : i64, predicted_us = 0.07 : f64, bitmap = dense<[1, 2]> : tensor<2xi8>, values = dense<[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0]> : tensor<16xf32>} : tensor<1x4x16xf32> -> tensor<4x2xf32>
    return %0 : tensor<4x2xf32>
  }
}
