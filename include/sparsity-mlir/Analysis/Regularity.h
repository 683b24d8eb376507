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

/// Returns the tightest N:M that holds for the zeros in `zeros` (a set bit
/// marks a zero) along `dim`, among M in {4, 8, 16} dividing the size of
/// `dim` and 1 <= N <= M / 2.
///
/// For each M, N is the largest number of non-zeros in one aligned group
/// (at least 1, the smallest N an N:M can state). Tightest means the
/// smallest N / M; among equal ratios, the smallest M, which implies the
/// others (1:4 bounds every group of 8 by 2, so it says more than 2:8).
/// Ratios of different M need not imply each other (3:16 and 1:4): the
/// smaller ratio wins. A weight without zeros, or with fewer zeros than
/// half its elements, has no N:M; an all-zero weight gets 1:M for the
/// largest M. Returns none as well when `dim` is out of range.
///
/// Cost: one walk over the mask, a word at a time when `dim` is the
/// innermost dimension, that stops as soon as a group of every M holds more
/// than M / 2 non-zeros.
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
/// <= 7 (a convolution window). None when no such shape exists, in particular
/// for a weight without zeros. An all-zero weight gets the largest shape and
/// `nonzeroBlocks = 0`.
///
/// Every block is then either all zero or all non-zero, so `nonzeroBlocks`
/// is the non-zero count divided by the block volume. A shape has this
/// property exactly when each of its sizes, taken alone as a 1-D block along
/// its dimension, has it (any two elements of one block are joined by steps
/// along one dimension that stay inside a 1-D block). The largest shape is
/// therefore the product of the largest valid size of every dimension, found
/// one dimension at a time, with no combined search; each walk stops as soon
/// as no candidate size above 1 is left for that dimension.
std::optional<BlockRegularity> detectBlock(const ElementMask &zeros);

} // namespace sparsity
} // namespace mlir

#endif // SPARSITY_MLIR_ANALYSIS_REGULARITY_H
