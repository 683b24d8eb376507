//===- SparsityAttrs.td - sparsity pattern attributes ------*- tablegen -*-===//
//
// Part of sparsity-mlir. The pattern language: one attribute per kind of
// sparsity, and `#sparsity.pattern`, their conjunction on one weight.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSITY_MLIR_DIALECT_SPARSITY_IR_SPARSITYATTRS_TD
#define SPARSITY_MLIR_DIALECT_SPARSITY_IR_SPARSITYATTRS_TD

include "sparsity-mlir/Dialect/Sparsity/IR/SparsityBase.td"

//===----------------------------------------------------------------------===//
// ChannelsAttr
//===----------------------------------------------------------------------===//

def Sparsity_ChannelsAttr : Sparsity_Attr<"Channels", "channels"> {
  let summary = "Structured sparsity: index sets pruned along one dimension";
  let description = [{
    States that every slice of the weight at the listed indices of dimension
    `dim` is entirely zero. With `group = g` (default 1) each index names `g`
    consecutive slices, `[i * g, (i + 1) * g)`: that is how pruned attention
    heads of size 64 are written.

    Indices are sorted, unique and non-negative. Against a concrete tensor
    type, `dim` must be in range, `g` must divide the dimension size and
    every index must be below `size / g`.

    Examples:

    ```mlir
    // Output channels 1 and 3 of a conv weight (OIHW) are zero filters.
    #sparsity.channels<dim = 0, pruned = [1, 3]>
    // Heads 2 and 5 of a 768x768 projection with 64-wide heads.
    #sparsity.channels<dim = 0, pruned = [2, 5], group = 64>
    ```
  }];
  let parameters = (ins
    "int64_t":$dim,
    ArrayRefParameter<"int64_t", "pruned indices (in groups)">:$pruned,
    DefaultValuedParameter<"int64_t", "1">:$group
  );
  let assemblyFormat = [{
    `<` `dim` `=` $dim `,` `pruned` `=` custom<IndexList>($pruned)
        (`,` `group` `=` $group^)? `>`
  }];
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// Number of slices (of size 1 along `dim`) this component zeroes.
    int64_t getNumPrunedSlices() const {
      return static_cast<int64_t>(getPruned().size()) * getGroup();
    }
    /// Returns true if slice `index` (a plain index of `dim`, not a group
    /// index) is pruned.
    bool isSlicePruned(int64_t index) const;
  }];
}

//===----------------------------------------------------------------------===//
// UnstructuredAttr
//===----------------------------------------------------------------------===//

def Sparsity_UnstructuredAttr : Sparsity_Attr<"Unstructured", "unstructured"> {
  let summary = "Unstructured sparsity: exact non-zero count or a density bound";
  let description = [{
    Either the exact number of non-zero elements of the whole weight
    (`nnz = K`, what `--sparsity-annotate` writes for a constant), or a
    declared upper bound on the fraction of non-zero elements
    (`density = p`, with `p` in [0, 1]), for weights whose values are not
    known at compile time, such as function arguments. Exactly one of the
    two is given.

    Against a concrete tensor type, `nnz` cannot exceed the number of
    elements, nor what the other components of the same pattern allow.

    Examples:

    ```mlir
    #sparsity.unstructured<nnz = 1234>
    #sparsity.unstructured<density = 0.1>
    ```
  }];
  let parameters = (ins
    OptionalParameter<"std::optional<int64_t>", "exact non-zero count">:$nnz,
    OptionalParameter<"FloatAttr",
                      "upper bound on the non-zero fraction (f64)">:$density
  );
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// Returns `#sparsity.unstructured<nnz = nnz>`.
    static UnstructuredAttr getExact(::mlir::MLIRContext *context,
                                     int64_t nnz);
    /// Returns `#sparsity.unstructured<density = density>`.
    static UnstructuredAttr getBound(::mlir::MLIRContext *context,
                                     double density);
    /// Returns the declared density bound as a double, if any.
    std::optional<double> getDensityBound() const;
  }];
}

//===----------------------------------------------------------------------===//
// NMAttr
//===----------------------------------------------------------------------===//

def Sparsity_NMAttr : Sparsity_Attr<"NM", "nm"> {
  let summary = "N:M sparsity along one dimension";
  let description = [{
    Along dimension `dim`, every aligned group of `M` consecutive elements
    holds at most `N` non-zeros (`0 < N <= M`). `2:4` along the reduction
    dimension is what sparse tensor cores execute. Against a concrete tensor
    type, `M` must divide the size of `dim`.

    Example:

    ```mlir
    // 2:4 along the input channels of a row-major [out, in] FC weight.
    #sparsity.nm<2:4, dim = 1>
    ```
  }];
  let parameters = (ins "int64_t":$n, "int64_t":$m, "int64_t":$dim);
  let assemblyFormat = "`<` $n `` `:` `` $m `,` `dim` `=` $dim `>`";
  let genVerifyDecl = 1;
}

//===----------------------------------------------------------------------===//
// BlockAttr
//===----------------------------------------------------------------------===//

def Sparsity_BlockAttr : Sparsity_Attr<"Block", "block"> {
  let summary = "Block sparsity: a block shape and the non-zero block count";
  let description = [{
    Tiles the weight into aligned blocks of the given shape (one size per
    dimension of the weight). With `nonzero_blocks = K`, exactly `K` of those
    blocks contain a non-zero and every other block is entirely zero.
    Without a count, it only declares the granularity at which the weight was
    pruned.

    Against a concrete tensor type, the block rank equals the tensor rank,
    every block size divides its dimension, and `K` does not exceed the
    number of blocks.

    Examples:

    ```mlir
    #sparsity.block<[4, 1], nonzero_blocks = 96>
    #sparsity.block<[1, 1, 3, 3]>
    ```
  }];
  let parameters = (ins
    ArrayRefParameter<"int64_t", "block shape">:$shape,
    OptionalParameter<"std::optional<int64_t>",
                      "exact number of blocks holding a non-zero">:$nonzeroBlocks
  );
  let assemblyFormat = [{
    `<` custom<IndexList>($shape)
        (`,` `nonzero_blocks` `=` $nonzeroBlocks^)? `>`
  }];
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// Number of elements of one block.
    int64_t getBlockVolume() const;
  }];
}

//===----------------------------------------------------------------------===//
// PatternAttr
//===----------------------------------------------------------------------===//

def Sparsity_PatternAttr : Sparsity_Attr<"Pattern", "pattern"> {
  let summary = "Everything known about the zeros of one weight";
  let description = [{
    The conjunction of sparsity components on one weight: any number of
    `channels` components (on distinct dimensions, listed in increasing
    dimension order), and at most one `unstructured`, one `nm` and one
    `block` component. Inside the pattern, components are written without
    the `#sparsity.` prefix. An empty pattern states nothing (a dense or
    unknown weight).

    A tensor satisfies the pattern when it satisfies every component, so a
    weight can be structured *and* unstructured at once: the hybrid sparsity
    of "best of both" pruning.

    The C++ API (`PatternAttr`) answers the questions passes ask: the exact
    or maximal number of non-zeros, the density, the kept channels of a
    dimension, whether one pattern implies another, and the composition of
    two patterns.

    Example:

    ```mlir
    // Filters 1 and 3 pruned, input channel 0 unused, 2:4 along the input
    // channels elsewhere, and 40 non-zeros in total.
    #sparsity.pattern<channels<dim = 0, pruned = [1, 3]>,
                      channels<dim = 1, pruned = [0]>,
                      unstructured<nnz = 40>, nm<2:4, dim = 1>>
    ```
  }];
  let parameters = (ins
    OptionalArrayRefParameter<"ChannelsAttr", "structured components">:$channels,
    OptionalParameter<"UnstructuredAttr">:$unstructured,
    OptionalParameter<"NMAttr">:$nm,
    OptionalParameter<"BlockAttr">:$block
  );
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let builders = [
    AttrBuilder<(ins), [{
      return $_get($_ctxt, ::llvm::ArrayRef<ChannelsAttr>{}, UnstructuredAttr{},
                   NMAttr{}, BlockAttr{});
    }]>
  ];
  let extraClassDeclaration = [{
    /// Returns true if the pattern states nothing.
    bool empty() const;

    /// Returns the channels component of `dim`, or null.
    ChannelsAttr getChannelsFor(int64_t dim) const;

    /// Returns the kept (not pruned) indices of `dim`, in units of that
    /// component's group, for a dimension of `dimSize` elements.
    ::llvm::SmallVector<int64_t> getKeptIndices(int64_t dim,
                                                int64_t dimSize) const;

    /// Returns the exact number of non-zeros, if the pattern states it.
    std::optional<int64_t> getExactNnz() const;

    /// Returns the largest number of non-zeros a tensor of `shape` can hold
    /// while satisfying every component; std::nullopt if `shape` is dynamic.
    std::optional<int64_t> getMaxNnz(::llvm::ArrayRef<int64_t> shape) const;

    /// Like getMaxNnz, but from the structural components only (channels,
    /// N:M, block), ignoring `unstructured`.
    std::optional<int64_t>
    getStructuralMaxNnz(::llvm::ArrayRef<int64_t> shape) const;

    /// Exact density (non-zeros / elements) if the pattern states `nnz`,
    /// std::nullopt otherwise or if `shape` is dynamic.
    std::optional<double> getDensity(::llvm::ArrayRef<int64_t> shape) const;

    /// Upper bound on the density for `shape`: the declared density, or the
    /// bound derived from the other components, whichever is smaller.
    std::optional<double> getMaxDensity(::llvm::ArrayRef<int64_t> shape) const;

    /// Returns true if every tensor of `shape` that satisfies this pattern
    /// also satisfies `other`. `shape` may be empty or dynamic, in which case
    /// implications that need the element count are not proven.
    bool implies(PatternAttr other, ::llvm::ArrayRef<int64_t> shape = {}) const;

    /// Returns the conjunction of this pattern and `other`, or failure if the
    /// two contradict each other or cannot be stated as one pattern; then
    /// `emitError`, if given, says why. With a `shape`, the result is also
    /// checked against it (e.g. an exact nnz above a density bound fails).
    ::mlir::FailureOr<PatternAttr>
    compose(PatternAttr other, ::llvm::ArrayRef<int64_t> shape = {},
            ::llvm::function_ref<::mlir::InFlightDiagnostic()> emitError =
                nullptr) const;

    /// Checks the pattern against a tensor shape (dimensions may be
    /// ShapedType::kDynamic): dimensions in range, divisibility, counts that
    /// fit. Reports the first problem through `emitError`.
    ::mlir::LogicalResult
    verifyAgainstShape(::llvm::function_ref<::mlir::InFlightDiagnostic()>
                           emitError,
                       ::llvm::ArrayRef<int64_t> shape) const;
  }];
}


//===----------------------------------------------------------------------===//
// PlanAttr
//===----------------------------------------------------------------------===//

def Sparsity_PlanAttr : Sparsity_Attr<"Plan", "plan"> {
  let summary = "The implementation chosen for one layer, and why";
  let description = [{
    Attached by `--sparsity-plan` to a weight-bearing layer op, under the
    name `sparsity.plan`: the target it was planned for, the implementation
    chosen (`choice`), and the latency the cost model predicts for every
    candidate implementation of that target, in microseconds. `override`
    is set when the choice came from the user's `sparsity.impl` attribute
    rather than from the fastest prediction.

    `choice` must be one of the candidates, and every prediction a finite
    number >= 0.

    Example:

    ```mlir
    %0 = linalg.matmul {sparsity.plan = #sparsity.plan<target = "npu-ref-g1",
             choice = "zskip", candidates = {dense = 52.3 : f64,
             zskip = 31.0 : f64}>} ins(...) outs(...) -> tensor<128x768xf32>
    ```
  }];
  let parameters = (ins
    "StringAttr":$target,
    "StringAttr":$choice,
    "DictionaryAttr":$candidates,
    DefaultValuedParameter<"bool", "false">:$override
  );
  let assemblyFormat = [{
    `<` `target` `=` $target `,` `choice` `=` $choice `,`
        `candidates` `=` $candidates (`,` `override` `=` $override^)? `>`
  }];
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// The predicted latency of `impl` in microseconds, if it is a candidate.
    std::optional<double> getPredicted(StringRef impl) const;
    /// The name of the attribute on a layer op that holds its plan.
    static StringRef getAttrName() { return "sparsity.plan"; }
    /// The name of the user override attribute (a string: the
    /// implementation to use).
    static StringRef getOverrideAttrName() { return "sparsity.impl"; }
  }];
}

#endif // SPARSITY_MLIR_DIALECT_SPARSITY_IR_SPARSITYATTRS_TD
