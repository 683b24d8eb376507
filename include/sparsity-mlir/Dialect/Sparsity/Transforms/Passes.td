//===- Passes.td - sparsity dialect passes -----------------*- tablegen -*-===//
//
// Part of sparsity-mlir.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSITY_MLIR_DIALECT_SPARSITY_TRANSFORMS_PASSES_TD
#define SPARSITY_MLIR_DIALECT_SPARSITY_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def SparsityAnnotatePass : Pass<"sparsity-annotate"> {
  let summary = "Attach the exact sparsity pattern of constant weights";
  let description = [{
    Finds the constant weights of weight-bearing linalg ops (contractions
    such as `linalg.matmul`, and convolutions, recognised through the
    upstream linalg interfaces), read directly or through view-like ops
    (`linalg.transpose`, `tensor.collapse_shape`, `tensor.expand_shape`,
    `tensor.cast`), and ties to each one, with `sparsity.annotate` placed
    right after the constant, the pattern read from its values, in the
    constant's own shape:

    * `unstructured<nnz = K>`: the exact number of non-zero elements
      (`-0.0` counts as zero);
    * one `channels` component for every dimension that has all-zero slices
      (for an OIHW conv weight, dimension 0 lists the zero filters and
      dimension 1 the unused input channels);
    * `nm<N:M, dim = d>`: the tightest N:M (M in {4, 8, 16}, N <= M / 2,
      smallest N / M, then smallest M) along the input-channel dimension `d`
      of the weight as its user sees it (the `C` of a `fchw` filter, the `K`
      of a matmul's right-hand side), mapped back through the views;
    * `block<[b...], nonzero_blocks = K>`: the largest block shape (sizes
      powers of two up to 32, or a whole dimension of at most 7, such as a
      3x3 window) in which every block is all zero or all non-zero, when the
      zeros are not all in the zero slices already (slice pruning alone is
      trivially block-structured, and the `channels` say more).

    N:M is left out, with a remark saying why, when the weight-bearing users
    of the constant disagree on its input-channel dimension, or when a
    `collapse_shape` / `expand_shape` on the way merges or splits it, so that
    it is no single dimension of the constant (a merged group whose other
    dimensions have size 1 is fine).

    Payloads may be `dense`, splat or `dense_resource`, with element types
    f32, f16, bf16, f64 and integers of 8 to 64 bits. A weight that is
    already annotated (directly or between the constant and a view), or
    whose payload is not available (e.g. an elided `dense_resource`), is left
    alone with a remark saying why.

    Example:

    ```mlir
    %w = arith.constant dense<[[0.0, 0.0], [1.0, 2.0]]> : tensor<2x2xf32>
    %r = linalg.matmul ins(%x, %w : tensor<4x2xf32>, tensor<2x2xf32>) ...
    // becomes
    %a = sparsity.annotate %w pattern<channels<dim = 0, pruned = [0]>,
                                      unstructured<nnz = 2>>
         : tensor<2x2xf32>
    %r = linalg.matmul ins(%x, %a : tensor<4x2xf32>, tensor<2x2xf32>) ...

    // An FC weight [K, N] with two non-zeros in every 4 rows of a column:
    %a = sparsity.annotate %w pattern<unstructured<nnz = 2048>,
                                      nm<2:4, dim = 0>> : tensor<1024x4xf32>
    // A conv weight pruned by whole 3x3 kernels:
    %a = sparsity.annotate %w pattern<unstructured<nnz = 5760>,
                                      block<[1, 1, 3, 3], nonzero_blocks = 640>>
         : tensor<64x32x3x3xf32>
    ```
  }];
  let dependentDialects = ["::mlir::sparsity::SparsityDialect"];
}

def SparsityStripAnnotationsPass : Pass<"sparsity-strip-annotations"> {
  let summary = "Remove every sparsity.annotate, forwarding its operand";
  let description = [{
    Replaces each `sparsity.annotate` by its operand. Use it before handing
    IR to a tool that does not know the `sparsity` dialect; the computation
    is unchanged because the carrier is an identity.
  }];
}

def SparsityReportPass : Pass<"sparsity-report", "::mlir::ModuleOp"> {
  let summary = "Report parameter and operation-saving sparsity per layer";
  let description = [{
    Counts, for every weight-bearing layer (linalg convolutions, including
    depthwise and grouped ones, matmuls and batch matmuls with a constant or
    annotated weight), its parameters and zero parameters, the MACs each weight
    element takes part in (`uses`), the dense MACs and the MACs its zeros save,
    and the totals over the module: parameter sparsity `s_param` and
    operation sparsity `s_op = saved MACs / MACs`. Saved MACs are split into
    unstructured, structured (all-zero channel slices of the weight) and
    propagated (weights made useless by a provably zero input channel or a
    provably unused output channel); docs/op-sparsity.md defines each figure
    and the JSON schema.

    The IR is not changed. The report goes to `output` (`-`, the default, is
    stdout; a file is only written once the report is complete) in the chosen
    `format`. A summary remark is attached to the module, and a remark names
    every layer that could not be counted (e.g. dynamic sizes) and why.

    Example:

    ```
    sparsity-opt model.mlir --sparsity-report="format=md"
    sparsity-opt model.mlir --sparsity-report="format=json output=report.json"
    ```
  }];
  let options = [
    Option<"format", "format", "std::string", /*default=*/"\"json\"",
           "Report format: json, csv or md">,
    Option<"output", "output", "std::string", /*default=*/"\"-\"",
           "File to write the report to ('-' for stdout)">,
  ];
}

#endif // SPARSITY_MLIR_DIALECT_SPARSITY_TRANSFORMS_PASSES_TD
