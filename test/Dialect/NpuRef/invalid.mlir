// RUN: sparsity-opt %s -split-input-file -verify-diagnostics

// One case per diagnostic of the npu_ref.gemm verifier.

// Only the two formats of the machine exist.
func.func @gemm_bad_mode(%act: tensor<1x4x2xf32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{mode must be "dense" or "zskip", got "csr"}}
  %0 = npu_ref.gemm %act layer("fc") mode("csr") {activation_elements = 8 : i64} : tensor<1x4x2xf32> -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

func.func @gemm_dynamic(%act: tensor<1x?x2xf32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{activation and result must have static shapes}}
  %0 = npu_ref.gemm %act layer("fc") mode("dense") {activation_elements = 8 : i64, weights = dense<1.0> : tensor<3x2xf32>} : tensor<1x?x2xf32> -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

func.func @gemm_rows_mismatch(%act: tensor<1x5x2xf32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{result rows (4) must equal the activation rows (5)}}
  %0 = npu_ref.gemm %act layer("fc") mode("dense") {activation_elements = 8 : i64, weights = dense<1.0> : tensor<3x2xf32>} : tensor<1x5x2xf32> -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

func.func @gemm_empty(%act: tensor<1x4x0xf32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{groups, reduction length and outputs must be positive}}
  %0 = npu_ref.gemm %act layer("fc") mode("dense") {activation_elements = 8 : i64, weights = dense<1.0> : tensor<3x0xf32>} : tensor<1x4x0xf32> -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// Every group has the same number of outputs.
func.func @gemm_groups_mismatch(%act: tensor<2x4x2xf32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{the outputs (3) must be a multiple of the groups (2)}}
  %0 = npu_ref.gemm %act layer("fc") mode("dense") {activation_elements = 8 : i64, weights = dense<1.0> : tensor<3x2xf32>} : tensor<2x4x2xf32> -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

func.func @gemm_negative_activation_elements(%act: tensor<1x4x2xf32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{'activation_elements' must not be negative}}
  %0 = npu_ref.gemm %act layer("fc") mode("dense") {activation_elements = -1 : i64, weights = dense<1.0> : tensor<3x2xf32>} : tensor<1x4x2xf32> -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

func.func @gemm_negative_prediction(%act: tensor<1x4x2xf32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{'predicted_us' must be a finite number >= 0}}
  %0 = npu_ref.gemm %act layer("fc") mode("dense") {activation_elements = 8 : i64, predicted_us = -1.0 : f64, weights = dense<1.0> : tensor<3x2xf32>} : tensor<1x4x2xf32> -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

func.func @gemm_dense_no_weights(%act: tensor<1x4x2xf32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{mode "dense" needs 'weights'}}
  %0 = npu_ref.gemm %act layer("fc") mode("dense") {activation_elements = 8 : i64} : tensor<1x4x2xf32> -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

func.func @gemm_dense_extra(%act: tensor<1x4x2xf32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{mode "dense" takes only 'weights', not 'bitmap', 'values', 'cols', 'tile_k' or 'group'}}
  %0 = npu_ref.gemm %act layer("fc") mode("dense") {activation_elements = 8 : i64, weights = dense<1.0> : tensor<3x2xf32>, group = 8 : i64} : tensor<1x4x2xf32> -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// W is [N][K].
func.func @gemm_dense_weights_shape(%act: tensor<1x4x2xf32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{'weights' must be tensor<3x2xf32>, got tensor<2x3xf32>}}
  %0 = npu_ref.gemm %act layer("fc") mode("dense") {activation_elements = 8 : i64, weights = dense<1.0> : tensor<2x3xf32>} : tensor<1x4x2xf32> -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// A sparse_tensor-style or other elements attribute is not a payload the
// machine reads.
func.func @gemm_dense_weights_kind(%act: tensor<1x4x2xf32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{'weights' must be a dense or dense_resource payload}}
  %0 = npu_ref.gemm %act layer("fc") mode("dense") {activation_elements = 8 : i64, weights = sparse<[[0, 0]], [1.0]> : tensor<3x2xf32>} : tensor<1x4x2xf32> -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

func.func @gemm_zskip_weights(%act: tensor<1x4x16xf32>) -> tensor<4x2xf32> {
  // expected-error @+1 {{mode "zskip" takes 'bitmap' and 'values', not 'weights'}}
  %0 = npu_ref.gemm %act layer("fc") mode("zskip") {activation_elements = 64 : i64, weights = dense<1.0> : tensor<2x16xf32>} : tensor<1x4x16xf32> -> tensor<4x2xf32>
  return %0 : tensor<4x2xf32>
}

// -----

func.func @gemm_zskip_missing(%act: tensor<1x4x16xf32>) -> tensor<4x2xf32> {
  // expected-error @+1 {{mode "zskip" needs 'bitmap', 'values', 'cols', 'tile_k' and 'group'}}
  %0 = npu_ref.gemm %act layer("fc") mode("zskip") {activation_elements = 64 : i64, cols = 32 : i64, tile_k = 256 : i64, bitmap = dense<[1, 2]> : tensor<2xi8>, values = dense<1.0> : tensor<16xf32>} : tensor<1x4x16xf32> -> tensor<4x2xf32>
  return %0 : tensor<4x2xf32>
}

// -----

func.func @gemm_zskip_zero_group(%act: tensor<1x4x16xf32>) -> tensor<4x2xf32> {
  // expected-error @+1 {{'cols', 'tile_k' and 'group' must be positive}}
  %0 = npu_ref.gemm %act layer("fc") mode("zskip") {activation_elements = 64 : i64, cols = 32 : i64, tile_k = 256 : i64, group = -8 : i64, bitmap = dense<[1, 2]> : tensor<2xi8>, values = dense<1.0> : tensor<16xf32>} : tensor<1x4x16xf32> -> tensor<4x2xf32>
  return %0 : tensor<4x2xf32>
}

// -----

func.func @gemm_zskip_tile_k(%act: tensor<1x4x16xf32>) -> tensor<4x2xf32> {
  // expected-error @+1 {{'tile_k' (20) must be a multiple of 'group' (8)}}
  %0 = npu_ref.gemm %act layer("fc") mode("zskip") {activation_elements = 64 : i64, cols = 32 : i64, tile_k = 20 : i64, group = 8 : i64, bitmap = dense<[1, 2]> : tensor<2xi8>, values = dense<1.0> : tensor<16xf32>} : tensor<1x4x16xf32> -> tensor<4x2xf32>
  return %0 : tensor<4x2xf32>
}

// -----

// Two lanes of one reduction tile of 16 elements: one byte each.
func.func @gemm_zskip_bitmap_size(%act: tensor<1x4x16xf32>) -> tensor<4x2xf32> {
  // expected-error @+1 {{'bitmap' must be tensor<2xi8>, got tensor<3xi8>}}
  %0 = npu_ref.gemm %act layer("fc") mode("zskip") {activation_elements = 64 : i64, cols = 32 : i64, tile_k = 256 : i64, group = 8 : i64, bitmap = dense<[1, 2, 0]> : tensor<3xi8>, values = dense<1.0> : tensor<16xf32>} : tensor<1x4x16xf32> -> tensor<4x2xf32>
  return %0 : tensor<4x2xf32>
}

// -----

// With k = 40 and tile_k = 16 every lane has tiles of 16, 16 and 8 elements:
// bitmaps of 1 byte each, 3 per lane, 6 in all.
func.func @gemm_zskip_bitmap_size_tiles(%act: tensor<1x4x40xf32>) -> tensor<4x2xf32> {
  // expected-error @+1 {{'bitmap' must be tensor<6xi8>, got tensor<2xi8>}}
  %0 = npu_ref.gemm %act layer("fc") mode("zskip") {activation_elements = 160 : i64, cols = 32 : i64, tile_k = 16 : i64, group = 8 : i64, bitmap = dense<[1, 2]> : tensor<2xi8>, values = dense<1.0> : tensor<16xf32>} : tensor<1x4x40xf32> -> tensor<4x2xf32>
  return %0 : tensor<4x2xf32>
}

// -----

func.func @gemm_zskip_values_type(%act: tensor<1x4x16xf32>) -> tensor<4x2xf32> {
  // expected-error @+1 {{'values' must be a 1-D dense or dense_resource payload of f32}}
  %0 = npu_ref.gemm %act layer("fc") mode("zskip") {activation_elements = 64 : i64, cols = 32 : i64, tile_k = 256 : i64, group = 8 : i64, bitmap = dense<[1, 2]> : tensor<2xi8>, values = dense<1.0> : tensor<2x8xf32>} : tensor<1x4x16xf32> -> tensor<4x2xf32>
  return %0 : tensor<4x2xf32>
}

// -----

// 16 reduction elements in groups of 8 use bits 0 and 1 only; bit 2 (value
// 4) is padding.
func.func @gemm_zskip_padding_bit(%act: tensor<1x4x16xf32>) -> tensor<4x2xf32> {
  // expected-error @+1 {{'bitmap' byte 1 (output 1, reduction tile at 0) sets a padding bit: the tile has only 2 group(s)}}
  %0 = npu_ref.gemm %act layer("fc") mode("zskip") {activation_elements = 64 : i64, cols = 32 : i64, tile_k = 256 : i64, group = 8 : i64, bitmap = dense<[1, 4]> : tensor<2xi8>, values = dense<1.0> : tensor<16xf32>} : tensor<1x4x16xf32> -> tensor<4x2xf32>
  return %0 : tensor<4x2xf32>
}

// -----

// Bits 0 and 1 of lane 0 and bit 1 of lane 1: three groups, 24 values.
func.func @gemm_zskip_values_count(%act: tensor<1x4x16xf32>) -> tensor<4x2xf32> {
  // expected-error @+1 {{'values' has 16 elements, but the bitmap keeps 3 group(s) of 8 (24 values)}}
  %0 = npu_ref.gemm %act layer("fc") mode("zskip") {activation_elements = 64 : i64, cols = 32 : i64, tile_k = 256 : i64, group = 8 : i64, bitmap = dense<[3, 2]> : tensor<2xi8>, values = dense<1.0> : tensor<16xf32>} : tensor<1x4x16xf32> -> tensor<4x2xf32>
  return %0 : tensor<4x2xf32>
}

// -----

// The ODS type constraints: activations are rank 3 f32.
func.func @gemm_activation_rank(%act: tensor<4x2xf32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{operand #0 must be 3D tensor of 32-bit float values}}
  %0 = npu_ref.gemm %act layer("fc") mode("dense") {activation_elements = 8 : i64, weights = dense<1.0> : tensor<3x2xf32>} : tensor<4x2xf32> -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}
