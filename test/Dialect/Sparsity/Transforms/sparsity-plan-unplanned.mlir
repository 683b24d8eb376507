// Layers the cost model cannot predict: --sparsity-plan leaves them without a
// plan and says why; --sparsity-prune hybrid=auto refuses to choose a split
// when no layer can be predicted (the run fails and writes nothing).
//
// RUN: sparsity-opt %s --sparsity-plan=target=npu-ref-g8 -verify-diagnostics -o /dev/null
// RUN: not sparsity-opt %s --sparsity-prune="hybrid=auto metric=ops device=npu-ref-g8" -o %t 2>&1 | FileCheck %s --check-prefix=HYBRID
// RUN: test ! -e %t
// With some layers predictable, the others are left out of every split alike,
// and a remark counts them.
// RUN: sparsity-opt %S/Inputs/hybrid-partly-predicted.mlir --sparsity-prune="hybrid=auto metric=ops target=0.3 hybrid-steps=1 device=npu-ref-g8" -mlir-print-op-on-diagnostic=false -o /dev/null 2>&1 | FileCheck %s --check-prefix=PARTLY
// PARTLY: remark: sparsity-prune: hybrid=auto: 1 layer(s) cannot be predicted and are left out of every split's latency (first: layer '{{.*}}': the weight reaches the layer through 'linalg.transpose', which reorders its elements)
// PARTLY: remark: sparsity-prune: hybrid=auto on 'npu-ref-g8' chose structured share
// HYBRID: error: sparsity-prune: hybrid=auto: no layer can be predicted on 'npu-ref-g8' (layer '{{.*}}': the weight reaches the layer through 'linalg.transpose', which reorders its elements)

// expected-remark @below {{sparsity-plan: 0 layers planned for 'npu-ref-g8', 0 sparse; predicted 0.00 us dense, 0.00 us planned (1.00x)}}
module {
  func.func @dynamic(%x: tensor<?x4xf32>, %e: tensor<?x4xf32>) -> tensor<?x4xf32> {
    %w = arith.constant dense<1.0> : tensor<4x4xf32>
    // expected-remark @below {{not planned: loop 0 has a dynamic size (dimension 0 of operand #0 is '?')}}
    %r = linalg.matmul ins(%x, %w : tensor<?x4xf32>, tensor<4x4xf32>) outs(%e : tensor<?x4xf32>) -> tensor<?x4xf32>
    return %r : tensor<?x4xf32>
  }
  func.func @transposed(%x: tensor<2x4xf32>, %e: tensor<2x4xf32>) -> tensor<2x4xf32> {
    %w = arith.constant dense<[[1.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0], [1.0, 1.0, 1.0, 1.0], [0.0, 2.0, 0.0, 0.0]]> : tensor<4x4xf32>
    %i = tensor.empty() : tensor<4x4xf32>
    %wt = linalg.transpose ins(%w : tensor<4x4xf32>) outs(%i : tensor<4x4xf32>) permutation = [1, 0]
    // expected-remark @below {{not planned: the weight reaches the layer through 'linalg.transpose', which reorders its elements}}
    %r = linalg.matmul ins(%x, %wt : tensor<2x4xf32>, tensor<4x4xf32>) outs(%e : tensor<2x4xf32>) -> tensor<2x4xf32>
    return %r : tensor<2x4xf32>
  }
}
