// Every error and remark of --sparsity-prune.
//
// Options are checked before anything changes; the error names the option,
// the run fails and writes nothing.
// RUN: not sparsity-opt %s --sparsity-prune="granularity=rows" -o %t.1 2>&1 | FileCheck %s --check-prefix=GRAN
// RUN: test ! -e %t.1
// RUN: not sparsity-opt %s --sparsity-prune="criterion=l3" -o %t.2 2>&1 | FileCheck %s --check-prefix=CRIT
// RUN: not sparsity-opt %s --sparsity-prune="metric=flops" -o %t.3 2>&1 | FileCheck %s --check-prefix=METRIC
// RUN: not sparsity-opt %s --sparsity-prune="scope=model" -o %t.4 2>&1 | FileCheck %s --check-prefix=SCOPE
// RUN: not sparsity-opt %s --sparsity-prune="target=1.0" -o %t.5 2>&1 | FileCheck %s --check-prefix=TARGET
// RUN: not sparsity-opt %s --sparsity-prune="target=-0.1" -o %t.6 2>&1 | FileCheck %s --check-prefix=NEGTARGET
// RUN: not sparsity-opt %s --sparsity-prune="target=0.5 structured=0.6" -o %t.7 2>&1 | FileCheck %s --check-prefix=STRUCT
// RUN: not sparsity-opt %s --sparsity-prune="granularity=nm structured=0.1" -o %t.8 2>&1 | FileCheck %s --check-prefix=HYBRID
// RUN: not sparsity-opt %s --sparsity-prune="granularity=nm nm=4:2" -o %t.9 2>&1 | FileCheck %s --check-prefix=NGTM
// RUN: not sparsity-opt %s --sparsity-prune="granularity=nm nm=2-4" -o %t.10 2>&1 | FileCheck %s --check-prefix=NMSYNTAX
// RUN: not sparsity-opt %s --sparsity-prune="granularity=block block=4by4" -o %t.11 2>&1 | FileCheck %s --check-prefix=BLOCKSYNTAX
// RUN: not sparsity-opt %s --sparsity-prune="exclude=conv(" -o %t.12 2>&1 | FileCheck %s --check-prefix=REGEX
// RUN: not sparsity-opt %s --sparsity-prune="min-kept=-1" -o %t.13 2>&1 | FileCheck %s --check-prefix=MINKEPT
// Shape errors name the layer: blocks and N:M must divide its channels.
// RUN: not sparsity-opt %s --sparsity-prune="granularity=block block=3x2" -o %t.14 2>&1 | FileCheck %s --check-prefix=BLOCKDIV
// RUN: test ! -e %t.14
// RUN: not sparsity-opt %s --sparsity-prune="granularity=nm nm=2:8" -o %t.15 2>&1 | FileCheck %s --check-prefix=NMDIV
//
// GRAN: error: sparsity-prune: option 'granularity': unknown value 'rows' (expected unstructured, channel, nm or block)
// CRIT: error: sparsity-prune: option 'criterion': unknown value 'l3' (expected l1 or l2)
// METRIC: error: sparsity-prune: option 'metric': unknown value 'flops' (expected params or ops)
// SCOPE: error: sparsity-prune: option 'scope': unknown value 'model' (expected global or layer)
// TARGET: error: sparsity-prune: option 'target': 1.00 is outside [0, 1)
// NEGTARGET: error: sparsity-prune: option 'target': -0.10 is outside [0, 1)
// STRUCT: error: sparsity-prune: option 'structured': 0.60 is outside [0, target = 0.50]
// HYBRID: error: sparsity-prune: option 'structured': the hybrid mode prunes channels, then single weights: it needs granularity=unstructured
// NGTM: error: sparsity-prune: option 'nm': N = 4 exceeds M = 2
// NMSYNTAX: error: sparsity-prune: option 'nm': '2-4' is not N:M with positive N and M
// BLOCKSYNTAX: error: sparsity-prune: option 'block': '4by4' is not RxC with positive R and C
// REGEX: error: sparsity-prune: option 'exclude': invalid regular expression 'conv(':
// MINKEPT: error: sparsity-prune: option 'min-kept': -1 is negative
// BLOCKDIV: error: sparsity-prune: option 'block': layer 'fc': 3x2 does not divide its 4 output x 4 input channels (exclude it with exclude=<regex>)
// NMDIV: error: sparsity-prune: option 'nm': layer 'fc': M = 8 does not divide its input channels (4) (exclude it with exclude=<regex>)

// Layers that cannot be pruned are named, with the reason, and left alone.
// RUN: sparsity-opt %s --sparsity-prune="target=0.5" -verify-diagnostics -o /dev/null

// Only 'fc' can be pruned: 15 of its 16 weights (min-kept = 1) fall short of
// half of the model's 72.
// expected-remark @below {{sparsity-prune: reached 20.83% of the parameters, not the target 50.00%: whole weights are the unit, and the layers that can be pruned (see the remarks) keep min-kept = 1 weights each}}
// expected-remark @below {{sparsity-prune: 1 layers changed; s_param = 20.83% (15 of 72 weights zero), s_op = 20.83% (20.83% from the zeros alone)}}
module {
  func.func @layers(%x: tensor<2x4xf32>, %declared: tensor<4x4xf32>) -> (tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x2xf32>) {
    %zero = arith.constant 0.0 : f32
    %w = arith.constant dense<[[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0], [9.0, 10.0, 11.0, 12.0], [13.0, 14.0, 15.0, 16.0]]> : tensor<4x4xf32>
    %shared = arith.constant dense<1.0> : tensor<4x4xf32>
    %big = arith.constant dense<2.0> : tensor<4x8xf32>
    %slice = tensor.extract_slice %big[0, 0] [4, 2] [1, 1] : tensor<4x8xf32> to tensor<4x2xf32>
    %a = sparsity.annotate %declared pattern<unstructured<density = 0.5>> : tensor<4x4xf32>
    %e = tensor.empty() : tensor<2x4xf32>
    %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x4xf32>) -> tensor<2x4xf32>
    %e2 = tensor.empty() : tensor<2x2xf32>
    %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<2x2xf32>) -> tensor<2x2xf32>
    %y0 = linalg.matmul ins(%x, %w : tensor<2x4xf32>, tensor<4x4xf32>) outs(%f : tensor<2x4xf32>) -> tensor<2x4xf32> loc("fc")
    // expected-remark @below {{layer 'sparsity-prune-diagnostics.mlir:61:11' not pruned: its weight is not a constant}}
    %y1 = linalg.matmul ins(%x, %a : tensor<2x4xf32>, tensor<4x4xf32>) outs(%f : tensor<2x4xf32>) -> tensor<2x4xf32>
    // expected-remark @below {{layer 'sparsity-prune-diagnostics.mlir:63:11' not pruned: its weight constant is shared with another layer}}
    %y2 = linalg.matmul ins(%x, %shared : tensor<2x4xf32>, tensor<4x4xf32>) outs(%f : tensor<2x4xf32>) -> tensor<2x4xf32>
    // expected-remark @below {{layer 'sparsity-prune-diagnostics.mlir:65:11' not pruned: its weight constant is shared with another layer}}
    %y3 = linalg.matmul ins(%x, %shared : tensor<2x4xf32>, tensor<4x4xf32>) outs(%f : tensor<2x4xf32>) -> tensor<2x4xf32>
    // expected-remark @below {{layer 'sparsity-prune-diagnostics.mlir:67:11' not pruned: it reads a slice of its weight constant}}
    %y4 = linalg.matmul ins(%x, %slice : tensor<2x4xf32>, tensor<4x2xf32>) outs(%f2 : tensor<2x2xf32>) -> tensor<2x2xf32>
    return %y0, %y1, %y2, %y3, %y4 : tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<2x2xf32>
  }
}

