// RUN: sparsity-opt %s -split-input-file -verify-diagnostics

// One case per diagnostic of the dialect's attribute verifier
// (SparsityDialect::verifyOperationAttribute): sparsity.plan, sparsity.impl
// and sparsity.target are checked when the IR is verified, before any pass.

func.func @plan_not_a_plan(%a: tensor<3x4xf32>, %b: tensor<4x2xf32>, %c: tensor<3x2xf32>) -> tensor<3x2xf32> {
  // expected-error @+1 {{sparsity.plan must be a #sparsity.plan, got 1 : i64}}
  %0 = linalg.matmul {sparsity.plan = 1} ins(%a, %b : tensor<3x4xf32>, tensor<4x2xf32>) outs(%c : tensor<3x2xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

func.func @impl_not_a_string(%a: tensor<3x4xf32>, %b: tensor<4x2xf32>, %c: tensor<3x2xf32>) -> tensor<3x2xf32> {
  // expected-error @+1 {{sparsity.impl = ["csr"] must be a string naming an implementation (e.g. "dense")}}
  %0 = linalg.matmul {sparsity.impl = ["csr"]} ins(%a, %b : tensor<3x4xf32>, tensor<4x2xf32>) outs(%c : tensor<3x2xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

// expected-error @+1 {{'sparsity.target' belongs on the module, not on 'func.func'}}
func.func @target_on_a_function() attributes {sparsity.target = {name = "x", kind = "x86-avx512"}} {
  return
}

// -----

// expected-error @+1 {{the module's 'sparsity.target' attribute is not a dictionary}}
module attributes {sparsity.target = "x86-avx512"} {
}

// -----

// expected-error @+1 {{module attribute 'sparsity.target': field 'kind': 'gpu' is not a known kind (known: npu-ref, x86-avx512)}}
module attributes {sparsity.target = {name = "x", kind = "gpu"}} {
}

// -----

// expected-error @+1 {{unknown attribute 'sparsity.plann' (the sparsity dialect defines sparsity.plan, sparsity.impl and sparsity.target)}}
func.func @misspelt() attributes {sparsity.plann = 1} {
  return
}
