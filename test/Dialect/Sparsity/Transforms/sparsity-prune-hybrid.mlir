// --sparsity-prune hybrid=auto: its options are checked before anything
// changes (the error names the option, the run fails and writes nothing), and
// on a small model the search reports every split and applies the chosen one.
//
// RUN: not sparsity-opt %s --sparsity-prune="hybrid=manual" -o %t.1 2>&1 | FileCheck %s --check-prefix=VALUE
// RUN: test ! -e %t.1
// RUN: not sparsity-opt %s --sparsity-prune="hybrid=auto metric=params device=npu-ref-g8" 2>&1 | FileCheck %s --check-prefix=METRIC
// RUN: not sparsity-opt %s --sparsity-prune="hybrid=auto metric=ops scope=layer device=npu-ref-g8" 2>&1 | FileCheck %s --check-prefix=METRIC
// RUN: not sparsity-opt %s --sparsity-prune="hybrid=auto metric=ops structured=0.1 device=npu-ref-g8" 2>&1 | FileCheck %s --check-prefix=STRUCT
// RUN: not sparsity-opt %s --sparsity-prune="hybrid=auto metric=ops hybrid-steps=0 device=npu-ref-g8" 2>&1 | FileCheck %s --check-prefix=STEPS
// RUN: not sparsity-opt %s --sparsity-prune="device=npu-ref-g8" 2>&1 | FileCheck %s --check-prefix=DEVICE
// RUN: not sparsity-opt %s --sparsity-prune="hybrid=auto metric=ops device=npu-ref-g9" -o %t.2 2>&1 | FileCheck %s --check-prefix=TARGET
// RUN: test ! -e %t.2
// RUN: not sparsity-opt %s --sparsity-prune="hybrid=auto metric=ops" 2>&1 | FileCheck %s --check-prefix=NOTARGET
//
// VALUE: error: sparsity-prune: option 'hybrid': unknown value 'manual' (expected none or auto)
// METRIC: error: sparsity-prune: option 'hybrid': hybrid=auto splits an operation budget between channels and single weights: it needs granularity=unstructured metric=ops scope=global
// STRUCT: error: sparsity-prune: option 'structured': hybrid=auto chooses the structured share itself: give one or the other
// STEPS: error: sparsity-prune: option 'hybrid-steps': 0 is outside [1, 100]
// DEVICE: error: sparsity-prune: option 'device': only the hybrid=auto search uses a device
// TARGET: error: sparsity-prune: option 'device': target 'npu-ref-g9' is neither a preset (npu-ref-g1, npu-ref-g8, x86-avx512) nor a readable file
// NOTARGET: error: sparsity-prune: option 'device': no target: give target=<preset>|<file.json>
//
// The search: hybrid-steps=2 tries structured shares 0, target/2 and target,
// lists them with the s_op reached and the predicted latency, and marks one.
// RUN: sparsity-opt %s --sparsity-prune="hybrid=auto metric=ops target=0.5 hybrid-steps=2 device=npu-ref-g1" -mlir-print-op-on-diagnostic=false 2>&1 >/dev/null | FileCheck %s --check-prefix=SEARCH
// SEARCH: remark: sparsity-prune: hybrid=auto on 'npu-ref-g1' chose structured share {{0.[0-9]+}} (predicted {{[0-9.]+}} us after folding, every layer at its fastest implementation):
// SEARCH-NEXT: structured 0.000: s_op {{[0-9.]+}}%, {{[0-9.]+}} us
// SEARCH-NEXT: structured 0.250: s_op {{[0-9.]+}}%, {{[0-9.]+}} us
// SEARCH-NEXT: structured 0.500: s_op {{[0-9.]+}}%, {{[0-9.]+}} us
// SEARCH: remark: sparsity-prune: {{[0-9]+}} layers changed
func.func @two(%x: tensor<64x64xf32>) -> tensor<64x64xf32> {
  %z = arith.constant 0.0 : f32
  %w = arith.constant dense<[[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0], [16.0, 15.0, 14.0, 13.0, 12.0, 11.0, 10.0, 9.0, 8.0, 7.0, 6.0, 5.0, 4.0, 3.0, 2.0, 1.0], [1.0, 3.0, 5.0, 7.0, 9.0, 11.0, 13.0, 15.0, 2.0, 4.0, 6.0, 8.0, 10.0, 12.0, 14.0, 16.0], [2.0, 2.0, 2.0, 2.0, 3.0, 3.0, 3.0, 3.0, 4.0, 4.0, 4.0, 4.0, 5.0, 5.0, 5.0, 5.0]]> : tensor<4x16xf32>
  %xs = tensor.extract_slice %x[0, 0] [64, 4] [1, 1] : tensor<64x64xf32> to tensor<64x4xf32>
  %e1 = tensor.empty() : tensor<64x16xf32>
  %f1 = linalg.fill ins(%z : f32) outs(%e1 : tensor<64x16xf32>) -> tensor<64x16xf32>
  %h = linalg.matmul ins(%xs, %w : tensor<64x4xf32>, tensor<4x16xf32>) outs(%f1 : tensor<64x16xf32>) -> tensor<64x16xf32>
  %w2 = arith.constant dense<0.5> : tensor<16x64xf32>
  %e2 = tensor.empty() : tensor<64x64xf32>
  %f2 = linalg.fill ins(%z : f32) outs(%e2 : tensor<64x64xf32>) -> tensor<64x64xf32>
  %y = linalg.matmul ins(%h, %w2 : tensor<64x16xf32>, tensor<16x64xf32>) outs(%f2 : tensor<64x64xf32>) -> tensor<64x64xf32>
  return %y : tensor<64x64xf32>
}
