//===- LayerLayout.h - loops and operand layouts of a weight layer -*- C++ -*-//
//
// Part of sparsity-mlir. The loop structure of a weight layer in matrix form
// (which loops are groups, weight rows n, reduction k and activation rows
// m), the affine expressions of its operands' element positions, and the
// one decision both the x86-avx512 cost model and the x86 lowering take
// from them: how the generated kernels read the activation (in place as a
// fully connected layer, in place row by row as a convolution, or staged).
//
//===----------------------------------------------------------------------===//

#ifndef SPARSITY_MLIR_COSTMODEL_LAYERLAYOUT_H
#define SPARSITY_MLIR_COSTMODEL_LAYERLAYOUT_H

#include "sparsity-mlir/CostModel/CostModel.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/AffineExpr.h"

#include <optional>
#include <string>
#include <vector>

namespace mlir {
namespace sparsity {

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

/// The coefficient of loop `dim` in `e` when `e` is a linear function of
/// the loops (no mod, division or product of loops), else std::nullopt.
std::optional<int64_t> linearCoefficient(AffineExpr e, unsigned dim,
                                         unsigned numLoops);

/// The activation layout of a layer, from its loops (the same decision for
/// the cost model and the lowering). Layers with m < 16 are Staged or
/// FullyConnected, never Direct.
X86ActLayout getX86ActLayout(linalg::LinalgOp op, const LayerLoops &loops,
                             const GemmGeometry &geometry);

/// The same from the layer alone; Staged when its loops cannot be worked out.
X86ActLayout getX86ActLayout(const LayerInfo &layer, const LayerGemm &gemm);

} // namespace sparsity
} // namespace mlir

#endif // SPARSITY_MLIR_COSTMODEL_LAYERLAYOUT_H
