//===- NpuRefOps.td - npu_ref dialect ops ------------------*- tablegen -*-===//
//
// Part of sparsity-mlir. The instructions of the npu-ref accelerator.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSITY_MLIR_DIALECT_NPUREF_IR_NPUREFOPS_TD
#define SPARSITY_MLIR_DIALECT_NPUREF_IR_NPUREFOPS_TD

include "sparsity-mlir/Dialect/NpuRef/IR/NpuRefBase.td"
include "sparsity-mlir/Target/NpuRefEnums.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"
include "mlir/IR/CommonAttrConstraints.td"
include "mlir/IR/CommonTypeConstraints.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def NpuRef_GemmOp : NpuRef_Op<"gemm", [Pure]> {
  let summary = "One weight layer on the array, with packed weights";
  let description = [{
    Multiplies im2col'd activations by a weight matrix `W[n][k]` held in the
    op, packed in the format the machine reads:

    ```
    result[m][g * (N / G) + j] = sum_r activation[g][m][r] * W[g * (N / G) + j][r]
    ```

    for `g < G` (`groups`), `m < M`, `j < N / G` and `r < K`: the activation
    is `tensor<G x M x K x f32>` and the result `tensor<M x N x f32>`. A dense
    layer has `G = 1`; a grouped or depthwise convolution reads its own
    activations per group of outputs. The result does not include the
    layer's bias: the host adds the layer's initial value afterwards.

    `mode` selects the weight format:

    * `"dense"`: `weights` holds `W` as `tensor<N x K x f32>`.
    * `"zskip"`: the zero-skip format of docs/npu-ref.md, exactly what
      `packZeroSkip` produces: `bitmap` (`tensor<B x i8>`, one bit per group
      of `group` reduction elements of every lane of every tile, least
      significant bit first, each lane padded to whole bytes) and `values`
      (`tensor<V x f32>`, `group` values per kept group, in bitmap order).
      The packing parameters the format depends on are part of the op:
      `cols` (lanes per tile), `tile_k` (reduction elements per tile) and
      `group`. `sparsity-sim` requires them to equal the module's
      `sparsity.target`.

    Either payload may be `dense` or `dense_resource`. `layer` names the
    layer in reports; `activation_elements` is the size of the layer's
    original activation tensor (before im2col), which sets its DRAM traffic.
    `predicted_us`, when present, is the latency the cost model of
    `--sparsity-plan` predicted for this layer in this mode (a finite number
    >= 0); `sparsity-sim` prints it next to the exact count.

    Example (2 outputs, 16 reduction elements, groups of 8: lane 0 keeps its
    first group, lane 1 its second):

    ```mlir
    %r = npu_ref.gemm %act layer("fc") mode("zskip") {
           activation_elements = 64 : i64, cols = 32 : i64, tile_k = 256 : i64,
           group = 8 : i64,
           bitmap = dense<[1, 2]> : tensor<2xi8>,
           values = dense<1.0> : tensor<16xf32>}
         : tensor<1x4x16xf32> -> tensor<4x2xf32>
    ```
  }];

  let arguments = (ins
    TensorRankOf<[F32], [3]>:$activation,
    StrAttr:$layer,
    NpuRefMode:$mode,
    I64Attr:$activation_elements,
    OptionalAttr<ElementsAttr>:$weights,
    OptionalAttr<ElementsAttr>:$bitmap,
    OptionalAttr<ElementsAttr>:$values,
    OptionalAttr<I64Attr>:$cols,
    OptionalAttr<I64Attr>:$tile_k,
    OptionalAttr<I64Attr>:$group,
    OptionalAttr<F64Attr>:$predicted_us
  );
  let results = (outs TensorRankOf<[F32], [2]>:$result);

  let assemblyFormat = [{
    $activation `layer` `(` $layer `)` `mode` `(` custom<QuotedMode>($mode) `)` attr-dict
    `:` type($activation) `->` type($result)
  }];

  let hasVerifier = 1;

  let extraClassDeclaration = [{
    /// Number of activation rows (M).
    int64_t getM();
    /// Reduction length of one group (K).
    int64_t getK();
    /// Number of outputs (N), over all groups.
    int64_t getN();
    /// Number of groups (G).
    int64_t getGroups();
    /// Whether the op uses the zero-skip format.
    bool isZeroSkip() { return getMode() == ::mlir::sparsity::NpuRefMode::ZeroSkip; }

    /// The dense weights `W[n][k]` (dense mode), or std::nullopt when the
    /// payload cannot be read (a `dense_resource` without data).
    std::optional<std::vector<float>> readWeights();
    /// The zero-skip bitmap bytes, or std::nullopt (as above).
    std::optional<std::vector<uint8_t>> readBitmap();
    /// The zero-skip values, or std::nullopt (as above).
    std::optional<std::vector<float>> readValues();
  }];
}

#endif // SPARSITY_MLIR_DIALECT_NPUREF_IR_NPUREFOPS_TD
