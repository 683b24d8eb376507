//===- StructuredFold.h - removing pruned channels from shapes --*- C++ -*-===//
//
// Part of sparsity-mlir. The plan behind --sparsity-fold-structured: which
// channel groups exist, which channels each may lose exactly (zero, or a
// constant folded into the next layer's bias) and why the others stay; and
// the rewrite that slices them out. --sparsity-report uses the plan to state
// the MACs folding saves. docs/fold-structured.md describes the rules.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSITY_MLIR_DIALECT_SPARSITY_TRANSFORMS_STRUCTUREDFOLD_H
#define SPARSITY_MLIR_DIALECT_SPARSITY_TRANSFORMS_STRUCTUREDFOLD_H

#include "sparsity-mlir/Analysis/OpSparsityAnalysis.h"

#include "mlir/IR/Operation.h"

#include <memory>
#include <string>
#include <vector>

namespace mlir {
namespace sparsity {

/// What the plan decided for one channel group that has a candidate channel
/// (a zero filter or a zero reader slice).
struct FoldGroupSummary {
  /// The op the group is reported at: its first producing layer, or the op
  /// that stopped it.
  Operation *anchor = nullptr;
  /// The layers whose output channels the group carries (location names).
  SmallVector<std::string> layers;
  /// Channels of the group (whole heads after a head split).
  int64_t channels = 0;
  /// The channels removed.
  SmallVector<int64_t> removed;
  /// The candidate channels kept, by reason.
  SmallVector<std::pair<std::string, SmallVector<int64_t>>> kept;
  /// Why the whole group is left alone, or empty.
  std::string leftAlone;
};

/// The structured-fold plan of every function under an op. Building it reads
/// the IR only; `apply` rewrites it.
class StructuredFold {
public:
  /// Plans the fold of the functions `analysis` covers, starting from the
  /// layers it found. With `foldConstants`, channels that hold a constant
  /// are removed too, their contribution moving into the reader's bias.
  explicit StructuredFold(const OpSparsityAnalysis &analysis,
                          bool foldConstants = true);
  ~StructuredFold();

  /// Emits one remark per channel group that has a candidate channel: the
  /// channels removed, the channels kept and why, or why the group is left
  /// alone.
  void emitRemarks() const;

  /// The groups that have a candidate channel, in the order they were found.
  std::vector<FoldGroupSummary> getGroups() const;

  /// Channels removed over all groups, and the groups that lose any.
  int64_t getRemovedChannels() const;
  int64_t getChangedGroups() const;

  /// Elements of `layer`'s weight that the fold removes.
  int64_t getRemovedWeights(const LayerInfo &layer) const;

  /// Rewrites the IR under `root` (the op the plan was built for): slices
  /// the channels out of every tensor of their group and folds constant
  /// channels into the readers' biases. Stale annotations are dropped.
  LogicalResult apply(Operation *root);

private:
  struct Impl;
  std::unique_ptr<Impl> impl;
};

} // namespace sparsity
} // namespace mlir

#endif // SPARSITY_MLIR_DIALECT_SPARSITY_TRANSFORMS_STRUCTUREDFOLD_H
