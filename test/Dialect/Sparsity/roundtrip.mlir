// RUN: sparsity-opt %s -split-input-file | FileCheck %s
// RUN: sparsity-opt %s -split-input-file | sparsity-opt -split-input-file | FileCheck %s
// RUN: sparsity-opt %s -split-input-file --mlir-print-op-generic | sparsity-opt -split-input-file | FileCheck %s

// Round trip of every sparsity attribute and of `sparsity.annotate`. The
// second RUN line re-parses the printed form and the third goes through the
// generic op form, so a printer that writes something the parser rejects (or
// reads differently) fails here. Standalone attributes sit in the attribute
// dictionary of an external function.

//===----------------------------------------------------------------------===//
// #sparsity.channels
//===----------------------------------------------------------------------===//

// The plain form: group size 1 is the default and is not printed.
// CHECK-LABEL: func.func private @channels_plain()
// CHECK-SAME: p = #sparsity.channels<dim = 0, pruned = [1, 3]>}
func.func private @channels_plain() attributes {p = #sparsity.channels<dim = 0, pruned = [1, 3]>}

// -----

// A group size other than 1 (pruned attention heads) is printed.
// CHECK-LABEL: func.func private @channels_group()
// CHECK-SAME: p = #sparsity.channels<dim = 1, pruned = [2, 5], group = 64>}
func.func private @channels_group() attributes {p = #sparsity.channels<dim = 1, pruned = [2, 5], group = 64>}

// -----

// An explicit `group = 1` is accepted and elided, since it is the default.
// CHECK-LABEL: func.func private @channels_group_default()
// CHECK-SAME: p = #sparsity.channels<dim = 2, pruned = [0]>}
func.func private @channels_group_default() attributes {p = #sparsity.channels<dim = 2, pruned = [0], group = 1>}

//===----------------------------------------------------------------------===//
// #sparsity.unstructured
//===----------------------------------------------------------------------===//

// -----

// An exact non-zero count, as --sparsity-annotate writes it.
// CHECK-LABEL: func.func private @unstructured_nnz()
// CHECK-SAME: p = #sparsity.unstructured<nnz = 1234>}
func.func private @unstructured_nnz() attributes {p = #sparsity.unstructured<nnz = 1234>}

// -----

// nnz = 0 (an all-zero weight) is a legal count.
// CHECK-LABEL: func.func private @unstructured_nnz_zero()
// CHECK-SAME: p = #sparsity.unstructured<nnz = 0>}
func.func private @unstructured_nnz_zero() attributes {p = #sparsity.unstructured<nnz = 0>}

// -----

// A density bound prints in its shortest exact form.
// CHECK-LABEL: func.func private @unstructured_density()
// CHECK-SAME: p = #sparsity.unstructured<density = 0.1>}
func.func private @unstructured_density() attributes {p = #sparsity.unstructured<density = 0.1>}

// -----

// The ends of [0, 1] are legal and print with a decimal point, so that they
// lex as floats again. (The dictionary prints its keys sorted.)
// CHECK-LABEL: func.func private @unstructured_density_ends()
// CHECK-SAME: hi = #sparsity.unstructured<density = 1.0>
// CHECK-SAME: lo = #sparsity.unstructured<density = 0.0>
func.func private @unstructured_density_ends() attributes {lo = #sparsity.unstructured<density = 0.0>, hi = #sparsity.unstructured<density = 1.0>}

// -----

// A small density prints with an exponent; it needs a '.' before the exponent
// to parse back as a float (regression: it used to print `1e-05`).
// CHECK-LABEL: func.func private @unstructured_density_exponent()
// CHECK-SAME: p = #sparsity.unstructured<density = 1.0e-05>}
func.func private @unstructured_density_exponent() attributes {p = #sparsity.unstructured<density = 1.0e-5>}

// -----

// A density that needs all 17 significant digits survives the round trip.
// CHECK-LABEL: func.func private @unstructured_density_precise()
// CHECK-SAME: p = #sparsity.unstructured<density = 0.30000000000000004>}
func.func private @unstructured_density_precise() attributes {p = #sparsity.unstructured<density = 0.30000000000000004>}

//===----------------------------------------------------------------------===//
// #sparsity.nm
//===----------------------------------------------------------------------===//

// -----

// 2:4, what sparse tensor cores execute.
// CHECK-LABEL: func.func private @nm_2_4()
// CHECK-SAME: p = #sparsity.nm<2:4, dim = 1>}
func.func private @nm_2_4() attributes {p = #sparsity.nm<2:4, dim = 1>}

// -----

// N = M is legal (it states nothing, but is not an error).
// CHECK-LABEL: func.func private @nm_n_equals_m()
// CHECK-SAME: p = #sparsity.nm<8:8, dim = 0>}
func.func private @nm_n_equals_m() attributes {p = #sparsity.nm<8:8, dim = 0>}

//===----------------------------------------------------------------------===//
// #sparsity.block
//===----------------------------------------------------------------------===//

// -----

// A block shape with the count of non-zero blocks.
// CHECK-LABEL: func.func private @block_count()
// CHECK-SAME: p = #sparsity.block<[4, 1], nonzero_blocks = 96>}
func.func private @block_count() attributes {p = #sparsity.block<[4, 1], nonzero_blocks = 96>}

// -----

// A block shape alone: only the pruning granularity, no count printed.
// CHECK-LABEL: func.func private @block_shape_only()
// CHECK-SAME: p = #sparsity.block<[1, 1, 3, 3]>}
func.func private @block_shape_only() attributes {p = #sparsity.block<[1, 1, 3, 3]>}

//===----------------------------------------------------------------------===//
// #sparsity.pattern
//===----------------------------------------------------------------------===//

// -----

// The empty pattern states nothing.
// CHECK-LABEL: func.func private @pattern_empty()
// CHECK-SAME: p = #sparsity.pattern<>}
func.func private @pattern_empty() attributes {p = #sparsity.pattern<>}

// -----

// Each component alone, written without the `#sparsity.` prefix.
// CHECK-LABEL: func.func private @pattern_single()
// CHECK-SAME: a = #sparsity.pattern<channels<dim = 0, pruned = [1, 3], group = 2>>
// CHECK-SAME: b = #sparsity.pattern<unstructured<nnz = 40>>
// CHECK-SAME: c = #sparsity.pattern<unstructured<density = 0.5>>
// CHECK-SAME: d = #sparsity.pattern<nm<2:4, dim = 1>>
// CHECK-SAME: e = #sparsity.pattern<block<[4, 1], nonzero_blocks = 3>>
// CHECK-SAME: f = #sparsity.pattern<block<[2, 2]>>}
func.func private @pattern_single() attributes {
  a = #sparsity.pattern<channels<dim = 0, pruned = [1, 3], group = 2>>,
  b = #sparsity.pattern<unstructured<nnz = 40>>,
  c = #sparsity.pattern<unstructured<density = 0.5>>,
  d = #sparsity.pattern<nm<2:4, dim = 1>>,
  e = #sparsity.pattern<block<[4, 1], nonzero_blocks = 3>>,
  f = #sparsity.pattern<block<[2, 2]>>
}

// -----

// Every component at once, in the printed (canonical) order.
// CHECK-LABEL: func.func private @pattern_all()
// CHECK-SAME: p = #sparsity.pattern<channels<dim = 0, pruned = [1, 3]>, channels<dim = 1, pruned = [0]>, unstructured<nnz = 40>, nm<2:4, dim = 1>, block<[1, 4], nonzero_blocks = 12>>}
func.func private @pattern_all() attributes {p = #sparsity.pattern<channels<dim = 0, pruned = [1, 3]>, channels<dim = 1, pruned = [0]>, unstructured<nnz = 40>, nm<2:4, dim = 1>, block<[1, 4], nonzero_blocks = 12>>}

// -----

// Components may be written in any order (channels still by increasing
// dimension); the printer puts them in the canonical order.
// CHECK-LABEL: func.func private @pattern_any_order()
// CHECK-SAME: p = #sparsity.pattern<channels<dim = 0, pruned = [2]>, channels<dim = 3, pruned = [1]>, unstructured<density = 0.25>, nm<1:2, dim = 3>, block<[1, 1, 2, 2]>>}
func.func private @pattern_any_order() attributes {p = #sparsity.pattern<block<[1, 1, 2, 2]>, nm<1:2, dim = 3>, channels<dim = 0, pruned = [2]>, unstructured<density = 0.25>, channels<dim = 3, pruned = [1]>>}

//===----------------------------------------------------------------------===//
// sparsity.annotate
//===----------------------------------------------------------------------===//

// -----

// A static f32 FC weight with a full pattern.
// CHECK-LABEL: func.func @annotate_static_f32(
// CHECK-SAME: %[[W:.*]]: tensor<8x16xf32>)
// CHECK: %[[A:.*]] = sparsity.annotate %[[W]] pattern<channels<dim = 0, pruned = [1, 3]>, unstructured<nnz = 40>, nm<2:4, dim = 1>> : tensor<8x16xf32>
// CHECK: return %[[A]]
func.func @annotate_static_f32(%w: tensor<8x16xf32>) -> tensor<8x16xf32> {
  %0 = sparsity.annotate %w pattern<channels<dim = 0, pruned = [1, 3]>, unstructured<nnz = 40>, nm<2:4, dim = 1>> : tensor<8x16xf32>
  return %0 : tensor<8x16xf32>
}

// -----

// Dynamic dimensions: the shape checks that need a size are skipped (pruned
// index 100 of the dynamic dimension 0, nnz without an element count), the
// static ones still apply (channels of dimension 1, M dividing 64).
// CHECK-LABEL: func.func @annotate_dynamic(
// CHECK-SAME: %[[W:.*]]: tensor<?x64xf32>)
// CHECK: %[[A:.*]] = sparsity.annotate %[[W]] pattern<channels<dim = 0, pruned = [100]>, channels<dim = 1, pruned = [0, 63]>, unstructured<nnz = 1000000>, nm<2:4, dim = 1>> : tensor<?x64xf32>
// CHECK: return %[[A]]
func.func @annotate_dynamic(%w: tensor<?x64xf32>) -> tensor<?x64xf32> {
  %0 = sparsity.annotate %w pattern<channels<dim = 0, pruned = [100]>, channels<dim = 1, pruned = [0, 63]>, unstructured<nnz = 1000000>, nm<2:4, dim = 1>> : tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

// Fully dynamic conv weight with a density bound and a block granularity.
// CHECK-LABEL: func.func @annotate_dynamic_all(
// CHECK-SAME: %[[W:.*]]: tensor<?x?x?x?xf32>)
// CHECK: sparsity.annotate %[[W]] pattern<unstructured<density = 0.3>, block<[1, 1, 3, 3]>> : tensor<?x?x?x?xf32>
func.func @annotate_dynamic_all(%w: tensor<?x?x?x?xf32>) -> tensor<?x?x?x?xf32> {
  %0 = sparsity.annotate %w pattern<unstructured<density = 0.3>, block<[1, 1, 3, 3]>> : tensor<?x?x?x?xf32>
  return %0 : tensor<?x?x?x?xf32>
}

// -----

// An f16 OIHW conv weight: zero filters and an unused input channel (150 of
// the 6 * 3 * 3 * 3 = 162 elements they leave may be non-zero).
// CHECK-LABEL: func.func @annotate_f16(
// CHECK-SAME: %[[W:.*]]: tensor<8x4x3x3xf16>)
// CHECK: sparsity.annotate %[[W]] pattern<channels<dim = 0, pruned = [1, 3]>, channels<dim = 1, pruned = [0]>, unstructured<nnz = 150>> : tensor<8x4x3x3xf16>
func.func @annotate_f16(%w: tensor<8x4x3x3xf16>) -> tensor<8x4x3x3xf16> {
  %0 = sparsity.annotate %w pattern<channels<dim = 0, pruned = [1, 3]>, channels<dim = 1, pruned = [0]>, unstructured<nnz = 150>> : tensor<8x4x3x3xf16>
  return %0 : tensor<8x4x3x3xf16>
}

// -----

// A bf16 weight with pruned 64-wide heads.
// CHECK-LABEL: func.func @annotate_bf16(
// CHECK-SAME: %[[W:.*]]: tensor<768x768xbf16>)
// CHECK: sparsity.annotate %[[W]] pattern<channels<dim = 0, pruned = [2, 5], group = 64>> : tensor<768x768xbf16>
func.func @annotate_bf16(%w: tensor<768x768xbf16>) -> tensor<768x768xbf16> {
  %0 = sparsity.annotate %w pattern<channels<dim = 0, pruned = [2, 5], group = 64>> : tensor<768x768xbf16>
  return %0 : tensor<768x768xbf16>
}

// -----

// An i8 (quantized) weight with block sparsity.
// CHECK-LABEL: func.func @annotate_i8(
// CHECK-SAME: %[[W:.*]]: tensor<16x8xi8>)
// CHECK: sparsity.annotate %[[W]] pattern<block<[4, 1], nonzero_blocks = 5>> : tensor<16x8xi8>
func.func @annotate_i8(%w: tensor<16x8xi8>) -> tensor<16x8xi8> {
  %0 = sparsity.annotate %w pattern<block<[4, 1], nonzero_blocks = 5>> : tensor<16x8xi8>
  return %0 : tensor<16x8xi8>
}

// -----

// An empty pattern is kept by plain parsing and printing (only the folder
// removes it, see canonicalize.mlir).
// CHECK-LABEL: func.func @annotate_empty(
// CHECK-SAME: %[[W:.*]]: tensor<4xf32>)
// CHECK: %[[A:.*]] = sparsity.annotate %[[W]] pattern<> : tensor<4xf32>
// CHECK: return %[[A]]
func.func @annotate_empty(%w: tensor<4xf32>) -> tensor<4xf32> {
  %0 = sparsity.annotate %w pattern<> : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// #sparsity.plan: `override` is printed only when set.
// CHECK-LABEL: func.func private @plan
// CHECK-SAME: p = #sparsity.plan<target = "npu-ref-g8", choice = "zskip", candidates = {dense = 1.500000e+00 : f64, zskip = 7.500000e-01 : f64}>
// CHECK-SAME: q = #sparsity.plan<target = "x", choice = "dense", candidates = {dense = 0.000000e+00 : f64}, override = true>
func.func private @plan() attributes {
  p = #sparsity.plan<target = "npu-ref-g8", choice = "zskip", candidates = {dense = 1.5 : f64, zskip = 0.75 : f64}, override = false>,
  q = #sparsity.plan<target = "x", choice = "dense", candidates = {dense = 0.0 : f64}, override = true>}

// -----

// The dialect's discardable attributes, as --sparsity-plan writes them and
// as a user writes sparsity.impl, verify and print back unchanged.
// CHECK-LABEL: module attributes {sparsity.target = {{.*}}kind = "x86-avx512", {{.*}}name = "x86-avx512"
// CHECK: linalg.matmul {sparsity.impl = "csr", sparsity.plan = #sparsity.plan<target = "x86-avx512", choice = "csr", candidates = {csr = 1.000000e+00 : f64, dense = 2.000000e+00 : f64}>}
module attributes {sparsity.target = {csr = {direct_ns_per_fma = 0.817 : f64, ns_per_fma = 0.635 : f64, ns_per_row = 0.01 : f64}, dense = {gflops = 139.7 : f64}, kind = "x86-avx512", layer_us = 1.342 : f64, memory = {gb_per_s = 21.6 : f64, stage_ns_per_element = 0.303 : f64}, name = "x86-avx512", narrow = {bitmap_decode = "expandload", bitmap_ns_per_chunk = 1.239 : f64, dense_ns_per_chunk = 0.56 : f64}, pattern = {ns_per_fma = 1.297 : f64}, pattern_max_fmas = 65536 : i64}} {
  func.func @planned(%a: tensor<3x4xf32>, %b: tensor<4x2xf32>, %c: tensor<3x2xf32>) -> tensor<3x2xf32> {
    %0 = linalg.matmul {sparsity.impl = "csr", sparsity.plan = #sparsity.plan<target = "x86-avx512", choice = "csr", candidates = {csr = 1.0 : f64, dense = 2.0 : f64}>} ins(%a, %b : tensor<3x4xf32>, tensor<4x2xf32>) outs(%c : tensor<3x2xf32>) -> tensor<3x2xf32>
    return %0 : tensor<3x2xf32>
  }
}
