// Every supported element type, a rank-0 tensor and several results: each
// result doubles (or triples) its argument; the expected values are worked
// out by hand, including i8 wrap-around (2 x 100 = 200 = -56 mod 256) and an
// i64 value beyond 32 bits. Elementwise arith on whole tensors goes through
// convert-elementwise-to-linalg in the pipeline.

// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/npy.py write %t/a.npy i1 3 100,-3,7
// RUN: %python %S/Inputs/npy.py write %t/b.npy i4 2,2 1,-2,3,-4
// RUN: %python %S/Inputs/npy.py write %t/c.npy i8 3 5000000000,-1,0
// RUN: %python %S/Inputs/npy.py write %t/d.npy f8 2 0.25,1e300
// RUN: %python %S/Inputs/npy.py write %t/e.npy f2 2 1.5,-2
// RUN: %python %S/Inputs/npy.py write %t/f.npy f4 "" 2.5
// RUN: sparsity-run %s --input=%t/a.npy --input=%t/b.npy --input=%t/c.npy \
// RUN:   --input=%t/d.npy --input=%t/e.npy --input=%t/f.npy --print-outputs \
// RUN:   --output-dir=%t/out | FileCheck %s
// CHECK: out0: tensor<3xi8> = [-56, -6, 14]
// CHECK: out1: tensor<2x2xi32> = [2, -4, 6, -8]
// CHECK: out2: tensor<3xi64> = [10000000000, -2, 0]
// CHECK: out3: tensor<2xf64> = [0.5, 2e+300]
// CHECK: out4: tensor<2xf16> = [3, -4]
// CHECK: out5: tensor<f32> = [7.5]

// The written files carry the right dtype and shape.
// RUN: %python %S/Inputs/npy.py dump %t/out/out0.npy | FileCheck %s --check-prefix=OUT0
// RUN: %python %S/Inputs/npy.py dump %t/out/out2.npy | FileCheck %s --check-prefix=OUT2
// RUN: %python %S/Inputs/npy.py dump %t/out/out4.npy | FileCheck %s --check-prefix=OUT4
// RUN: %python %S/Inputs/npy.py dump %t/out/out5.npy | FileCheck %s --check-prefix=OUT5
// OUT0: |i1 (3,): -56 -6 14
// OUT2: <i8 (3,): 10000000000 -2 0
// OUT4: <f2 (2,): 3 -4
// OUT5: <f4 (): 7.5

// One .npy per result, in order; integers compare exactly by default.
// RUN: %python %S/Inputs/npy.py write %t/r0.npy i1 3 -56,-6,14
// RUN: %python %S/Inputs/npy.py write %t/r1.npy i4 2,2 2,-4,6,-8
// RUN: %python %S/Inputs/npy.py write %t/r2.npy i8 3 10000000000,-2,1
// RUN: %python %S/Inputs/npy.py write %t/r3.npy f8 2 0.5,2e300
// RUN: %python %S/Inputs/npy.py write %t/r4.npy f2 2 3.01,-4
// RUN: %python %S/Inputs/npy.py write %t/r5.npy f4 "" 7.5
// RUN: sh %S/Inputs/exit-code.sh sparsity-run %s --input=%t/a.npy \
// RUN:   --input=%t/b.npy --input=%t/c.npy --input=%t/d.npy --input=%t/e.npy \
// RUN:   --input=%t/f.npy --compare=%t/r0.npy --compare=%t/r1.npy \
// RUN:   --compare=%t/r2.npy --compare=%t/r3.npy --compare=%t/r4.npy \
// RUN:   --compare=%t/r5.npy | FileCheck %s --check-prefix=CMP
// CMP: out0 (tensor<3xi8>) vs '{{.*}}r0.npy': match
// CMP: out1 (tensor<2x2xi32>) vs '{{.*}}r1.npy': match
// CMP: out2 (tensor<3xi64>) vs '{{.*}}r2.npy': MISMATCH in 1 of 3 elements, first at [2]: got 0, expected 1 ({{.*}}; rtol 0, atol 0)
// CMP: out3 (tensor<2xf64>) vs '{{.*}}r3.npy': match
// f16 tolerances default to rtol 1e-2 / atol 1e-3: 3 vs 3.01 (f16 3.0098) passes.
// CMP: out4 (tensor<2xf16>) vs '{{.*}}r4.npy': match ({{.*}}; rtol 0.01, atol 0.001)
// CMP: out5 (tensor<f32>) vs '{{.*}}r5.npy': match
// CMP: exit code: 1

func.func @main(%a: tensor<3xi8>, %b: tensor<2x2xi32>, %c: tensor<3xi64>,
                %d: tensor<2xf64>, %e: tensor<2xf16>, %f: tensor<f32>)
    -> (tensor<3xi8>, tensor<2x2xi32>, tensor<3xi64>, tensor<2xf64>,
        tensor<2xf16>, tensor<f32>) {
  %a2 = arith.addi %a, %a : tensor<3xi8>
  %b2 = arith.addi %b, %b : tensor<2x2xi32>
  %c2 = arith.addi %c, %c : tensor<3xi64>
  %d2 = arith.addf %d, %d : tensor<2xf64>
  %e2 = arith.addf %e, %e : tensor<2xf16>
  %f2 = arith.addf %f, %f : tensor<f32>
  %f3 = arith.addf %f2, %f : tensor<f32>
  return %a2, %b2, %c2, %d2, %e2, %f3
      : tensor<3xi8>, tensor<2x2xi32>, tensor<3xi64>, tensor<2xf64>,
        tensor<2xf16>, tensor<f32>
}
