//===- Regularity.h - N:M and block structure of a zero mask ----*- C++ -*-===//
//
// Part of sparsity-mlir. Detects the regular structure of a weight's zeros:
// N:M along one dimension and block sparsity.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSITY_MLIR_ANALYSIS_REGULARITY_H
#define SPARSITY_MLIR_ANALYSIS_REGULARITY_H

#include "sparsity-mlir/Analysis/ElementMask.h"

#include <optional>

namespace mlir {
namespace sparsity {

/// Every aligned group of `m` consecutive elements along `dim` holds at most
/// `n` non-zeros.
struct NMRegularity {
  int64_t n = 0;
  int64_t m = 0;
  int64_t dim = 0;
};

/// Returns the tightest N:M (smallest N/M, then smallest M) that holds for the
/// zeros in `zeros` (a set bit marks a zero) along `dim`, among M in
/// {4, 8, 16} dividing the size of `dim` and N <= M / 2; none when no such
/// N:M holds.
std::optional<NMRegularity> detectNM(const ElementMask &zeros, int64_t dim);

/// The weight is tiled into aligned blocks of `shape`; `nonzeroBlocks` of
/// them hold a non-zero and all the others are entirely zero.
struct BlockRegularity {
  SmallVector<int64_t> shape;
  int64_t nonzeroBlocks = 0;
};

/// Returns the block structure of `zeros` (a set bit marks a zero): the
/// block shape of largest volume (> 1) such that every zero lies in an
/// entirely zero block and at least one block is zero; block sizes are powers
/// of two up to 32 that divide their dimension, or a whole dimension of size
/// <= 7 (a convolution window). None when no such shape exists.
std::optional<BlockRegularity> detectBlock(const ElementMask &zeros);

} // namespace sparsity
} // namespace mlir

#endif // SPARSITY_MLIR_ANALYSIS_REGULARITY_H
