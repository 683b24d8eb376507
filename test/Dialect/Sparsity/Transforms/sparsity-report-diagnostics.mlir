// Every remark and error --sparsity-report emits, one case each.
// RUN: sparsity-opt %s -split-input-file -verify-diagnostics --sparsity-report="output=%t.json" -o /dev/null
// RUN: rm -f %t.bad.json
// RUN: not sparsity-opt %s --sparsity-report="format=xml output=%t.bad.json" -o %t.out 2>&1 | FileCheck %s --check-prefix=FORMAT
// Nothing is written when the pass fails.
// RUN: test ! -e %t.bad.json
// RUN: not sparsity-opt %s --sparsity-report="output=%t.missing/dir/report.json" -o %t.out 2>&1 | FileCheck %s --check-prefix=WRITE

// FORMAT: error: sparsity-report: option 'format': unknown value 'xml' (expected json, csv or md)
// WRITE: error: sparsity-report: cannot write '{{.*}}missing/dir/report.json': {{.*}}

// The summary, on the module.
// expected-remark @below {{sparsity report: 1 layers, s_param = 50.00% (2 of 4 weights zero), s_op = 50.00% (4 of 8 MACs saved), 8 MACs in all, 0 not counted}}
module {
  func.func @summary(%x: tensor<2x2xf32>) -> tensor<2x2xf32> {
    %zero = arith.constant 0.0 : f32
    %w = arith.constant dense<[[0.0, 1.0], [0.0, 2.0]]> : tensor<2x2xf32>
    %e = tensor.empty() : tensor<2x2xf32>
    %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
    %y = linalg.matmul ins(%x, %w : tensor<2x2xf32>, tensor<2x2xf32>) outs(%f : tensor<2x2xf32>) -> tensor<2x2xf32>
    return %y : tensor<2x2xf32>
  }
}

// -----

// A layer with a dynamic size is named, with the reason, and left out.
// expected-remark @below {{sparsity report: 0 layers, s_param = 0.00% (0 of 0 weights zero), s_op = 0.00% (0 of 0 MACs saved), 0 MACs in all, 1 not counted}}
module {
  func.func @dynamic(%x: tensor<?x2xf32>, %init: tensor<?x2xf32>) -> tensor<?x2xf32> {
    %w = arith.constant dense<1.0> : tensor<2x2xf32>
    // expected-remark @below {{layer 'sparsity-report-diagnostics.mlir:33:10' not counted: loop 0 has a dynamic size (dimension 0 of operand #0 is '?')}}
    %y = linalg.matmul ins(%x, %w : tensor<?x2xf32>, tensor<2x2xf32>) outs(%init : tensor<?x2xf32>) -> tensor<?x2xf32>
    return %y : tensor<?x2xf32>
  }
}

// -----

// A weight whose payload is not available: MACs count, zeros do not.
// expected-remark @below {{sparsity report: 1 layers, s_param = 0.00% (0 of 4 weights zero), s_op = 0.00% (0 of 8 MACs saved), 8 MACs in all, 0 not counted}}
module {
  func.func @elided(%x: tensor<2x2xf32>, %init: tensor<2x2xf32>) -> tensor<2x2xf32> {
    %w = arith.constant dense_resource<__elided__> : tensor<2x2xf32>
    // expected-remark @below {{layer 'sparsity-report-diagnostics.mlir:46:10': no zeros counted: the weight resource '__elided__' has no data (elided or not loaded)}}
    %y = linalg.matmul ins(%x, %w : tensor<2x2xf32>, tensor<2x2xf32>) outs(%init : tensor<2x2xf32>) -> tensor<2x2xf32>
    return %y : tensor<2x2xf32>
  }
}

// -----

// A declared weight with only a density bound proves no zero.
// expected-remark @below {{sparsity report: 1 layers, s_param = 0.00% (0 of 4 weights zero), s_op = 0.00% (0 of 8 MACs saved), 8 MACs in all, 0 not counted}}
module {
  func.func @bounded(%x: tensor<2x2xf32>, %w: tensor<2x2xf32>, %init: tensor<2x2xf32>) -> tensor<2x2xf32> {
    %a = sparsity.annotate %w pattern<unstructured<density = 0.5>> : tensor<2x2xf32>
    // expected-remark @below {{layer 'sparsity-report-diagnostics.mlir:59:10': the weight is a function argument without an exact non-zero count: only its declared channels are counted}}
    %y = linalg.matmul ins(%x, %a : tensor<2x2xf32>, tensor<2x2xf32>) outs(%init : tensor<2x2xf32>) -> tensor<2x2xf32>
    return %y : tensor<2x2xf32>
  }
}
