//===- Regularity.cpp - N:M and block structure of a zero mask ------------===//
//
// Part of sparsity-mlir.
//
//===----------------------------------------------------------------------===//

#include "sparsity-mlir/Analysis/Regularity.h"

using namespace mlir;
using namespace mlir::sparsity;

// Placeholder: the detection lands in the next commit.
std::optional<NMRegularity> mlir::sparsity::detectNM(const ElementMask &,
                                                     int64_t) {
  return std::nullopt;
}

std::optional<BlockRegularity>
mlir::sparsity::detectBlock(const ElementMask &) {
  return std::nullopt;
}
