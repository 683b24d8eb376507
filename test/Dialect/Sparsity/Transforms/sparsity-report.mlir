// RUN: sparsity-opt %s --sparsity-report="format=json output=%t.json" -o %t.mlir 2>&1 | FileCheck %s --check-prefix=REMARK
// RUN: FileCheck %s --check-prefix=JSON < %t.json
// The IR is unchanged.
// RUN: sparsity-opt %s | diff - %t.mlir
// RUN: sparsity-opt %s --sparsity-report=format=csv -o /dev/null 2>/dev/null | FileCheck %s --check-prefix=CSV
// RUN: sparsity-opt %s --sparsity-report=format=md -o /dev/null 2>/dev/null | FileCheck %s --check-prefix=MD

// Two convolutions: conv1 has a zero filter (output channel 1), which makes
// conv2's input channel 1 zero (see test/Analysis/op-sparsity.mlir for the
// arithmetic). 60 params, 18 zero; 540 MACs, 180 saved.

// REMARK: remark: sparsity report: 2 layers, s_param = 30.00% (18 of 60 weights zero), s_op = 33.33% (180 of 540 MACs saved), 540 MACs in all, 0 not counted

// JSON: "schema": "sparsity-report/1",
// JSON-NEXT: "model": {
// JSON-NEXT: "layers": 2,
// JSON-NEXT: "params": 60,
// JSON-NEXT: "zero_params": 18,
// JSON-NEXT: "param_sparsity": 0.29999999999999999,
// JSON-NEXT: "macs": 540,
// JSON-NEXT: "saved_macs": 180,
// JSON-NEXT: "saved_macs_unstructured": 0,
// JSON-NEXT: "saved_macs_structured": 162,
// JSON-NEXT: "saved_macs_propagated": 18,
// JSON-NEXT: "op_sparsity": 0.33333333333333331,
// JSON-NEXT: "all_macs": 540,
// JSON-NEXT: "elementwise_ops": 27,
// JSON-NEXT: "saved_elementwise_ops": 9,
// JSON-NEXT: "uncounted_layers": 0
// JSON: "layers": [
// JSON: "name": "conv1",
// JSON-NEXT: "op": "linalg.conv_2d_nchw_fchw",
// JSON-NEXT: "function": "main",
// JSON-NEXT: "weight_operand": 1,
// JSON-NEXT: "weight_shape": [
// JSON-NEXT: 3,
// JSON-NEXT: 2,
// JSON-NEXT: 3,
// JSON-NEXT: 3
// JSON-NEXT: ],
// JSON-NEXT: "weight_type": "f32",
// JSON-NEXT: "declared": false,
// JSON-NEXT: "zeros_exact": true,
// JSON-NEXT: "params": 54,
// JSON-NEXT: "zero_params": 18,
// JSON-NEXT: "param_sparsity": 0.33333333333333331,
// JSON-NEXT: "uses": 9,
// JSON-NEXT: "macs": 486,
// JSON-NEXT: "saved_macs": 162,
// JSON-NEXT: "saved_macs_unstructured": 0,
// JSON-NEXT: "saved_macs_structured": 162,
// JSON-NEXT: "saved_macs_propagated": 0,
// JSON-NEXT: "op_sparsity": 0.33333333333333331,
// JSON-NEXT: "out_dim": 0,
// JSON-NEXT: "in_dim": 1,
// JSON-NEXT: "zero_out_channels": [
// JSON-NEXT: 1
// JSON-NEXT: ],
// JSON-NEXT: "zero_in_channels": [],
// JSON-NEXT: "nm": null,
// JSON-NEXT: "block": {
// JSON-NEXT: "shape": [
// JSON-NEXT: 1,
// JSON-NEXT: 2,
// JSON-NEXT: 3,
// JSON-NEXT: 3
// JSON-NEXT: ],
// JSON-NEXT: "nonzero_blocks": 2
// JSON-NEXT: }
// JSON: "name": "conv2",
// JSON: "saved_macs_propagated": 18,
// JSON: "uncounted": []

// CSV: name,op,weight_shape,weight_type,params,zero_params,param_sparsity,uses,macs,saved_macs,saved_macs_unstructured,saved_macs_structured,saved_macs_propagated,op_sparsity,zero_out_channels,zero_in_channels,nm,block
// CSV-NEXT: conv1,linalg.conv_2d_nchw_fchw,3x2x3x3,f32,54,18,0.333333,9,486,162,0,162,0,0.333333,1,0,,1x2x3x3
// CSV-NEXT: conv2,linalg.conv_2d_nchw_fchw,2x3x1x1,f32,6,0,0.000000,9,54,18,0,0,18,0.333333,0,0,,
// CSV-NEXT: TOTAL,,,,60,18,0.300000,,540,180,0,162,18,0.333333,,,,

// MD: | sparsity | s_param = 30.00% | s_op = 33.33% |
// MD: | layer | op | weight | params | s_param | uses | MACs | saved MACs | s_op | zero out/in ch. | N:M | block |
// MD: | conv1 | linalg.conv_2d_nchw_fchw | 3x2x3x3 f32 | 54 | 33.33% | 9 | 486 | 162 | 33.33% | 1/0 |  | 1x2x3x3 |
// MD: | conv2 | linalg.conv_2d_nchw_fchw | 2x3x1x1 f32 | 6 | 0.00% | 9 | 54 | 18 | 33.33% | 0/0 |  |  |

func.func @main(%x: tensor<1x2x5x5xf32>) -> tensor<1x2x3x3xf32> {
  %zero = arith.constant 0.0 : f32
  %w1 = arith.constant dense<[[[[1.0, 1.25, 1.5], [1.25, 1.5, 1.0], [1.5, 1.0, 1.25]], [[1.25, 1.5, 1.0], [1.5, 1.0, 1.25], [1.0, 1.25, 1.5]]], [[[0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]], [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]], [[[1.5, 1.0, 1.25], [1.0, 1.25, 1.5], [1.25, 1.5, 1.0]], [[1.0, 1.25, 1.5], [1.25, 1.5, 1.0], [1.5, 1.0, 1.25]]]]> : tensor<3x2x3x3xf32>
  %w2 = arith.constant dense<[[[[0.5]], [[1.5]], [[2.5]]], [[[1.5]], [[2.5]], [[3.5]]]]> : tensor<2x3x1x1xf32>
  %e1 = tensor.empty() : tensor<1x3x3x3xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<1x3x3x3xf32>) -> tensor<1x3x3x3xf32>
  %c1 = linalg.conv_2d_nchw_fchw ins(%x, %w1 : tensor<1x2x5x5xf32>, tensor<3x2x3x3xf32>) outs(%f1 : tensor<1x3x3x3xf32>) -> tensor<1x3x3x3xf32> loc("conv1")
  %r = linalg.generic {indexing_maps = [affine_map<(n, c, h, w) -> (n, c, h, w)>, affine_map<(n, c, h, w) -> (n, c, h, w)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%c1 : tensor<1x3x3x3xf32>) outs(%e1 : tensor<1x3x3x3xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x3x3x3xf32>
  %e2 = tensor.empty() : tensor<1x2x3x3xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %c2 = linalg.conv_2d_nchw_fchw ins(%r, %w2 : tensor<1x3x3x3xf32>, tensor<2x3x1x1xf32>) outs(%f2 : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32> loc("conv2")
  return %c2 : tensor<1x2x3x3xf32>
}
