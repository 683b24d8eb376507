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
    Option<"format", "format", "::mlir::sparsity::ReportFormat",
           /*default=*/"::mlir::sparsity::ReportFormat::Json",
           "Report format: json, csv or md">,
    Option<"output", "output", "std::string", /*default=*/"\"-\"",
           "File to write the report to ('-' for stdout)">,
  ];
}

def SparsityPrunePass : Pass<"sparsity-prune", "::mlir::ModuleOp"> {
  let summary = "Magnitude-prune constant weights to an exact budget";
  let description = [{
    One-shot magnitude pruning of the constant weights of the layers that
    `--sparsity-report` counts. The pruned elements are set to zero in the
    constants (a `dense_resource` stays a `dense_resource`), the pruned
    weights are annotated with their new pattern, and a remark gives the
    parameter and operation sparsity achieved. docs/pruning.md describes the
    selection algorithm.

    * `granularity=unstructured`: single weights. `target` is the share of
      parameters (`metric=params`) or of MACs (`metric=ops`, op-guided: a
      weight's score is its magnitude divided by the MACs it takes part in)
      to remove, over the whole model (`scope=global`) or in every layer
      (`scope=layer`).
    * `granularity=channel`: output channels (filters). Channels coupled
      through residual additions or depthwise convolutions form one group and
      are pruned together, scored by the group's norm.
    * `granularity=nm`: N:M (`nm=2:4`) along each layer's input-channel
      dimension; `target` is not used.
    * `granularity=block`: blocks of `block=RxC` output x input channels
      (whole kernel windows), scored by their norm.
    * `structured=F` (hybrid, the paper's "best of both"): channels are
      pruned to `F` first, then single weights up to `target`.
    * `hybrid=auto device=<target>` (with `metric=ops`): chooses `F` for
      you. For each of `hybrid-steps + 1` shares `F = target * i / steps`
      it prunes channels to `F` and single weights up to `target`, folds
      the pruned channels away (as `--sparsity-fold-structured` would) on a
      copy of the module, and predicts the latency of the result on the
      device with the cost model of `--sparsity-plan` (every layer at its
      fastest implementation). The split with the lowest predicted latency
      is applied, and a remark lists every split with its prediction.
      `device` is a target preset, a JSON description or `module`.

    Ties are broken by position, so the output is deterministic. Layers whose
    name matches `exclude` are left alone, and every layer keeps at least
    `min-kept` weights (one channel, one block). Invalid options are errors
    naming the option, and the IR is left untouched.
  }];
  let options = [
    Option<"granularity", "granularity", "::mlir::sparsity::PruneGranularity",
           /*default=*/"::mlir::sparsity::PruneGranularity::Unstructured",
           "What is pruned: unstructured, channel, nm or block">,
    Option<"criterion", "criterion", "::mlir::sparsity::PruneCriterion",
           /*default=*/"::mlir::sparsity::PruneCriterion::L1",
           "Magnitude norm: l1 or l2">,
    Option<"target", "target", "double", /*default=*/"0.5",
           "Share of the metric to remove, in [0, 1)">,
    Option<"metric", "metric", "::mlir::sparsity::PruneMetric",
           /*default=*/"::mlir::sparsity::PruneMetric::Params",
           "What target counts: params or ops (MACs)">,
    Option<"scope", "scope", "::mlir::sparsity::PruneScope",
           /*default=*/"::mlir::sparsity::PruneScope::Global",
           "Where target applies: global (whole model) or layer (each)">,
    Option<"structured", "structured", "double", /*default=*/"0.0",
           "Hybrid: share pruned as whole channels before single weights">,
    Option<"nm", "nm", "::mlir::sparsity::NMShape",
           /*default=*/"::mlir::sparsity::NMShape{2, 4}",
           "N:M for granularity=nm (1 <= N <= M)">,
    Option<"block", "block", "::mlir::sparsity::BlockShape",
           /*default=*/"::mlir::sparsity::BlockShape{4, 4}",
           "Block RxC of output x input channels for granularity=block">,
    Option<"exclude", "exclude", "std::string", /*default=*/"\"\"",
           "Regular expression: layers whose name matches are not pruned">,
    Option<"minKept", "min-kept", "int64_t", /*default=*/"1",
           "Weights every layer keeps at least">,
    Option<"hybrid", "hybrid", "::mlir::sparsity::HybridSearch",
           /*default=*/"::mlir::sparsity::HybridSearch::None",
           "none, or auto: choose the structured share that minimises the "
           "predicted latency on `device`">,
    Option<"device", "device", "std::string", /*default=*/"\"\"",
           "Target of the hybrid=auto search: a preset, a JSON file or "
           "'module'">,
    Option<"hybridSteps", "hybrid-steps", "int64_t", /*default=*/"10",
           "Structured shares tried by hybrid=auto, besides 0 (1-100)">,
  ];
  let dependentDialects = ["::mlir::sparsity::SparsityDialect"];
}

def SparsityFoldStructuredPass
    : Pass<"sparsity-fold-structured", "::mlir::ModuleOp"> {
  let summary = "Remove pruned channels from the tensor shapes, exactly";
  let description = [{
    Finds the channels that no layer needs: output channels whose filters are
    all zero and input channels that every reader's weights ignore. Channels
    are followed through every op that carries them (bias and BatchNorm
    element-wise ops, activations, pooling, padding of other dimensions,
    residual additions, depthwise convolutions, reshapes with unit
    dimensions, flatten before a fully connected layer, transposes, concat
    and static slices with the indices remapped, and the split of a hidden
    dimension into attention heads, after which whole heads are the unit) to
    the contractions and convolutions that reduce over them. Everything that is
    coupled (a residual addition joins two layers' channels) forms one group,
    and a channel is removed from the whole group only where that is exact:

    * it is zero where every reducing layer reads it (or the reading layer's
      weights are zero there); or
    * it is a constant `k` (a zero filter with a bias `b` gives `act(b)`)
      that reaches a layer without zero padding between, and that layer's
      initial value is a constant bias or a fill: `k * sum(W[:, c, ...])` is
      folded into that bias.

    Every other channel is kept, and a remark per group lists the channels
    removed, the channels kept and why. A group that meets an op this pass
    does not understand (an `insert_slice`, a strided slice, a reshape that
    splits the channels off a head boundary, a reduction such as a LayerNorm
    mean, a function result or argument) is left alone with a remark naming
    the op. `fold-constants=false` removes zero channels only. The constants are
    sliced (a `dense_resource` stays a `dense_resource`), the weights are
    re-annotated, and a final remark gives the MACs before and after.
    docs/fold-structured.md describes the rules.
  }];
  let options = [
    Option<"foldConstants", "fold-constants", "bool", /*default=*/"true",
           "Also remove constant channels by folding them into the next "
           "layer's bias (changes the rounding of that layer's sums); "
           "false removes zero channels only">,
  ];
  let dependentDialects = ["::mlir::sparsity::SparsityDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::arith::ArithDialect"];
}


def SparsityPlanPass : Pass<"sparsity-plan", "::mlir::ModuleOp"> {
  let summary = "Choose each layer's implementation with a target's cost "
                "model";
  let description = [{
    For every weight-bearing layer that `--sparsity-report` counts, predicts
    the latency of every implementation the target has (on `npu-ref`:
    `dense`, and `zskip`, zero-skipping when the description has a
    `zero_skip` section) from the layer's shape, the statistics of its
    weight's zeros and the target description (docs/cost-model.md gives the
    formulas), and records the fastest as `sparsity.plan =
    #sparsity.plan<...>` on the layer op, with every candidate's predicted
    time in microseconds. The description is copied onto the module as the
    `sparsity.target` attribute, so that later passes and `sparsity-sim`
    read the same parameters.

    `target` is a preset name (`npu-ref-g1`, `npu-ref-g8`), the path of a
    JSON description (docs/targets.md is the schema), or `module` for the
    module's own `sparsity.target` attribute; left empty, the module's
    attribute is used. An invalid description is an error naming the
    field, and the IR is left untouched.

    A user override wins: a layer op carrying `sparsity.impl = "<impl>"`
    gets that implementation (the plan says `override = true`); an
    implementation the target does not have is an error at that op. `force`
    does the same for every layer without an override (for experiments and
    benchmarks). A layer whose weight cannot be read (a function argument,
    an elided resource, a weight behind a transpose) gets no plan, with a
    remark saying why. A module remark gives the predicted totals, which
    `--sparsity-report` also writes (`layers[].plan`,
    `model.predicted_us`).

    Example:

    ```
    sparsity-opt model.mlir --sparsity-plan="target=npu-ref-g8"
    sparsity-opt model.mlir --sparsity-plan="target=my-npu.json force=dense"
    ```
  }];
  let options = [
    Option<"targetSpec", "target", "std::string", /*default=*/"\"\"",
           "Target: a preset name, a JSON file, or 'module' (default: the "
           "module's sparsity.target attribute)">,
    Option<"force", "force", "std::string", /*default=*/"\"\"",
           "Implementation to use for every layer without a user override "
           "(default: the fastest predicted)">,
  ];
  let dependentDialects = ["::mlir::sparsity::SparsityDialect"];
}

#endif // SPARSITY_MLIR_DIALECT_SPARSITY_TRANSFORMS_PASSES_TD
