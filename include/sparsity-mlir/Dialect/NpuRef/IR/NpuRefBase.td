//===- NpuRefBase.td - npu_ref dialect definition ----------*- tablegen -*-===//
//
// Part of sparsity-mlir. The `npu_ref` dialect: the instructions of the
// modeled npu-ref accelerator, as executed by `sparsity-sim`.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSITY_MLIR_DIALECT_NPUREF_IR_NPUREFBASE_TD
#define SPARSITY_MLIR_DIALECT_NPUREF_IR_NPUREFBASE_TD

include "mlir/IR/OpBase.td"

def NpuRef_Dialect : Dialect {
  let name = "npu_ref";
  let cppNamespace = "::mlir::npu_ref";
  let summary = "Instructions of the modeled npu-ref accelerator";
  let description = [{
    The `npu_ref` dialect holds the instructions of `npu-ref`, the modeled
    weight-stationary accelerator of docs/npu-ref.md: an array of `cols`
    output lanes that each reduce `rows` elements per cycle, with
    zero-skipping of all-zero groups of `group` consecutive reduction
    elements.

    Its only instruction is `npu_ref.gemm`: one weight layer in matrix form,
    with the weights packed at compile time into the exact format the
    machine reads (dense `W[n][k]`, or the zero-skip bitmap and values of
    `packZeroSkip`). Everything around it (the im2col gather of the
    activations, the reshape of the result, the bias) stays in host
    `linalg`/`tensor` ops. `--sparsity-lower` produces these ops and
    `sparsity-sim` executes them, counting cycles from the packed bitmaps.
  }];
}

/// Base class of every op of the dialect.
class NpuRef_Op<string mnemonic, list<Trait> traits = []>
    : Op<NpuRef_Dialect, mnemonic, traits>;

#endif // SPARSITY_MLIR_DIALECT_NPUREF_IR_NPUREFBASE_TD
