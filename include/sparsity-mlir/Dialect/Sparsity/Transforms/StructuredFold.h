//===- StructuredFold.h - removing pruned channels from shapes --*- C++ -*-===//
//
// Part of sparsity-mlir. The rewrite of --sparsity-fold-structured: performs
// a ChannelGroups plan (Analysis/ChannelGroups.h). Prune's hybrid=auto uses
// it on a copy to measure a candidate.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSITY_MLIR_DIALECT_SPARSITY_TRANSFORMS_STRUCTUREDFOLD_H
#define SPARSITY_MLIR_DIALECT_SPARSITY_TRANSFORMS_STRUCTUREDFOLD_H

#include "sparsity-mlir/Analysis/ChannelGroups.h"

namespace mlir {
namespace sparsity {

/// Rewrites the IR under `root` (the op `plan` was built for): slices the
/// channels out of every tensor of their group and folds constant channels
/// into the readers' biases. Stale annotations are dropped.
LogicalResult applyChannelGroups(const ChannelGroups &plan, Operation *root);

} // namespace sparsity
} // namespace mlir

#endif // SPARSITY_MLIR_DIALECT_SPARSITY_TRANSFORMS_STRUCTUREDFOLD_H
