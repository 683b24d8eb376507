// Invalid target descriptions and plan options: each is an error naming the
// place and the field, the run fails and writes nothing.
//
// From a file:
// RUN: not sparsity-opt %s --split-input-file --sparsity-plan="target=%S/Inputs/target-bad-group.json" -o %t.1 2>&1 | FileCheck %s --check-prefix=GROUP
// RUN: test ! -e %t.1
// RUN: not sparsity-opt %s --split-input-file --sparsity-plan="target=%S/Inputs/target-not-json.json" 2>&1 | FileCheck %s --check-prefix=JSON
// RUN: not sparsity-opt %s --split-input-file --sparsity-plan="target=npu-reff" 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// RUN: not sparsity-opt %s --split-input-file --sparsity-plan="target=npu-ref-g8 force=csr" 2>&1 | FileCheck %s --check-prefix=FORCE
// A description without zero_skip has only the dense implementation.
// RUN: not sparsity-opt %s --split-input-file --sparsity-plan="target=%S/Inputs/target-custom.json force=zskip" 2>&1 | FileCheck %s --check-prefix=NOZSKIP
//
// GROUP: error: sparsity-plan: target file '{{.*}}target-bad-group.json': field 'zero_skip.group': 3 does not divide 'array.rows' (16)
// JSON: error: sparsity-plan: target file '{{.*}}target-not-json.json': invalid JSON:
// UNKNOWN: error: sparsity-plan: target 'npu-reff' is neither a preset (npu-ref-g1, npu-ref-g8, x86-avx512) nor a readable file
// FORCE: error: sparsity-plan: force=csr is not an implementation of target 'npu-ref-g8' (dense, zskip)
// NOZSKIP: error: sparsity-plan: force=zskip is not an implementation of target 'wide-dram' (dense)
//
// From the module (-verify-diagnostics: the error is at the module):
// RUN: sparsity-opt %s --split-input-file --sparsity-plan -verify-diagnostics

// expected-error@+1 {{sparsity-plan: no target: give target=<preset>|<file.json> (presets: npu-ref-g1, npu-ref-g8, x86-avx512) or a 'sparsity.target' attribute on the module}}
module {
}

// -----

// The dialect verifier checks a module's target before any pass runs.
// expected-error@+1 {{the module's 'sparsity.target' attribute is not a dictionary}}
module attributes {sparsity.target = "npu-ref-g8"} {
}

// -----

// expected-error@+1 {{module attribute 'sparsity.target': field 'kind': missing}}
module attributes {sparsity.target = {name = "x"}} {
}

// -----

// expected-error@+1 {{field 'kind': 'tpu' is not a known kind (known: npu-ref, x86-avx512)}}
module attributes {sparsity.target = {name = "x", kind = "tpu"}} {
}

// -----

// expected-error@+1 {{module attribute 'sparsity.target': field 'clock_ghz': -1 is not a positive number}}
module attributes {sparsity.target = {name = "x", kind = "npu-ref", clock_ghz = -1.0 : f64}} {
}

// -----

// expected-error@+1 {{field 'array.cols': missing}}
module attributes {sparsity.target = {name = "x", kind = "npu-ref", clock_ghz = 1.0 : f64, element_bytes = 4 : i64, dram_bytes_per_cycle = 32.0 : f64, activation_buffer_bytes = 0 : i64, array = {rows = 16 : i64}}} {
}

// -----

// expected-error@+1 {{field 'array.tile_k': expected an integer}}
module attributes {sparsity.target = {name = "x", kind = "npu-ref", clock_ghz = 1.0 : f64, element_bytes = 4 : i64, dram_bytes_per_cycle = 32.0 : f64, activation_buffer_bytes = 0 : i64, array = {rows = 16 : i64, cols = 32 : i64, tile_k = "big", fill_cycles = 0 : i64}}} {
}

// -----

// expected-error@+1 {{field 'zero_skip.group': 32 does not divide 'array.rows' (16)}}
module attributes {sparsity.target = {name = "x", kind = "npu-ref", clock_ghz = 1.0 : f64, element_bytes = 4 : i64, dram_bytes_per_cycle = 32.0 : f64, activation_buffer_bytes = 0 : i64, array = {rows = 16 : i64, cols = 32 : i64, tile_k = 256 : i64, fill_cycles = 0 : i64}, zero_skip = {group = 32 : i64, decode_cycles = 0 : i64}}} {
}

// -----

// expected-error@+1 {{field 'zero_skip.decode': unknown field}}
module attributes {sparsity.target = {name = "x", kind = "npu-ref", clock_ghz = 1.0 : f64, element_bytes = 4 : i64, dram_bytes_per_cycle = 32.0 : f64, activation_buffer_bytes = 0 : i64, array = {rows = 16 : i64, cols = 32 : i64, tile_k = 256 : i64, fill_cycles = 0 : i64}, zero_skip = {group = 8 : i64, decode_cycles = 0 : i64, decode = 1 : i64}}} {
}

// -----

// expected-error@+1 {{field 'array.rows': expected a string, integer, float, bool or dictionary}}
module attributes {sparsity.target = {name = "x", kind = "npu-ref", array = {rows = [16]}}} {
}

// -----

// A user override that the target does not have is an error at the layer.
module attributes {sparsity.target = {name = "x", kind = "npu-ref", clock_ghz = 1.0 : f64, element_bytes = 4 : i64, dram_bytes_per_cycle = 32.0 : f64, activation_buffer_bytes = 0 : i64, array = {rows = 16 : i64, cols = 32 : i64, tile_k = 256 : i64, fill_cycles = 0 : i64}}} {
  func.func @f(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
    %w = arith.constant dense<1.0> : tensor<4x4xf32>
    %z = arith.constant 0.0 : f32
    %e = tensor.empty() : tensor<2x4xf32>
    %f = linalg.fill ins(%z : f32) outs(%e : tensor<2x4xf32>) -> tensor<2x4xf32>
    // expected-error@+1 {{sparsity-plan: sparsity.impl = "zskip" is not an implementation of target 'x' (dense)}}
    %r = linalg.matmul {sparsity.impl = "zskip"} ins(%x, %w : tensor<2x4xf32>, tensor<4x4xf32>) outs(%f : tensor<2x4xf32>) -> tensor<2x4xf32>
    return %r : tensor<2x4xf32>
  }
}

// -----

module attributes {sparsity.target = {name = "x", kind = "npu-ref", clock_ghz = 1.0 : f64, element_bytes = 4 : i64, dram_bytes_per_cycle = 32.0 : f64, activation_buffer_bytes = 0 : i64, array = {rows = 16 : i64, cols = 32 : i64, tile_k = 256 : i64, fill_cycles = 0 : i64}}} {
  func.func @f(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
    %w = arith.constant dense<1.0> : tensor<4x4xf32>
    %z = arith.constant 0.0 : f32
    %e = tensor.empty() : tensor<2x4xf32>
    %f = linalg.fill ins(%z : f32) outs(%e : tensor<2x4xf32>) -> tensor<2x4xf32>
    // expected-error@+1 {{sparsity.impl = 3 : i64 must be a string naming an implementation (e.g. "dense")}}
    %r = linalg.matmul {sparsity.impl = 3} ins(%x, %w : tensor<2x4xf32>, tensor<4x4xf32>) outs(%f : tensor<2x4xf32>) -> tensor<2x4xf32>
    return %r : tensor<2x4xf32>
  }
}
