//===- GemmGeometry.h - a weight layer as a matrix product ------*- C++ -*-===//
//
// Part of sparsity-mlir. The target-neutral shape every machine model reads:
// a layer as a (grouped) matrix product. It sits in the lowest library, with
// the target descriptions, so that the target models need nothing from
// Analysis; Analysis/LayerForm derives it from a layer.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSITY_MLIR_TARGET_GEMMGEOMETRY_H
#define SPARSITY_MLIR_TARGET_GEMMGEOMETRY_H

#include <cstdint>

namespace mlir {
namespace sparsity {

/// A weight layer as the array sees it: `n` outputs (lanes), each reducing
/// `k` weights against `k` activations, for `m` activation rows. With
/// `groups > 1` the outputs form `groups` equal parts, each reading its own
/// activations (grouped and depthwise convolutions).
struct GemmGeometry {
  int64_t m = 1;
  int64_t k = 1;
  int64_t n = 1;
  int64_t groups = 1;
  /// Elements of the activation tensor the layer reads.
  int64_t activationElements = 0;
};

} // namespace sparsity
} // namespace mlir

#endif // SPARSITY_MLIR_TARGET_GEMMGEOMETRY_H
