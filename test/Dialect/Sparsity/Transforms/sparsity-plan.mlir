// --sparsity-plan: the predictions, worked by hand (docs/npu-ref.md), the
// choice, the user override, force=, the layers it cannot plan, and the plan
// in --sparsity-report.
//
// RUN: sparsity-opt %s --sparsity-plan="target=npu-ref-g8" 2>/dev/null | FileCheck %s --check-prefixes=CHECK,G8
// RUN: sparsity-opt %s --sparsity-plan="target=npu-ref-g1" 2>/dev/null | FileCheck %s --check-prefixes=CHECK,G1
// RUN: sparsity-opt %s --sparsity-plan="target=npu-ref-g1 force=zskip" 2>/dev/null | FileCheck %s --check-prefix=FORCE
// RUN: sparsity-opt %s --sparsity-plan="target=npu-ref-g8" -mlir-print-op-on-diagnostic=false 2>&1 >/dev/null | FileCheck %s --check-prefixes=REMARK,REMARK8
// RUN: sparsity-opt %s --sparsity-plan="target=npu-ref-g1" -mlir-print-op-on-diagnostic=false 2>&1 >/dev/null | FileCheck %s --check-prefixes=REMARK,REMARK1
// The remarks name the layer's location and do not print the operation (or,
// for the summary, the whole module) even with MLIR's default
// -mlir-print-op-on-diagnostic.
// RUN: sparsity-opt %s --sparsity-plan="target=npu-ref-g8" 2>&1 >/dev/null | FileCheck %s --check-prefix=NOOP
// NOOP: remark: sparsity-plan:
// NOOP-NOT: see current operation
// RUN: sparsity-opt %s --sparsity-plan="target=npu-ref-g8" --sparsity-report -mlir-print-op-on-diagnostic=false 2>/dev/null | FileCheck %s --check-prefix=REPORT
// A description from a file: 2 GHz, 256 bytes/cycle, no zero_skip section.
// One-row layer: compute 56 cycles, memory 3584 / 256 = 14 -> 56 cycles at
// 2 GHz = 0.028 us, and dense is the only candidate.
// RUN: sparsity-opt %s --sparsity-plan="target=%S/Inputs/target-custom.json" 2>/dev/null | FileCheck %s --check-prefix=CUSTOM
// CUSTOM: module attributes {sparsity.target = {{.*}}clock_ghz = 2.000000e+00 : f64, dram_bytes_per_cycle = 2.560000e+02 : f64{{.*}}name = "wide-dram"}
// CUSTOM-NOT: zero_skip
// CUSTOM: linalg.matmul {sparsity.plan = #sparsity.plan<target = "wide-dram", choice = "dense", candidates = {dense = 2.800000e-02 : f64}>}

// The description copied onto the module is read back with target=module
// (and with no target at all), and gives the same plan.
// RUN: sparsity-opt %s --sparsity-plan="target=npu-ref-g8" -mlir-print-op-on-diagnostic=false 2>/dev/null | sparsity-opt --sparsity-plan 2>/dev/null | FileCheck %s --check-prefixes=CHECK,G8
// RUN: sparsity-opt %s --sparsity-plan="target=npu-ref-g8" -mlir-print-op-on-diagnostic=false 2>/dev/null | sparsity-opt --sparsity-plan="target=module" 2>/dev/null | FileCheck %s --check-prefixes=CHECK,G8

// A [16 x 32] weight (k = 16, n = 32: one tile of 32 lanes, kt = 16) whose
// only non-zero row is k = 0, against 8 activation rows.
//   dense:  compute 8 * ceil(16/16) + 48 = 56; memory (32*16*4 weights +
//           8*16*4 activations + 8*32*4 results) / 32 = 3584 / 32 = 112
//           -> 112 cycles = 0.112 us.
//   G = 8:  every lane keeps 1 group of 8: compute 8 * ceil(8/16) + 48 + 16
//           = 72; memory (32*8*4 values + 32 bitmap bytes + 1536) / 32 = 81
//           -> 81 cycles: zero-skip wins.
//   G = 1:  1 group of 1: compute 8 * 1 + 48 + 64 = 120; memory (32*4 + 32*2
//           + 1536) / 32 = 54 -> 120 cycles: dense wins.
// The description used is copied onto the module.
// CHECK: module attributes {sparsity.target = {{.*}}kind = "npu-ref"
// CHECK-LABEL: func.func @one_row
// G8: linalg.matmul {sparsity.plan = #sparsity.plan<target = "npu-ref-g8", choice = "zskip", candidates = {dense = 1.120000e-01 : f64, zskip = 8.100000e-02 : f64}>}
// G1: linalg.matmul {sparsity.plan = #sparsity.plan<target = "npu-ref-g1", choice = "dense", candidates = {dense = 1.120000e-01 : f64, zskip = 1.200000e-01 : f64}>}
// FORCE: linalg.matmul {sparsity.plan = #sparsity.plan<target = "npu-ref-g1", choice = "zskip", candidates = {dense = 1.120000e-01 : f64, zskip = 1.200000e-01 : f64}>}
func.func @one_row(%x: tensor<8x16xf32>) -> tensor<8x32xf32> {
  %w = arith.constant dense<[[1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]]> : tensor<16x32xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<8x32xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<8x32xf32>) -> tensor<8x32xf32>
  %r = linalg.matmul ins(%x, %w : tensor<8x16xf32>, tensor<16x32xf32>) outs(%f : tensor<8x32xf32>) -> tensor<8x32xf32>
  return %r : tensor<8x32xf32>
}

// The user's override wins over the prediction (and over force=), and the
// plan says so.
// CHECK-LABEL: func.func @override
// CHECK: linalg.matmul {sparsity.impl = "dense", sparsity.plan = #sparsity.plan<target = "npu-ref-g{{[18]}}", choice = "dense", candidates = {{.*}}, override = true>}
// FORCE-LABEL: func.func @override
// FORCE: choice = "dense", {{.*}} override = true
func.func @override(%x: tensor<8x16xf32>) -> tensor<8x32xf32> {
  %w = arith.constant dense<[[1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]]> : tensor<16x32xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<8x32xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<8x32xf32>) -> tensor<8x32xf32>
  %r = linalg.matmul {sparsity.impl = "dense"} ins(%x, %w : tensor<8x16xf32>, tensor<16x32xf32>) outs(%f : tensor<8x32xf32>) -> tensor<8x32xf32>
  return %r : tensor<8x32xf32>
}

// A weight passed as an argument cannot be read: no plan, and a remark.
// REMARK: remark: sparsity-plan: layer '{{.*}}' not planned: the weight is a function argument
// CHECK-LABEL: func.func @declared
// CHECK: linalg.matmul ins(
func.func @declared(%x: tensor<8x16xf32>, %w: tensor<16x32xf32>) -> tensor<8x32xf32> {
  %a = sparsity.annotate %w pattern<unstructured<nnz = 32>> : tensor<16x32xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<8x32xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<8x32xf32>) -> tensor<8x32xf32>
  %r = linalg.matmul ins(%x, %a : tensor<8x16xf32>, tensor<16x32xf32>) outs(%f : tensor<8x32xf32>) -> tensor<8x32xf32>
  return %r : tensor<8x32xf32>
}

// REMARK8: remark: sparsity-plan: 2 layers planned for 'npu-ref-g8', 1 sparse; predicted 0.22 us dense, 0.19 us planned (1.16x)
// REMARK1: remark: sparsity-plan: 2 layers planned for 'npu-ref-g1', 0 sparse; predicted 0.22 us dense, 0.22 us planned (1.00x)

// REPORT:      "predicted_us": {
// REPORT-NEXT:   "target": "npu-ref-g8",
// REPORT-NEXT:   "planned_layers": 2,
// REPORT-NEXT:   "dense": 0.224
// REPORT-NEXT:   "planned": 0.193
// REPORT:      "plan": {
// REPORT-NEXT:   "target": "npu-ref-g8",
// REPORT-NEXT:   "choice": "zskip",
// REPORT-NEXT:   "override": false,
// REPORT-NEXT:   "candidates": {
// REPORT-NEXT:     "dense": 0.112
// REPORT-NEXT:     "zskip": 0.081
// REPORT:      "plan": {
// REPORT-NEXT:   "target": "npu-ref-g8",
// REPORT-NEXT:   "choice": "dense",
// REPORT-NEXT:   "override": true,
// REPORT:      "plan": null
