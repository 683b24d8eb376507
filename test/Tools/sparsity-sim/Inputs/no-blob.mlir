// A dense_resource whose blob is not in the file.
module attributes {sparsity.target = {activation_buffer_bytes = 1048576 : i64, array = {cols = 32 : i64, fill_cycles = 48 : i64, rows = 16 : i64, tile_k = 256 : i64}, clock_ghz = 1.000000e+00 : f64, dram_bytes_per_cycle = 3.200000e+01 : f64, element_bytes = 4 : i64, kind = "npu-ref", name = "npu-ref-g8", zero_skip = {decode_cycles = 16 : i64, group = 8 : i64}}} {
  func.func @main(%act: tensor<1x4x2xf32>) -> tensor<4x3xf32> {
    %0 = npu_ref.gemm %act layer("fc") mode("dense") {activation_elements = 8 : i64, weights = dense_resource<missing> : tensor<3x2xf32>} : tensor<1x4x2xf32> -> tensor<4x3xf32>
    return %0 : tensor<4x3xf32>
  }
}
