// A bad pass option is one short error line that names the option (and, for
// a misspelt name, the nearest one; for a bad value, the valid values), the
// module is not printed, and nothing is written. Each RUN line checks that
// the error is the only output (--implicit-check-not).
// RUN: rm -f %t.out
// RUN: not sparsity-opt %s --sparsity-prune="granularty=channel" -o %t.out 2>&1 | FileCheck %s --check-prefix=MISSPELT --implicit-check-not={{.}}
// RUN: test ! -e %t.out
// MISSPELT: <unknown>:0: error: sparsity-prune: no option 'granularty' (did you mean 'granularity'?)

// A name far from every option lists them.
// RUN: not sparsity-opt %s --sparsity-fold-structured="xyz=1" 2>&1 | FileCheck %s --check-prefix=FAR --implicit-check-not={{.}}
// FAR: <unknown>:0: error: sparsity-fold-structured: no option 'xyz' (options: fold-constants)

// RUN: not sparsity-opt %s --sparsity-prune="granularity=rows" 2>&1 | FileCheck %s --check-prefix=ENUM --implicit-check-not={{.}}
// ENUM: <unknown>:0: error: sparsity-prune: option 'granularity': unknown value 'rows' (expected unstructured, channel, nm or block)

// The N:M and block shapes are parsed as options, whatever the granularity.
// RUN: not sparsity-opt %s --sparsity-prune="nm=5:4" 2>&1 | FileCheck %s --check-prefix=NM --implicit-check-not={{.}}
// NM: <unknown>:0: error: sparsity-prune: option 'nm': N = 5 exceeds M = 4
// RUN: not sparsity-opt %s --sparsity-prune="block=0x4" 2>&1 | FileCheck %s --check-prefix=BLOCK --implicit-check-not={{.}}
// BLOCK: <unknown>:0: error: sparsity-prune: option 'block': '0x4' is not RxC with positive R and C

// Numbers: llvm::cl's own message would be followed by an empty error line.
// RUN: not sparsity-opt %s --sparsity-prune="target=50%%" 2>&1 | FileCheck %s --check-prefix=NUMBER --implicit-check-not={{.}}
// NUMBER: <unknown>:0: error: sparsity-prune: option 'target': '50%' is not a number
// RUN: not sparsity-opt %s --sparsity-prune="min-kept=two" 2>&1 | FileCheck %s --check-prefix=INTEGER --implicit-check-not={{.}}
// INTEGER: <unknown>:0: error: sparsity-prune: option 'min-kept': 'two' is not an integer

// A range is checked with the options too.
// RUN: not sparsity-opt %s --sparsity-prune="target=1.5" 2>&1 | FileCheck %s --check-prefix=RANGE --implicit-check-not={{.}}
// RANGE: <unknown>:0: error: sparsity-prune: option 'target': 1.50 is outside [0, 1)

// An empty value of a typed option is an error, not its default or `true`.
// RUN: not sparsity-opt %s --sparsity-fold-structured="fold-constants=" 2>&1 | FileCheck %s --check-prefix=EMPTY --implicit-check-not={{.}}
// EMPTY: <unknown>:0: error: sparsity-fold-structured: option 'fold-constants' has an empty value
// RUN: not sparsity-opt %s --sparsity-fold-structured="fold-constants=maybe" 2>&1 | FileCheck %s --check-prefix=BOOL --implicit-check-not={{.}}
// BOOL: <unknown>:0: error: sparsity-fold-structured: option 'fold-constants': 'maybe' is not a boolean (expected true or false)
// RUN: not sparsity-opt %s --sparsity-prune="granularity" 2>&1 | FileCheck %s --check-prefix=NOVALUE --implicit-check-not={{.}}
// NOVALUE: <unknown>:0: error: sparsity-prune: option 'granularity' needs a value ('granularity=...')

// A target that is neither a preset nor a file: one line, not the module
// after it.
// RUN: not sparsity-opt %s --sparsity-plan="target=npu-ref-g9" 2>&1 | FileCheck %s --check-prefix=TARGET --implicit-check-not={{.}}
// TARGET: <unknown>:0: error: sparsity-plan: target 'npu-ref-g9' is neither a preset (npu-ref-g1, npu-ref-g8, x86-avx512) nor a readable file: {{.*}}
// RUN: not sparsity-opt %s --sparsity-plan="target=npu-ref-g8 force=csr" 2>&1 | FileCheck %s --check-prefix=FORCE --implicit-check-not={{.}}
// FORCE: <unknown>:0: error: sparsity-plan: force=csr is not an implementation of target 'npu-ref-g8' (dense, zskip)

// Valid typed options print back in the pipeline's textual form.
// RUN: sparsity-opt %s --pass-pipeline="builtin.module(sparsity-prune{granularity=block block=2x8 nm=1:4 hybrid=none criterion=l2})" --dump-pass-pipeline -o /dev/null 2>&1 | FileCheck %s --check-prefix=PRINT
// PRINT: sparsity-prune{block=2x8 criterion=l2 device= exclude= granularity=block hybrid=none hybrid-steps=10 metric=params min-kept=1 nm=1:4 scope=global

module {
  func.func @f(%x: tensor<2x2xf32>) -> tensor<2x2xf32> {
    return %x : tensor<2x2xf32>
  }
}
