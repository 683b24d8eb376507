// Every user error: the message names the file, flag or argument, and the
// exit code is 2 (1 is reserved for "ran fine, results differ"). Nothing is
// written when an error stops the run.

// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/npy.py write %t/x2.npy f4 2 1,2
// RUN: %python %S/Inputs/npy.py write %t/x3.npy f4 3 1,2,3
// RUN: %python %S/Inputs/npy.py write %t/i2.npy i4 2 1,2
// RUN: %python %S/Inputs/npy.py write %t/short.npy f4 2,2 1,2,3
// RUN: %python %S/Inputs/npy.py write %t/y3.npy f4 3 1,2,3
// RUN: echo "func.func @main(" > %t/broken.mlir
// RUN: echo "not a directory" > %t/file

// RUN: sh %S/Inputs/exit-code.sh sparsity-run %t/missing.mlir | FileCheck %s --check-prefix=MISSING
// MISSING: error: cannot read '{{.*}}missing.mlir': {{[Nn]}}o such file or directory
// MISSING: exit code: 2

// RUN: sh %S/Inputs/exit-code.sh sparsity-run %t/broken.mlir | FileCheck %s --check-prefix=PARSE
// PARSE: broken.mlir:1:17: error: expected non-function type
// PARSE: error: cannot parse '{{.*}}broken.mlir'
// PARSE: exit code: 2

// RUN: sh %S/Inputs/exit-code.sh sparsity-run %S/Inputs/signatures.mlir --entry=nope | FileCheck %s --check-prefix=ENTRY
// ENTRY: error: {{.*}}signatures.mlir: no function '@nope' to run (functions: @ok, @dynamic,
// ENTRY: exit code: 2

// RUN: sh %S/Inputs/exit-code.sh sparsity-run %S/Inputs/calls-external.mlir --entry=external | FileCheck %s --check-prefix=DECL
// DECL: error: {{.*}}calls-external.mlir: @external is a declaration without a body
// DECL: exit code: 2

// RUN: sh %S/Inputs/exit-code.sh sparsity-run %S/Inputs/signatures.mlir --entry=dynamic | FileCheck %s --check-prefix=DYN
// DYN: error: {{.*}}signatures.mlir: @dynamic argument #0 has unsupported type 'tensor<?xf32>' (sparsity-run supports ranked static-shape tensors of f16, f32, f64, i8, i32 and i64)
// DYN: exit code: 2

// RUN: sh %S/Inputs/exit-code.sh sparsity-run %S/Inputs/signatures.mlir --entry=memref_arg | FileCheck %s --check-prefix=MEMREF
// MEMREF: error: {{.*}}signatures.mlir: @memref_arg argument #1 has unsupported type 'memref<2xf32>'
// MEMREF: exit code: 2

// RUN: sh %S/Inputs/exit-code.sh sparsity-run %S/Inputs/signatures.mlir --entry=bool_arg | FileCheck %s --check-prefix=BOOL
// BOOL: error: {{.*}}signatures.mlir: @bool_arg argument #0 has unsupported type 'tensor<2xi1>'
// BOOL: exit code: 2

// RUN: sh %S/Inputs/exit-code.sh sparsity-run %S/Inputs/signatures.mlir --entry=bad_result | FileCheck %s --check-prefix=RESULT
// RESULT: error: {{.*}}signatures.mlir: @bad_result result #0 has unsupported type 'tensor<2xbf16>'
// RESULT: exit code: 2

// RUN: sh %S/Inputs/exit-code.sh sparsity-run %S/Inputs/signatures.mlir --entry=no_result | FileCheck %s --check-prefix=NORESULT
// NORESULT: error: {{.*}}signatures.mlir: @no_result returns nothing; sparsity-run needs at least one tensor result
// NORESULT: exit code: 2

// RUN: sh %S/Inputs/exit-code.sh sparsity-run %S/Inputs/calls-external.mlir --output-dir=%t/jit | FileCheck %s --check-prefix=JIT
// JIT: Symbols not found: [ external ]
// JIT: error: cannot call @main of '{{.*}}calls-external.mlir': Failed to materialize symbols
// JIT: exit code: 2

// RUN: sh %S/Inputs/exit-code.sh sparsity-run %S/Inputs/signatures.mlir --entry=ok --input=%t/missing.npy | FileCheck %s --check-prefix=NOINPUT
// NOINPUT: error: --input: cannot read '{{.*}}missing.npy': {{[Nn]}}o such file or directory
// NOINPUT: exit code: 2

// RUN: sh %S/Inputs/exit-code.sh sparsity-run %S/Inputs/signatures.mlir --entry=ok --input=%s | FileCheck %s --check-prefix=NOTNPY
// NOTNPY: error: --input: {{.*}}errors.mlir: not an .npy file (missing the \x93NUMPY magic)
// NOTNPY: exit code: 2

// RUN: sh %S/Inputs/exit-code.sh sparsity-run %S/Inputs/signatures.mlir --entry=ok --input=%t/short.npy | FileCheck %s --check-prefix=SHORT
// SHORT: error: --input: {{.*}}short.npy: payload has 12 bytes, but the shape and dtype need 16
// SHORT: exit code: 2

// RUN: sh %S/Inputs/exit-code.sh sparsity-run %S/Inputs/signatures.mlir --entry=ok --input=%t/x2.npy --input=%t/x2.npy | FileCheck %s --check-prefix=COUNT
// COUNT: error: @ok in '{{.*}}signatures.mlir' takes 1 argument(s), but 2 --input file(s) given
// COUNT: exit code: 2

// RUN: sh %S/Inputs/exit-code.sh sparsity-run %S/Inputs/signatures.mlir --entry=ok --input=%t/x3.npy --output-dir=%t/none | FileCheck %s --check-prefix=SHAPE
// SHAPE: error: --input '{{.*}}x3.npy': array of shape (3,) and dtype f32 does not fit argument #0 of @ok: tensor<2xf32>
// SHAPE: exit code: 2
// RUN: not ls %t/none

// RUN: sh %S/Inputs/exit-code.sh sparsity-run %S/Inputs/signatures.mlir --entry=ok --input=%t/i2.npy | FileCheck %s --check-prefix=DTYPE
// DTYPE: error: --input '{{.*}}i2.npy': array of shape (2,) and dtype i32 does not fit argument #0 of @ok: tensor<2xf32>
// DTYPE: exit code: 2

// RUN: sh %S/Inputs/exit-code.sh sparsity-run %S/Inputs/signatures.mlir --entry=ok --compare=%t/x2.npy --compare=%t/x2.npy | FileCheck %s --check-prefix=NCMP
// NCMP: error: --compare: @ok has 1 result(s), but 2 .npy file(s) given
// NCMP: exit code: 2

// RUN: sh %S/Inputs/exit-code.sh sparsity-run %S/Inputs/signatures.mlir --entry=ok --compare=%t/y3.npy | FileCheck %s --check-prefix=CMPSHAPE
// CMPSHAPE: error: --compare '{{.*}}y3.npy': array of shape (3,) and dtype f32 does not fit result #0 of @ok: tensor<2xf32>
// CMPSHAPE: exit code: 2

// RUN: sh %S/Inputs/exit-code.sh sparsity-run %S/Inputs/signatures.mlir --entry=ok --compare=%S/Inputs/signatures.mlir --ref-entry=other_result | FileCheck %s --check-prefix=SIG
// SIG: error: --compare '{{.*}}signatures.mlir': the signature of @other_result differs from that of @ok in '{{.*}}signatures.mlir'
// SIG: exit code: 2

// RUN: sh %S/Inputs/exit-code.sh sparsity-run %S/Inputs/signatures.mlir --entry=ok --compare=%S/Inputs/signatures.mlir --compare=%t/missing.mlir | FileCheck %s --check-prefix=TWOREF
// TWOREF: error: --compare: give one .mlir reference, not '{{.*}}signatures.mlir' and '{{.*}}missing.mlir'
// TWOREF: exit code: 2

// RUN: sh %S/Inputs/exit-code.sh sparsity-run %S/Inputs/signatures.mlir --entry=ok --compare=%S/Inputs/signatures.mlir --compare=%t/x2.npy | FileCheck %s --check-prefix=MIXED
// MIXED: error: --compare: give either one .mlir reference or .npy files, not both
// MIXED: exit code: 2

// RUN: sh %S/Inputs/exit-code.sh sparsity-run %S/Inputs/signatures.mlir --entry=ok --compare=%t/missing.mlir | FileCheck %s --check-prefix=REFMISSING
// REFMISSING: error: --compare: cannot read '{{.*}}missing.mlir': {{[Nn]}}o such file or directory
// REFMISSING: exit code: 2

// RUN: sh %S/Inputs/exit-code.sh sparsity-run %S/Inputs/signatures.mlir --entry=ok --compare=%S/Inputs/signatures.mlir --ref-entry=nope | FileCheck %s --check-prefix=REFENTRY
// REFENTRY: error: {{.*}}signatures.mlir: no function '@nope' to run
// REFENTRY: exit code: 2

// RUN: sh %S/Inputs/exit-code.sh sparsity-run %S/Inputs/signatures.mlir --entry=ok --compare=%t/missing.npy | FileCheck %s --check-prefix=CMPMISSING
// CMPMISSING: error: --compare: cannot read '{{.*}}missing.npy'
// CMPMISSING: exit code: 2

// RUN: not ls %t/jit

// RUN: sh %S/Inputs/exit-code.sh sparsity-run %S/Inputs/signatures.mlir --entry=ok --output-dir=%t/file | FileCheck %s --check-prefix=NOTDIR
// NOTDIR: error: --output-dir: '{{.*}}file' is not a directory
// NOTDIR: exit code: 2

// RUN: sh %S/Inputs/exit-code.sh sparsity-run %S/Inputs/signatures.mlir --entry=ok --output-dir=%t/file/sub | FileCheck %s --check-prefix=OUTDIR
// OUTDIR: error: --output-dir: cannot create '{{.*}}file/sub':
// OUTDIR: exit code: 2

// All outputs or none: out0.npy cannot replace a directory, so out1.npy is
// not written either and no temporary file is left.
// RUN: mkdir -p %t/partial/out0.npy
// RUN: sh %S/Inputs/exit-code.sh sparsity-run %S/Inputs/signatures.mlir --entry=two --output-dir=%t/partial | FileCheck %s --check-prefix=PARTIAL
// PARTIAL: error: --output-dir: cannot write '{{.*}}out0.npy':
// PARTIAL: exit code: 2
// RUN: ls %t/partial | count 1

// RUN: sh %S/Inputs/exit-code.sh sparsity-run %S/Inputs/signatures.mlir --no-such-flag | FileCheck %s --check-prefix=FLAG
// FLAG: Unknown command line argument '--no-such-flag'
// FLAG: exit code: 2

// RUN: sh %S/Inputs/exit-code.sh sparsity-run | FileCheck %s --check-prefix=NOFILE
// NOFILE: error: no input file (usage: sparsity-run [options] file.mlir; see --help)
// NOFILE: exit code: 2

// RUN: sh %S/Inputs/exit-code.sh sparsity-run %S/Inputs/signatures.mlir --entry=ok --rtol=-1 | FileCheck %s --check-prefix=TOL
// TOL: error: --rtol and --atol must be non-negative
// TOL: exit code: 2

// RUN: sh %S/Inputs/exit-code.sh sparsity-run %S/Inputs/signatures.mlir --entry=ok --opt-level=7 | FileCheck %s --check-prefix=OPT
// OPT: error: --opt-level must be 0, 1, 2 or 3
// OPT: exit code: 2

// RUN: sh %S/Inputs/exit-code.sh sparsity-run %S/Inputs/signatures.mlir --entry=ok --shared-libs=%t/missing.so | FileCheck %s --check-prefix=LIBS
// LIBS: error: --shared-libs: cannot find '{{.*}}missing.so'
// LIBS: exit code: 2
