// RUN: sparsity-opt %s -split-input-file -verify-diagnostics

// One case per diagnostic of the sparsity dialect: the attribute verifiers,
// the custom attribute parsers, the shape checks of the `sparsity.annotate`
// verifier and the ODS constraints of the op.

//===----------------------------------------------------------------------===//
// #sparsity.channels verifier
//===----------------------------------------------------------------------===//

// A dimension index cannot be negative.
// expected-error @+1 {{channels dimension must be non-negative, got -1}}
func.func private @channels_negative_dim() attributes {p = #sparsity.channels<dim = -1, pruned = [0]>}

// -----

// Group 0 would make every index name no slice at all.
// expected-error @+1 {{channels group size must be positive, got 0}}
func.func private @channels_zero_group() attributes {p = #sparsity.channels<dim = 0, pruned = [0], group = 0>}

// -----

// An empty index set states nothing: the component must be omitted instead.
// expected-error @+1 {{channels component must prune at least one index}}
func.func private @channels_empty_pruned() attributes {p = #sparsity.channels<dim = 0, pruned = []>}

// -----

// expected-error @+1 {{pruned index must be non-negative, got -2}}
func.func private @channels_negative_index() attributes {p = #sparsity.channels<dim = 0, pruned = [-2, 1]>}

// -----

// Indices are a sorted set: a duplicate is rejected like a descending pair.
// expected-error @+1 {{pruned indices must be strictly increasing, got 3 after 3}}
func.func private @channels_duplicate_index() attributes {p = #sparsity.channels<dim = 0, pruned = [1, 3, 3]>}

//===----------------------------------------------------------------------===//
// #sparsity.unstructured verifier and parser
//===----------------------------------------------------------------------===//

// -----

// An exact count and a bound at once is ambiguous.
// expected-error @+1 {{unstructured 'nnz' and 'density' are mutually exclusive}}
func.func private @unstructured_both() attributes {p = #sparsity.unstructured<nnz = 4, density = 0.5>}

// -----

// An unstructured component that states nothing.
// expected-error @+1 {{unstructured component needs 'nnz' or 'density'}}
func.func private @unstructured_neither() attributes {p = #sparsity.unstructured<>}

// -----

// expected-error @+1 {{nnz must be non-negative, got -1}}
func.func private @unstructured_negative_nnz() attributes {p = #sparsity.unstructured<nnz = -1>}

// -----

// A density is a fraction of the elements.
// expected-error @+1 {{density must be in [0, 1], got 1.5}}
func.func private @unstructured_density_above_one() attributes {p = #sparsity.unstructured<density = 1.5>}

// -----

// expected-error @+1 {{unknown unstructured field 'count', expected 'nnz' or 'density'}}
func.func private @unstructured_unknown_field() attributes {p = #sparsity.unstructured<count = 4>}

// -----

// The parser rejects a repeated field instead of keeping the last one.
// expected-error @+1 {{'nnz' is given twice}}
func.func private @unstructured_field_twice() attributes {p = #sparsity.unstructured<nnz = 4, nnz = 5>}

//===----------------------------------------------------------------------===//
// #sparsity.nm verifier
//===----------------------------------------------------------------------===//

// -----

// 0:M would mean an all-zero weight; that is `unstructured<nnz = 0>`.
// expected-error @+1 {{N of N:M must be positive, got 0}}
func.func private @nm_zero_n() attributes {p = #sparsity.nm<0:4, dim = 0>}

// -----

// expected-error @+1 {{N:M needs N <= M, got 4:2}}
func.func private @nm_n_above_m() attributes {p = #sparsity.nm<4:2, dim = 0>}

// -----

// expected-error @+1 {{N:M dimension must be non-negative, got -1}}
func.func private @nm_negative_dim() attributes {p = #sparsity.nm<2:4, dim = -1>}

//===----------------------------------------------------------------------===//
// #sparsity.block verifier
//===----------------------------------------------------------------------===//

// -----

// expected-error @+1 {{block shape must not be empty}}
func.func private @block_empty_shape() attributes {p = #sparsity.block<[]>}

// -----

// expected-error @+1 {{block sizes must be positive, got 0}}
func.func private @block_zero_size() attributes {p = #sparsity.block<[4, 0]>}

// -----

// expected-error @+1 {{nonzero_blocks must be non-negative, got -1}}
func.func private @block_negative_count() attributes {p = #sparsity.block<[4, 1], nonzero_blocks = -1>}

//===----------------------------------------------------------------------===//
// #sparsity.pattern verifier and parser
//===----------------------------------------------------------------------===//

// -----

// Two channels components on one dimension must be merged into one.
// expected-error @+1 {{channels components must have strictly increasing dimensions, got dimension 0 after 0}}
func.func private @pattern_channels_duplicate_dim() attributes {p = #sparsity.pattern<channels<dim = 0, pruned = [1]>, channels<dim = 0, pruned = [2]>>}

// -----

// Channels components are listed by increasing dimension.
// expected-error @+1 {{channels components must have strictly increasing dimensions, got dimension 0 after 1}}
func.func private @pattern_channels_descending_dims() attributes {p = #sparsity.pattern<channels<dim = 1, pruned = [1]>, channels<dim = 0, pruned = [2]>>}

// -----

// expected-error @+1 {{unknown sparsity component 'dense', expected 'channels', 'unstructured', 'nm' or 'block'}}
func.func private @pattern_unknown_component() attributes {p = #sparsity.pattern<dense<[1]>>}

// -----

// expected-error @+1 {{a pattern holds at most one 'unstructured' component}}
func.func private @pattern_duplicate_unstructured() attributes {p = #sparsity.pattern<unstructured<nnz = 4>, unstructured<density = 0.5>>}

// -----

// expected-error @+1 {{a pattern holds at most one 'nm' component}}
func.func private @pattern_duplicate_nm() attributes {p = #sparsity.pattern<nm<2:4, dim = 0>, nm<1:2, dim = 1>>}

// -----

// expected-error @+1 {{a pattern holds at most one 'block' component}}
func.func private @pattern_duplicate_block() attributes {p = #sparsity.pattern<block<[4, 1]>, block<[1, 4]>>}

// -----

// A component verifier also runs on a component written inside a pattern.
// expected-error @+1 {{N:M needs N <= M, got 3:2}}
func.func private @pattern_invalid_component() attributes {p = #sparsity.pattern<nm<3:2, dim = 0>>}

//===----------------------------------------------------------------------===//
// sparsity.annotate: the pattern against the tensor shape
//===----------------------------------------------------------------------===//

// -----

func.func @annotate_channels_dim_out_of_range(%w: tensor<8x4xf32>) {
  // expected-error @+1 {{'sparsity.annotate' op channels dimension 2 is out of range for a rank-2 tensor}}
  %0 = sparsity.annotate %w pattern<channels<dim = 2, pruned = [0]>> : tensor<8x4xf32>
  return
}

// -----

func.func @annotate_channels_group_not_dividing(%w: tensor<8x4xf32>) {
  // expected-error @+1 {{'sparsity.annotate' op channels group size 3 does not divide dimension 0 of size 8}}
  %0 = sparsity.annotate %w pattern<channels<dim = 0, pruned = [0], group = 3>> : tensor<8x4xf32>
  return
}

// -----

// Indices run from 0 to size - 1.
func.func @annotate_channels_index_out_of_range(%w: tensor<8x4xf32>) {
  // expected-error @+1 {{'sparsity.annotate' op pruned index 4 is out of range for dimension 1, which has 4 indices}}
  %0 = sparsity.annotate %w pattern<channels<dim = 1, pruned = [0, 4]>> : tensor<8x4xf32>
  return
}

// -----

// With a group, indices count groups: 8 rows in groups of 4 have indices 0, 1.
func.func @annotate_channels_group_index_out_of_range(%w: tensor<8x4xf32>) {
  // expected-error @+1 {{'sparsity.annotate' op pruned index 2 is out of range for dimension 0, which has 2 indices of group size 4}}
  %0 = sparsity.annotate %w pattern<channels<dim = 0, pruned = [2], group = 4>> : tensor<8x4xf32>
  return
}

// -----

func.func @annotate_nm_dim_out_of_range(%w: tensor<8x4xf32>) {
  // expected-error @+1 {{'sparsity.annotate' op N:M dimension 2 is out of range for a rank-2 tensor}}
  %0 = sparsity.annotate %w pattern<nm<2:4, dim = 2>> : tensor<8x4xf32>
  return
}

// -----

func.func @annotate_nm_m_not_dividing(%w: tensor<8x6xf32>) {
  // expected-error @+1 {{'sparsity.annotate' op N:M group size 4 does not divide dimension 1 of size 6}}
  %0 = sparsity.annotate %w pattern<nm<2:4, dim = 1>> : tensor<8x6xf32>
  return
}

// -----

// A block has one size per dimension of the weight.
func.func @annotate_block_rank_mismatch(%w: tensor<8x4xf32>) {
  // expected-error @+1 {{'sparsity.annotate' op block shape has rank 1 but the tensor has rank 2}}
  %0 = sparsity.annotate %w pattern<block<[4]>> : tensor<8x4xf32>
  return
}

// -----

func.func @annotate_block_size_not_dividing(%w: tensor<8x4xf32>) {
  // expected-error @+1 {{'sparsity.annotate' op block size 3 does not divide dimension 1 of size 4}}
  %0 = sparsity.annotate %w pattern<block<[4, 3]>> : tensor<8x4xf32>
  return
}

// -----

// 8x4 in 4x1 blocks is 8 blocks.
func.func @annotate_block_too_many_nonzero(%w: tensor<8x4xf32>) {
  // expected-error @+1 {{'sparsity.annotate' op nonzero_blocks 9 exceeds the 8 blocks of the tensor}}
  %0 = sparsity.annotate %w pattern<block<[4, 1], nonzero_blocks = 9>> : tensor<8x4xf32>
  return
}

// -----

func.func @annotate_nnz_above_elements(%w: tensor<8x4xf32>) {
  // expected-error @+1 {{'sparsity.annotate' op nnz 33 exceeds the 32 elements of the tensor}}
  %0 = sparsity.annotate %w pattern<unstructured<nnz = 33>> : tensor<8x4xf32>
  return
}

// -----

// Two zero filters of an 8x4x3x3 weight leave 6 * 36 = 216 elements.
func.func @annotate_nnz_above_channels_max(%w: tensor<8x4x3x3xf32>) {
  // expected-error @+1 {{'sparsity.annotate' op nnz 217 exceeds the 216 non-zeros that the structured components allow}}
  %0 = sparsity.annotate %w pattern<channels<dim = 0, pruned = [1, 3]>, unstructured<nnz = 217>> : tensor<8x4x3x3xf32>
  return
}

// -----

// 2:4 along the 8 columns of an 8x8 weight allows 8 * 4 = 32 non-zeros.
func.func @annotate_nnz_above_nm_max(%w: tensor<8x8xf32>) {
  // expected-error @+1 {{'sparsity.annotate' op nnz 33 exceeds the 32 non-zeros that the structured components allow}}
  %0 = sparsity.annotate %w pattern<unstructured<nnz = 33>, nm<2:4, dim = 1>> : tensor<8x8xf32>
  return
}

// -----

// 3 non-zero 4x1 blocks hold at most 12 non-zeros.
func.func @annotate_nnz_above_block_max(%w: tensor<8x4xf32>) {
  // expected-error @+1 {{'sparsity.annotate' op nnz 13 exceeds the 12 non-zeros that the structured components allow}}
  %0 = sparsity.annotate %w pattern<unstructured<nnz = 13>, block<[4, 1], nonzero_blocks = 3>> : tensor<8x4xf32>
  return
}

//===----------------------------------------------------------------------===//
// sparsity.annotate: ODS constraints
//===----------------------------------------------------------------------===//

// -----

// The custom form only reads a builtin tensor type...
func.func @annotate_custom_unranked(%w: tensor<*xf32>) {
  // expected-error @+1 {{custom op 'sparsity.annotate' invalid kind of type specified: expected builtin.tensor, but found 'tensor<*xf32>'}}
  %0 = sparsity.annotate %w pattern<> : tensor<*xf32>
  return
}

// -----

// ...and the op verifier rejects an unranked tensor in the generic form,
func.func @annotate_generic_unranked(%w: tensor<*xf32>) {
  // expected-error @+1 {{'sparsity.annotate' op operand #0 must be ranked tensor of any type values, but got 'tensor<*xf32>'}}
  %0 = "sparsity.annotate"(%w) <{pattern = #sparsity.pattern<>}> : (tensor<*xf32>) -> tensor<*xf32>
  return
}

// -----

// as well as any non-tensor type.
func.func @annotate_generic_memref(%w: memref<4xf32>) {
  // expected-error @+1 {{'sparsity.annotate' op operand #0 must be ranked tensor of any type values, but got 'memref<4xf32>'}}
  %0 = "sparsity.annotate"(%w) <{pattern = #sparsity.pattern<>}> : (memref<4xf32>) -> memref<4xf32>
  return
}

// -----

// The op is an identity: the result has the operand's type.
func.func @annotate_generic_type_mismatch(%w: tensor<4xf32>) {
  // expected-error @+1 {{'sparsity.annotate' op failed to verify that all of {source, result} have same type}}
  %0 = "sparsity.annotate"(%w) <{pattern = #sparsity.pattern<>}> : (tensor<4xf32>) -> tensor<8xf32>
  return
}

// -----

func.func @annotate_generic_missing_pattern(%w: tensor<4xf32>) {
  // expected-error @+1 {{'sparsity.annotate' op requires attribute 'pattern'}}
  %0 = "sparsity.annotate"(%w) : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// #sparsity.plan verifier
//===----------------------------------------------------------------------===//

// The choice must be one of the candidates.
// expected-error @+1 {{plan choice 'csr' is not one of its candidates}}
func.func private @plan_choice_not_candidate() attributes {p = #sparsity.plan<target = "npu-ref-g8", choice = "csr", candidates = {dense = 1.0 : f64}>}

// -----

// Predictions are microseconds: floats.
// expected-error @+1 {{plan candidate 'dense' must be a float (microseconds)}}
func.func private @plan_candidate_not_float() attributes {p = #sparsity.plan<target = "npu-ref-g8", choice = "dense", candidates = {dense = 1 : i64}>}

// -----

// expected-error @+1 {{plan candidate 'zskip' has predicted latency -2.000000e+00, expected a finite number >= 0}}
func.func private @plan_candidate_negative() attributes {p = #sparsity.plan<target = "npu-ref-g8", choice = "dense", candidates = {dense = 1.0 : f64, zskip = -2.0 : f64}>}

// -----

// expected-error @+1 {{plan target must not be empty}}
func.func private @plan_empty_target() attributes {p = #sparsity.plan<target = "", choice = "dense", candidates = {dense = 1.0 : f64}>}
