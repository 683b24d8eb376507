//===- CostModel.h - per-layer latency prediction ---------------*- C++ -*-===//
//
// Part of sparsity-mlir. Predicts the latency of every candidate
// implementation of a weight layer on a target, from the layer's shape, the
// statistics of its weight's zeros and the target description; no weight
// positions are used. docs/cost-model.md gives every formula.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSITY_MLIR_COSTMODEL_COSTMODEL_H
#define SPARSITY_MLIR_COSTMODEL_COSTMODEL_H

#include "sparsity-mlir/Analysis/LayerForm.h"
#include "sparsity-mlir/Analysis/OpSparsityAnalysis.h"
#include "sparsity-mlir/Target/NpuRef.h"
#include "sparsity-mlir/Target/TargetDescription.h"
#include "sparsity-mlir/Target/X86.h"

#include "llvm/ADT/ArrayRef.h"

#include <optional>
#include <string>
#include <vector>

namespace mlir {
namespace sparsity {

/// What the cost model knows about a weight's zeros for a target with skip
/// granularity `group`: per output (lane), how many of its groups of `group`
/// consecutive reduction elements hold a non-zero, over its whole reduction
/// (groups start at every reduction tile of `tileK`, as the machine packs
/// them). Not how they fall into tiles, and no positions.
struct WeightGroupStats {
  int64_t group = 1;
  int64_t tileK = 1;
  std::vector<int64_t> laneGroups;
  int64_t nonZeros = 0;
};

/// Computes the statistics of `w` (n*k row-major) for `params`.
WeightGroupStats computeGroupStats(llvm::ArrayRef<float> w, int64_t n,
                                   int64_t k, const NpuRefParams &params);

/// The same for a matrix known only through `isNonZero(row, col)`.
WeightGroupStats
computeGroupStats(int64_t n, int64_t k, const NpuRefParams &params,
                  llvm::function_ref<bool(int64_t, int64_t)> isNonZero);

/// One candidate implementation and its predicted latency.
struct CandidateCost {
  /// "dense", "zskip", ...
  std::string impl;
  double cycles = 0;
  double microseconds = 0;
  double computeCycles = 0;
  double memoryCycles = 0;
};

/// Predicts a layer on npu-ref in one mode. In zero-skip mode the groups of a
/// lane are assumed spread over its reduction tiles at random (each tile's
/// count is hypergeometric given the lane's total), and the slowest lane of
/// a tile is the expected maximum over its lanes.
CandidateCost predictNpuRef(const GemmGeometry &geometry, NpuRefMode mode,
                            const WeightGroupStats &stats,
                            const NpuRefParams &params);

/// Predicts a layer on x86-avx512 in one implementation (docs/cost-model.md
/// "x86-avx512"): the calibrated single-thread rates times the work of the
/// generated kernel (padded FMAs for dense, non-zeros times activation
/// vectors for csr and pattern, weight bytes or 16-element chunks for layers
/// with m < 16), plus the staging copies the layout needs and a fixed
/// per-layer cost. `cycles` holds nanoseconds. std::nullopt when the
/// implementation does not apply (whyX86ImplNotApplicable).
std::optional<CandidateCost> predictX86(const GemmGeometry &geometry,
                                        X86Impl impl, int64_t nonZeros,
                                        const X86ActLayout &layout,
                                        const X86Params &params);

/// Every candidate the target has for the layer, dense first (x86-avx512:
/// only those that apply to it). `layout`: how the x86-avx512 kernels read
/// the activation (getX86ActLayout in CostModel/X86ActLayout.h).
std::vector<CandidateCost> predictCandidates(const TargetDescription &target,
                                             const GemmGeometry &geometry,
                                             const WeightGroupStats &stats,
                                             const X86ActLayout &layout = {});

/// Reads the weight of `layer` and predicts every candidate of `target` for
/// it; fails, with the reason, when the layer has no matrix form or its
/// weight cannot be read.
FailureOr<std::vector<CandidateCost>>
predictLayer(const TargetDescription &target, const LayerInfo &layer,
             std::string &whyNot);

/// The user's override on `op` (its `sparsity.impl` attribute): none, or the
/// implementation of `target` it names. An override that is not a string
/// naming one is an error at `op`, prefixed by `passName`.
FailureOr<std::optional<std::string>>
getUserOverride(Operation *op, const TargetDescription &target,
                llvm::StringRef passName);

/// The fastest of `candidates` (the first of equals: dense wins ties).
const CandidateCost &getFastest(llvm::ArrayRef<CandidateCost> candidates);

/// E[ceil(max_l X_l * group / rows)] for independent hypergeometric X_l:
/// lane `l` holds `successes[l]` kept groups among `population`, and a tile
/// sees `draws` of them. Exposed for tests.
double expectedTileWork(int64_t population, int64_t draws,
                        llvm::ArrayRef<int64_t> successes, int64_t group,
                        int64_t rows);

} // namespace sparsity
} // namespace mlir

#endif // SPARSITY_MLIR_COSTMODEL_COSTMODEL_H
