//===- ChannelFlow.h - how tensor indices pass through ops ------*- C++ -*-===//
//
// Part of sparsity-mlir. The one table of how the indices along the
// dimensions of a tensor pass through the ops between layers: which
// dimension of an operand becomes which dimension of the result, at which
// offset and stride, and how reshapes group them. Three consumers read it:
// OpSparsityAnalysis (zero slices forward, dead slices backward), the
// structured-fold plan (channel groups) and --sparsity-prune (channel
// groups of layers). Each decides what it carries across an entry; none of
// them says again how an op moves indices.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSITY_MLIR_ANALYSIS_CHANNELFLOW_H
#define SPARSITY_MLIR_ANALYSIS_CHANNELFLOW_H

#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/IR/Operation.h"
#include "llvm/ADT/BitVector.h"

#include <optional>

namespace mlir {
namespace sparsity {

/// Per dimension of a tensor, a set of its indices (slices).
using Slices = SmallVector<llvm::BitVector>;

/// The kinds of entries of the table.
enum class ChannelFlowKind {
  /// Not in the table: indices do not pass through it.
  Opaque,
  /// `sparsity.annotate`, `tensor.cast`: the same indices.
  Identity,
  /// `tensor.pad`: index `i` of the source is index `i + low[d]`.
  Pad,
  /// `tensor.extract_slice`: index `i` of the result is index
  /// `offsets[d] + i * strides[d]` of the source.
  Slice,
  /// `tensor.concat`: index `i` of input `k` along `axis` is index
  /// `inputOffsets[k] + i` of the result; the same index along the others.
  Concat,
  /// `tensor.collapse_shape`: the source's dimensions `groups[c]` form
  /// result dimension `c` (row-major).
  Collapse,
  /// `tensor.expand_shape`: source dimension `c` splits into the result's
  /// dimensions `groups[c]` (row-major).
  Expand,
  /// A `linalg` op on tensors: its indexing maps (getLinalgLoop).
  Linalg,
};

/// One entry: how `op` moves the indices of its tensor operands to its
/// result. Offsets, strides and shapes are the op's static ones
/// (ShapedType::kDynamic where they are not); `hasStaticGeometry` says
/// whether the entry can be applied.
struct ChannelFlow {
  ChannelFlowKind kind = ChannelFlowKind::Opaque;
  Operation *op = nullptr;
  /// Pad: the padding before and after, per dimension.
  SmallVector<int64_t> low, high;
  /// Slice: the offsets, sizes and strides, per dimension; whether the
  /// slice keeps the rank.
  SmallVector<int64_t> offsets, sizes, strides;
  bool sameRank = true;
  /// Concat: the dimension concatenated along and each input's offset on it.
  int64_t axis = -1;
  SmallVector<int64_t> inputOffsets;
  /// Collapse and Expand: the fine side's dimensions per coarse dimension,
  /// and the fine side's shape (the collapse's source, the expand's
  /// result).
  SmallVector<ReassociationIndices> groups;
  SmallVector<int64_t> fineShape;

  /// Whether every offset, stride and shape the entry needs is static.
  bool hasStaticGeometry() const;

  /// Whether the entry keeps dimension `dim` of its operand `operand` index
  /// for index in the same dimension of the result: Identity; a Pad that
  /// pads no index of `dim`; a Slice that keeps all of `dim` (static, same
  /// rank); a Concat along another dimension.
  bool keepsIndices(unsigned operand, int64_t dim) const;

  /// Pad, Slice, Concat: the index of the result along `dim` that index
  /// `index` of operand `operand` becomes (Slice: std::nullopt when the
  /// slice leaves it out).
  std::optional<int64_t> toResultIndex(unsigned operand, int64_t dim,
                                       int64_t index) const;
  /// The converse: the index of operand `operand` along `dim` that index
  /// `index` of the result comes from (Pad: std::nullopt for padding;
  /// Concat: std::nullopt when the index belongs to another input).
  std::optional<int64_t> toOperandIndex(unsigned operand, int64_t dim,
                                        int64_t index) const;
};

/// The table: the entry of `op`.
ChannelFlow getChannelFlow(Operation *op);

/// Linalg entries: the position of loop `loop` among the results of `map`
/// when it appears there as a plain dimension; -1 if it does not appear;
/// -2 if it appears inside a compound expression (`strict`) — without
/// `strict`, compound expressions are skipped.
int64_t findLoopInMap(AffineMap map, unsigned loop, bool strict = false);

/// Linalg entries: the loop that dimension `dim` of `operand` is indexed by,
/// when it is a plain loop dimension.
std::optional<unsigned> getLinalgLoop(linalg::LinalgOp op, OpOperand &operand,
                                      int64_t dim);

/// Reshapes: for a reshape group `indices` of the dimensions of `shape`:
/// whether every dimension of the group but `dim` has size 1.
bool othersAreUnit(ArrayRef<int64_t> shape, ArrayRef<int64_t> indices,
                   int64_t dim);

/// Reshapes: the dimension of the group `indices` that holds all its
/// elements (every other one has size 1), or -1.
int64_t getSoleDim(ArrayRef<int64_t> shape, ArrayRef<int64_t> indices);

/// Reshapes: for a group `indices` of `shape` that splits one dimension as
/// `[1.., H, D..]`: H, the outermost dimension of a size other than 1 (the
/// heads), and the product D of the sizes after it. std::nullopt when every
/// size is 1.
std::optional<std::pair<int64_t, int64_t>>
getHeadSplit(ArrayRef<int64_t> shape, ArrayRef<int64_t> indices);

/// Reshapes: maps index sets of the fine side (shape `fineShape`) to the
/// coarse side, group by group: a coarse index is in the set when one of
/// its coordinates is.
Slices toCoarseAny(ArrayRef<ReassociationIndices> groups,
                   ArrayRef<int64_t> fineShape, const Slices &fine);

/// Reshapes: the converse: a fine index is in the set when every coarse
/// index with that coordinate is.
Slices toFineAll(ArrayRef<ReassociationIndices> groups,
                 ArrayRef<int64_t> fineShape, const Slices &coarse);

} // namespace sparsity
} // namespace mlir

#endif // SPARSITY_MLIR_ANALYSIS_CHANNELFLOW_H
