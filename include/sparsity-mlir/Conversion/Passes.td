//===- Passes.td - sparsity-mlir conversion passes ---------*- tablegen -*-===//
//
// Part of sparsity-mlir. Lowerings of planned layers to target instructions.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSITY_MLIR_CONVERSION_PASSES_TD
#define SPARSITY_MLIR_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def SparsityLowerPass : Pass<"sparsity-lower", "ModuleOp"> {
  let summary = "Lower planned weight layers to npu-ref instructions or to "
                "generated AVX-512 kernels, with packed weights";
  let description = [{
    The target's kind decides the form.

    **npu-ref** (docs/npu-ref-dialect.md). Replaces every weight layer (a linalg convolution or contraction whose
    weight is a readable constant, as `--sparsity-report` counts them) by:

    1. a host-side im2col: one `linalg.generic` gathering the activations
       into `tensor<G x M x K x f32>` (`G` groups, `M` activation rows, `K`
       reduction elements per group), reading a padded input (`tensor.pad`)
       as it is;
    2. one `npu_ref.gemm` holding the weights packed at compile time:
       `W[n][k]` in `dense` mode, or the bit-exact zero-skip bitmap and
       values of the target's group size in `zskip` mode;
    3. one `linalg.generic` that reads the `M x N` result in the layer's
       output layout and adds the layer's initial value (its bias broadcast
       or zero fill), since the layer accumulates into it.

    The implementation of each layer is, in order: the user override
    `sparsity.impl = "dense" | "zskip"` on the layer op, the `choice` of its
    `#sparsity.plan` (from `--sparsity-plan` for the same target), or
    `dense`. An override that is not an implementation of the target is an
    error; a plan for another target leaves the layer alone.

    Supported: every layer whose weight indexing map is a projected
    permutation, whose output map is a permutation of its parallel
    dimensions, whose body is a plain f32 multiply-accumulate and whose
    group dimensions (weight dimensions shared by activation and output,
    e.g. the channels of a depthwise convolution) come first among the
    weight's output dimensions: `linalg.conv_2d_nchw_fchw` and the other
    named convolutions (strides, dilations), depthwise and grouped
    convolutions, `linalg.matmul` with the weight on either side and with
    transposed indexing maps, `linalg.batch_matmul` with a constant operand.
    Every other layer stays as it is, with a remark saying why.

    The module gets the resolved target description as its
    `sparsity.target` attribute, so that the lowered module is
    self-contained for `sparsity-sim`.

    Example: `sparsity-opt --sparsity-plan=target=npu-ref-g8
    --sparsity-lower=target=npu-ref-g8 model.mlir`.

    **x86-avx512** (docs/x86-avx512.md). Replaces every weight layer by a
    call of a generated private function on memrefs (`bufferization.to_buffer`
    of the activation and the initial value, a fresh output buffer,
    `bufferization.to_tensor` of it), written with the scf, vector and arith
    dialects, whose weights are packed at compile time into constant
    `memref.global`s. The implementations are `dense` (register-blocked FMA
    tiles), `csr` (row-CSR, vectorised along the activation rows),
    `pattern` (the csr loop unrolled with every non-zero an immediate, up to
    the target's `pattern_max_fmas` code-size guard) and `bitmap` (16-bit
    masks, decoded by `vector.expandload` or, with the target's
    `narrow.bitmap_decode` "permute", by vpermps, for layers with fewer
    than 16 activation rows); one that does not apply to a layer is replaced by `dense` with a
    remark. The generated outer loop is an `scf.parallel`, which
    `sparsity-cpu-pipeline{threads=N}` runs on N threads. The same layers as
    for npu-ref are supported. Example: `sparsity-opt
    --sparsity-plan=target=x86-avx512 --sparsity-lower=target=x86-avx512
    model.mlir | sparsity-run - --num-threads 2`.
  }];
  let options = [
    Option<"targetSpec", "target", "std::string", /*default=*/"\"\"",
           "Target: a preset name (npu-ref-g1, npu-ref-g8, x86-avx512), a "
           "JSON file, or "
           "'module' for the module's sparsity.target attribute (the "
           "default when it has one)">,
    Option<"inlineLimit", "inline-limit", "int64_t", /*default=*/"4096",
           "Packed payloads of at most this many elements are written as "
           "dense<...> literals, larger ones as dense_resource blobs">,
  ];
  let dependentDialects = [
    "::mlir::affine::AffineDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::func::FuncDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::LLVM::LLVMDialect",
    "::mlir::math::MathDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::npu_ref::NpuRefDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect",
  ];
}

#endif // SPARSITY_MLIR_CONVERSION_PASSES_TD
