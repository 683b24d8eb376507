//===- LayerForm.h - a weight layer in matrix form --------------*- C++ -*-===//
//
// Part of sparsity-mlir. The target-neutral shape of a weight layer: its
// matrix form (LayerGemm over Target/GemmGeometry.h), its weight read as that
// matrix, the loop structure of the layer op in matrix form (which loops are
// groups, weight rows n, reduction k and activation rows m) and the affine
// expressions of its operands' element positions. The cost model, the
// target models and the lowerings all build on these.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSITY_MLIR_ANALYSIS_LAYERFORM_H
#define SPARSITY_MLIR_ANALYSIS_LAYERFORM_H

#include "sparsity-mlir/Target/GemmGeometry.h"

#include "mlir/IR/AffineExpr.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/Support/LLVM.h"
#include "mlir/Support/LogicalResult.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mlir {
namespace sparsity {

struct LayerInfo;

/// A weight layer in matrix form: `W[n][k]`, where `n` enumerates the
/// weight's output dimensions and `k` its other dimensions, each in the
/// weight's own dimension order (an `fchw` filter: n = f, k = (c, h, w); a
/// `[K, N]` matmul weight: n = N, k = K; a `chw` depthwise filter: n = c,
/// k = (h, w)).
struct LayerGemm {
  GemmGeometry geometry;
  /// Weight dimensions forming n and k, in order.
  SmallVector<int64_t> nDims, kDims;
};

/// The matrix form of `layer`; fails, with the reason in `whyNot`, for a
/// layer whose weight has no output dimension or whose activation is not a
/// statically shaped tensor.
FailureOr<LayerGemm> getLayerGemm(const LayerInfo &layer, std::string &whyNot);

/// Reads the layer's weight constant as `W[n][k]` floats (n*k, row-major).
/// Fails, with the reason, for a declared weight, a payload that cannot be
/// read, or a view between the constant and the layer that reorders the
/// elements (a transpose; `sparsity.annotate`, `tensor.cast`,
/// `collapse_shape` and `expand_shape` do not).
FailureOr<std::vector<float>> readLayerWeightMatrix(const LayerInfo &layer,
                                                    const LayerGemm &gemm,
                                                    std::string &whyNot);

/// The loops of a layer op in matrix form.
struct LayerLoops {
  unsigned activationOperand = 0;
  SmallVector<int64_t> loopSizes;
  /// The groups (leading n loops that the activation also reads), all n
  /// loops and the k loops in the weight's dimension order, and the m loops
  /// in the output's order.
  SmallVector<unsigned> groupLoops, nLoops, kLoops, mLoops;
};

/// The loops of `layer` (a linalg op with two inputs and one init); fails,
/// with the reason, when its weight or output map is not a projected
/// permutation, it reduces over a loop the weight lacks, or its groups do
/// not lead the weight's output dimensions.
FailureOr<LayerLoops> getLayerLoops(const LayerInfo &layer,
                                    const LayerGemm &gemm, std::string &whyNot);

/// Every position sum_i idx_i * strides[i] over all idx_i < sizes[i], in
/// row-major order of the indices.
std::vector<int64_t> rowMajorOffsets(ArrayRef<int64_t> sizes,
                                     ArrayRef<int64_t> strides);

/// `e` with the loops of size 1 replaced by 0, simplified: two layouts that
/// differ only in unit dimensions compare equal.
AffineExpr dropUnitLoops(AffineExpr e, ArrayRef<int64_t> loopSizes);

/// The affine expression of the row-major linear position of an operand
/// element (indexing map `map`, shape `shape`) over the layer's loops.
AffineExpr linearOperandExpr(AffineMap map, ArrayRef<int64_t> shape,
                             ArrayRef<int64_t> loopSizes);

/// Row-major linear expression over the loop groups `parts`, each a list of
/// loops; part i spans padTo[i] positions when given and positive.
AffineExpr linearOverLoops(MLIRContext *ctx, ArrayRef<ArrayRef<unsigned>> parts,
                           ArrayRef<int64_t> loopSizes,
                           ArrayRef<int64_t> padTo = {});

/// `e` at the loop values `values` (one per loop), when it folds to a
/// constant.
std::optional<int64_t> evaluateAtLoops(AffineExpr e, ArrayRef<int64_t> values);

/// The coefficient of loop `dim` in `e` when `e` is a linear function of
/// the loops (no mod, division or product of loops), else std::nullopt.
std::optional<int64_t> linearCoefficient(AffineExpr e, unsigned dim,
                                         unsigned numLoops);

/// The positions of `e` over all combinations of `loops` (row-major), the
/// other loops at 0, relative to all loops at 0; std::nullopt when `e` is
/// not linear.
std::optional<std::vector<int64_t>>
offsetsOverLoops(AffineExpr e, ArrayRef<unsigned> loops,
                 ArrayRef<int64_t> loopSizes);

} // namespace sparsity
} // namespace mlir

#endif // SPARSITY_MLIR_ANALYSIS_LAYERFORM_H
