// Packed for groups of 8, but the module's target skips single weights.
module attributes {sparsity.target = {activation_buffer_bytes = 1048576 : i64, array = {cols = 32 : i64, fill_cycles = 48 : i64, rows = 16 : i64, tile_k = 256 : i64}, clock_ghz = 1.000000e+00 : f64, dram_bytes_per_cycle = 3.200000e+01 : f64, element_bytes = 4 : i64, kind = "npu-ref", name = "npu-ref-g1", zero_skip = {decode_cycles = 16 : i64, group = 1 : i64}}} {
  func.func @main(%act: tensor<1x4x16xf32>) -> tensor<4x2xf32> {
    %0 = npu_ref.gemm %act layer("fc") mode("zskip") {activation_elements = 64 : i64, cols = 32 : i64, tile_k = 256 : i64, group = 8 : i64, bitmap = dense<[1, 2]> : tensor<2xi8>, values = dense<1.0> : tensor<16xf32>} : tensor<1x4x16xf32> -> tensor<4x2xf32>
    return %0 : tensor<4x2xf32>
  }
}
