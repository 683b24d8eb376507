// RUN: sparsity-opt %s -split-input-file -verify-diagnostics --sparsity-lower=target=npu-ref-g8

// Every remark and error of --sparsity-lower on a layer, one case each.

// An override must name an implementation of the target.
func.func @override_unknown(%a: tensor<3x16xf32>, %c: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %b = arith.constant dense<1.0> : tensor<16x2xf32>
  // expected-error @+1 {{sparsity-lower: sparsity.impl = "csr" is not an implementation of target 'npu-ref-g8' (dense, zskip)}}
  %0 = linalg.matmul {sparsity.impl = "csr"} ins(%a, %b : tensor<3x16xf32>, tensor<16x2xf32>) outs(%c : tensor<3x2xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

func.func @override_not_string(%a: tensor<3x16xf32>, %c: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %b = arith.constant dense<1.0> : tensor<16x2xf32>
  // expected-error @+1 {{sparsity.impl = 1 : i64 must be a string naming an implementation (e.g. "dense")}}
  %0 = linalg.matmul {sparsity.impl = 1} ins(%a, %b : tensor<3x16xf32>, tensor<16x2xf32>) outs(%c : tensor<3x2xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

func.func @plan_not_plan(%a: tensor<3x16xf32>, %c: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %b = arith.constant dense<1.0> : tensor<16x2xf32>
  // expected-error @+1 {{sparsity.plan must be a #sparsity.plan, got "zskip"}}
  %0 = linalg.matmul {sparsity.plan = "zskip"} ins(%a, %b : tensor<3x16xf32>, tensor<16x2xf32>) outs(%c : tensor<3x2xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

// A plan made for another target is not silently reinterpreted.
func.func @plan_other_target(%a: tensor<3x16xf32>, %c: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %b = arith.constant dense<1.0> : tensor<16x2xf32>
  // expected-remark @+1 {{sparsity-lower: layer 'diagnostics.mlir:37:8' left as it is: planned for target 'npu-ref-g1', not 'npu-ref-g8'}}
  %0 = linalg.matmul {sparsity.plan = #sparsity.plan<target = "npu-ref-g1", choice = "zskip", candidates = {dense = 2.0 : f64, zskip = 1.0 : f64}>} ins(%a, %b : tensor<3x16xf32>, tensor<16x2xf32>) outs(%c : tensor<3x2xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

func.func @not_f32(%a: tensor<3x16xf16>, %c: tensor<3x2xf16>) -> tensor<3x2xf16> {
  %b = arith.constant dense<1.0> : tensor<16x2xf16>
  // expected-remark @+1 {{sparsity-lower: layer 'diagnostics.mlir:46:8' left as it is: only statically shaped f32 layers are lowered}}
  %0 = linalg.matmul ins(%a, %b : tensor<3x16xf16>, tensor<16x2xf16>) outs(%c : tensor<3x2xf16>) -> tensor<3x2xf16>
  return %0 : tensor<3x2xf16>
}

// -----

// The packer reads the constant itself; a transposed view of it is not
// an identity.
func.func @weight_view(%a: tensor<3x16xf32>, %c: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %w = arith.constant dense<1.0> : tensor<2x16xf32>
  %e = tensor.empty() : tensor<16x2xf32>
  %b = linalg.transpose ins(%w : tensor<2x16xf32>) outs(%e : tensor<16x2xf32>) permutation = [1, 0]
  // expected-remark @+1 {{sparsity-lower: layer 'diagnostics.mlir:59:8' left as it is: the weight reaches the layer through 'linalg.transpose', which reorders its elements}}
  %0 = linalg.matmul ins(%a, %b : tensor<3x16xf32>, tensor<16x2xf32>) outs(%c : tensor<3x2xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

// A plan for this target whose choice has no npu_ref instruction (written by
// hand: the planner only chooses among the target's implementations).
func.func @plan_choice_without_instruction(%a: tensor<3x16xf32>, %c: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %b = arith.constant dense<1.0> : tensor<16x2xf32>
  // expected-remark @+1 {{left as it is: implementation 'csr' has no npu-ref instruction}}
  %0 = linalg.matmul {sparsity.plan = #sparsity.plan<target = "npu-ref-g8", choice = "csr", candidates = {csr = 1.0 : f64}>} ins(%a, %b : tensor<3x16xf32>, tensor<16x2xf32>) outs(%c : tensor<3x2xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

// A contraction the analysis cannot count (a dynamic size) is not a layer.
func.func @dynamic(%a: tensor<?x16xf32>, %c: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %b = arith.constant dense<1.0> : tensor<16x2xf32>
  // expected-remark @+1 {{left as it is: not a weight layer (loop 0 has a dynamic size (dimension 0 of operand #0 is '?'))}}
  %0 = linalg.matmul ins(%a, %b : tensor<?x16xf32>, tensor<16x2xf32>) outs(%c : tensor<?x2xf32>) -> tensor<?x2xf32>
  return %0 : tensor<?x2xf32>
}
