//===- LayerLowering.h - shared analysis of a weight layer ------*- C++ -*-===//
//
// Part of sparsity-mlir. What every `--sparsity-lower` target needs to know
// about one weight layer before it rewrites it: the matrix form (groups, n,
// k, m) of the layer's loops and its weight matrix W[n][k]. Internal to the
// conversion library.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSITY_MLIR_CONVERSION_UTILS_LAYERLOWERING_H
#define SPARSITY_MLIR_CONVERSION_UTILS_LAYERLOWERING_H

#include "sparsity-mlir/Analysis/LayerForm.h"
#include "sparsity-mlir/Analysis/OpSparsityAnalysis.h"
#include "sparsity-mlir/Target/NpuRef.h"
#include "sparsity-mlir/Target/TargetDescription.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"

#include <optional>
#include <string>
#include <vector>

namespace mlir {
namespace sparsity {

/// Everything the rewrite of one layer needs, decided before any IR changes.
struct LayerLowering {
  std::string name;
  /// The implementation to emit (a name of the target's).
  std::string impl = kDenseImpl.str();
  GemmGeometry geometry;
  unsigned activationOperand = 0;
  /// Loop dimensions of the layer: the groups (leading n loops that the
  /// activation also reads), all n loops and the k loops in the weight's
  /// dimension order, and the m loops in the output's order.
  SmallVector<unsigned> groupLoops, nLoops, kLoops, mLoops;
  /// W[n][k], row-major.
  std::vector<float> weights;
  /// The plan's predicted latency of the chosen mode, if it has one.
  std::optional<double> predictedUs;
  /// The weight constant and its identity views, erased when unused.
  SmallVector<Operation *> weightOps;
};

/// Returns true when `body` computes `out + act * w` in f32 (in either
/// operand order), the payload of every named convolution and matmul.
bool isMultiplyAccumulate(Block &body);

/// Works out the matrix form of `layer`; fails with the reason.
FailureOr<LayerLowering> planLayer(const LayerInfo &layer, std::string &whyNot);

/// Delinearizes the index of dimension `dim` of a linalg.generic into the
/// sizes of `loops`, in order, and stores the indices in `values`.
void delinearize(OpBuilder &b, Location loc, unsigned dim,
                 ArrayRef<unsigned> loops, ArrayRef<int64_t> loopSizes,
                 MutableArrayRef<Value> values);

/// The same for the linear index `linear` (row-major over `loops`).
void delinearize(OpBuilder &b, Location loc, Value linear,
                 ArrayRef<unsigned> loops, ArrayRef<int64_t> loopSizes,
                 MutableArrayRef<Value> values);

/// The affine expression of the row-major position over `loops`, whose
/// values are the dimensions `dimOf(loop)` of a map.
AffineExpr linearize(MLIRContext *ctx, ArrayRef<unsigned> loops,
                     ArrayRef<int64_t> loopSizes,
                     llvm::function_ref<unsigned(unsigned)> dimOf);

} // namespace sparsity
} // namespace mlir

#endif // SPARSITY_MLIR_CONVERSION_UTILS_LAYERLOWERING_H
