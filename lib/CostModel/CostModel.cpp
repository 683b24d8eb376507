//===- CostModel.cpp - per-layer latency prediction -----------------------===//
//
// Part of sparsity-mlir. docs/cost-model.md gives every formula used here.
//
//===----------------------------------------------------------------------===//

#include "sparsity-mlir/CostModel/CostModel.h"
#include "sparsity-mlir/Analysis/ElementMask.h"
#include "sparsity-mlir/CostModel/X86ActLayout.h"
#include "sparsity-mlir/Dialect/Sparsity/IR/SparsityAttrs.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MathExtras.h"

#include <algorithm>
#include <cassert>
#include <cmath>

using namespace mlir;
using namespace mlir::sparsity;

//===----------------------------------------------------------------------===//
// Statistics
//===----------------------------------------------------------------------===//

WeightGroupStats sparsity::computeGroupStats(
    int64_t n, int64_t k, const NpuRefParams &params,
    llvm::function_ref<bool(int64_t, int64_t)> isNonZero) {
  WeightGroupStats stats;
  stats.group = params.group;
  stats.tileK = params.tileK;
  stats.laneGroups.assign(n, 0);
  for (int64_t r = 0; r < n; ++r) {
    for (int64_t k0 = 0; k0 < k; k0 += params.tileK) {
      int64_t kt = std::min(params.tileK, k - k0);
      for (int64_t g0 = 0; g0 < kt; g0 += params.group) {
        bool kept = false;
        for (int64_t e = g0, end = std::min(g0 + params.group, kt); e < end;
             ++e) {
          bool nonZero = isNonZero(r, k0 + e);
          stats.nonZeros += nonZero ? 1 : 0;
          kept |= nonZero;
        }
        stats.laneGroups[r] += kept ? 1 : 0;
      }
    }
  }
  return stats;
}

WeightGroupStats sparsity::computeGroupStats(llvm::ArrayRef<float> w, int64_t n,
                                             int64_t k,
                                             const NpuRefParams &params) {
  assert(static_cast<int64_t>(w.size()) == n * k && "matrix size mismatch");
  return computeGroupStats(
      n, k, params, [&](int64_t r, int64_t c) { return w[r * k + c] != 0.0f; });
}

//===----------------------------------------------------------------------===//
// Prediction
//===----------------------------------------------------------------------===//

/// log C(a, b).
static double logChoose(int64_t a, int64_t b) {
  return std::lgamma(static_cast<double>(a + 1)) -
         std::lgamma(static_cast<double>(b + 1)) -
         std::lgamma(static_cast<double>(a - b + 1));
}

double sparsity::expectedTileWork(int64_t population, int64_t draws,
                                  llvm::ArrayRef<int64_t> successes,
                                  int64_t group, int64_t rows) {
  auto work = [&](int64_t groups) {
    return static_cast<double>(llvm::divideCeilSigned(groups * group, rows));
  };
  if (successes.empty())
    return 0.0;
  // A tile that covers the whole reduction sees every group of its lanes.
  if (draws >= population)
    return work(*llvm::max_element(successes));

  // cdfMax[x] = P(max_l X_l <= x) = prod_l P(X_l <= x).
  std::vector<double> cdfMax(draws + 1, 1.0), pmf(draws + 1);
  for (int64_t t : successes) {
    assert(t >= 0 && t <= population && "lane count out of range");
    int64_t lo = std::max<int64_t>(0, draws - (population - t));
    int64_t hi = std::min(draws, t);
    std::fill(pmf.begin(), pmf.end(), 0.0);
    // Start at the mode, where the probability cannot underflow, and walk
    // both ways with the ratio of neighbouring terms.
    int64_t mode =
        std::clamp<int64_t>((draws + 1) * (t + 1) / (population + 2), lo, hi);
    pmf[mode] =
        std::exp(logChoose(t, mode) + logChoose(population - t, draws - mode) -
                 logChoose(population, draws));
    for (int64_t x = mode; x < hi; ++x)
      pmf[x + 1] =
          pmf[x] * static_cast<double>((t - x) * (draws - x)) /
          static_cast<double>((x + 1) * (population - t - draws + x + 1));
    for (int64_t x = mode; x > lo; --x)
      pmf[x - 1] = pmf[x] *
                   static_cast<double>(x * (population - t - draws + x)) /
                   static_cast<double>((t - x + 1) * (draws - x + 1));
    double cdf = 0.0;
    for (int64_t x = 0; x <= draws; ++x) {
      cdf += pmf[x];
      cdfMax[x] *= std::min(cdf, 1.0);
    }
  }
  // E[work(max)] = sum_x P(max = x) * work(x); the last step takes the
  // rounding slack of the CDF.
  double expected = 0.0, below = 0.0;
  for (int64_t x = 0; x <= draws; ++x) {
    double atMost = x == draws ? 1.0 : cdfMax[x];
    expected += (atMost - below) * work(x);
    below = atMost;
  }
  return expected;
}

CandidateCost sparsity::predictNpuRef(const GemmGeometry &geometry,
                                      NpuRefMode mode,
                                      const WeightGroupStats &stats,
                                      const NpuRefParams &params) {
  CandidateCost cost;
  cost.impl = stringifyNpuRefMode(mode).str();
  const int64_t g = params.group;
  // Groups of one lane over its whole reduction, tiles starting afresh.
  int64_t laneTotal = 0;
  for (int64_t k0 = 0; k0 < geometry.k; k0 += params.tileK)
    laneTotal +=
        llvm::divideCeilSigned(std::min(params.tileK, geometry.k - k0), g);
  assert((mode == NpuRefMode::Dense ||
          static_cast<int64_t>(stats.laneGroups.size()) == geometry.n) &&
         "statistics of another layer");

  for (int64_t n0 = 0; n0 < geometry.n; n0 += params.cols) {
    int64_t lanes = std::min(params.cols, geometry.n - n0);
    llvm::ArrayRef<int64_t> lane;
    double laneSum = 0;
    if (mode == NpuRefMode::ZeroSkip) {
      lane = llvm::ArrayRef<int64_t>(stats.laneGroups).slice(n0, lanes);
      for (int64_t t : lane)
        laneSum += static_cast<double>(t);
    }
    // Full reduction tiles share one expectation; the last may be partial.
    double fullWork = -1;
    for (int64_t k0 = 0; k0 < geometry.k; k0 += params.tileK) {
      int64_t kt = std::min(params.tileK, geometry.k - k0);
      int64_t tileGroups = llvm::divideCeilSigned(kt, g);
      double compute, kept = 0;
      if (mode == NpuRefMode::Dense) {
        compute = getTileComputeCycles(geometry, mode, kt, 0, params);
      } else {
        double work;
        if (kt == params.tileK && fullWork >= 0) {
          work = fullWork;
        } else {
          work = expectedTileWork(laneTotal, tileGroups, lane, g, params.rows);
          if (kt == params.tileK)
            fullWork = work;
        }
        // getTileComputeCycles with the expected work of the slowest lane.
        compute = static_cast<double>(geometry.m) * work +
                  static_cast<double>(params.fillCycles + params.decodeCycles);
        kept = laneSum * static_cast<double>(tileGroups) /
               static_cast<double>(laneTotal);
      }
      double memory =
          getTileDramBytes(geometry, mode, lanes, kt, kept, params) /
          params.dramBytesPerCycle;
      cost.cycles += std::max(compute, memory);
      cost.computeCycles += compute;
      cost.memoryCycles += memory;
    }
  }
  cost.microseconds = cyclesToMicroseconds(cost.cycles, params);
  return cost;
}

std::optional<CandidateCost>
sparsity::predictX86(const GemmGeometry &geo, X86Impl impl, int64_t nonZeros,
                     const X86ActLayout &layout, const X86Params &p) {
  if (!whyX86ImplNotApplicable(geo, impl, nonZeros, p).empty())
    return std::nullopt;
  auto ceilTo = [](int64_t a, int64_t b) { return (a + b - 1) / b * b; };
  const int64_t lanes = kX86Lanes;
  X86Tiling tiling = getX86Tiling(geo, layout);
  double ns = 0, computeNs = 0, memoryNs = 0, stage = 0;
  bool fcLayout = layout.kind == X86ActKind::FullyConnected;
  bool direct = layout.kind == X86ActKind::Direct && !tiling.narrow;
  // Direct reads fill whole output rows of vectors.
  int64_t mPad = direct ? layout.rows * ceilTo(layout.rowWidth, lanes)
                        : ceilTo(geo.m, lanes);
  // The im2col copy of layers whose activation is not already the matrix
  // the kernel reads.
  bool xIsMatrix =
      direct || (geo.activationElements == geo.groups * geo.k * geo.m &&
                 geo.m % lanes == 0);
  if (tiling.narrow) {
    int64_t kPad = ceilTo(geo.k, lanes), chunks = kPad / lanes;
    if (!fcLayout)
      stage = static_cast<double>(geo.groups * geo.m * kPad);
    double rowChunks = static_cast<double>(geo.n * chunks);
    double bytes;
    if (impl == X86Impl::Dense) {
      bytes = rowChunks * lanes * 4;
      computeNs = rowChunks * geo.m * p.narrowNsPerChunk;
    } else {
      bytes = rowChunks * 2 + static_cast<double>(nonZeros) * 4;
      computeNs =
          rowChunks * (p.bitmapNsPerChunk + (geo.m - 1) * p.narrowNsPerChunk);
    }
    memoryNs = bytes / p.memoryGBps;
    ns = std::max(computeNs, memoryNs);
  } else if (impl == X86Impl::Dense) {
    int64_t nPad =
        fcLayout ? ceilTo(geo.n, lanes)
                 : geo.groups * ceilTo(geo.n / geo.groups, tiling.denseRows);
    computeNs = 2.0 * mPad * nPad * geo.k / p.denseGflops;
    if (!fcLayout && !xIsMatrix)
      stage = static_cast<double>(geo.groups * geo.k * mPad);
    ns = computeNs;
  } else {
    int64_t vectors = mPad / lanes;
    int64_t tiles = (vectors + tiling.sparseVecs - 1) / tiling.sparseVecs;
    // The activation rows one m tile reads (the k of its group).
    double tileBytes = static_cast<double>(geo.k) *
                       std::min(vectors, tiling.sparseVecs) * lanes * 4;
    bool uncached =
        p.csrCacheBytes > 0 && tileBytes > static_cast<double>(p.csrCacheBytes);
    double perFma = impl == X86Impl::Pattern ? p.patternNsPerFma
                    : direct                 ? p.csrDirectNsPerFma
                    : uncached               ? p.csrUncachedNsPerFma
                                             : p.csrNsPerFma;
    computeNs = static_cast<double>(nonZeros) * vectors * perFma +
                static_cast<double>(geo.n) * tiles * p.csrNsPerRow;
    if (fcLayout)
      stage = static_cast<double>(geo.k * mPad + 2 * geo.n * mPad);
    else if (!xIsMatrix)
      stage = static_cast<double>(geo.groups * geo.k * mPad);
    ns = computeNs;
  }
  ns += stage * p.stageNsPerElement + p.layerUs * 1e3;
  CandidateCost c;
  c.impl = stringifyX86Impl(impl).str();
  c.cycles = ns;
  c.microseconds = ns * 1e-3;
  c.computeCycles = computeNs;
  c.memoryCycles = memoryNs;
  return c;
}

std::vector<CandidateCost> sparsity::predictCandidates(
    const TargetDescription &target, const GemmGeometry &geometry,
    const WeightGroupStats &stats, const X86ActLayout &layout) {
  std::vector<CandidateCost> result;
  for (const std::string &impl : target.implementations) {
    if (target.kind == TargetKind::X86AVX512) {
      if (std::optional<X86Impl> x86 = symbolizeX86Impl(impl))
        if (std::optional<CandidateCost> c =
                predictX86(geometry, *x86, stats.nonZeros, layout, target.x86))
          result.push_back(*c);
      continue;
    }
    if (std::optional<NpuRefMode> mode = symbolizeNpuRefMode(impl))
      result.push_back(predictNpuRef(geometry, *mode, stats, target.npuRef));
  }
  return result;
}

FailureOr<std::vector<CandidateCost>>
sparsity::predictLayer(const TargetDescription &target, const LayerInfo &layer,
                       std::string &whyNot) {
  FailureOr<LayerGemm> gemm = getLayerGemm(layer, whyNot);
  if (failed(gemm))
    return failure();
  FailureOr<std::vector<float>> w = readLayerWeightMatrix(layer, *gemm, whyNot);
  if (failed(w))
    return failure();
  WeightGroupStats stats =
      computeGroupStats(*w, gemm->geometry.n, gemm->geometry.k, target.npuRef);
  return predictCandidates(target, gemm->geometry, stats,
                           target.kind == TargetKind::X86AVX512
                               ? getX86ActLayout(layer, *gemm)
                               : X86ActLayout());
}

const CandidateCost &
sparsity::getFastest(llvm::ArrayRef<CandidateCost> candidates) {
  assert(!candidates.empty() && "no candidates");
  const CandidateCost *best = &candidates.front();
  for (const CandidateCost &c : candidates)
    if (c.cycles < best->cycles)
      best = &c;
  return *best;
}

FailureOr<std::optional<std::string>>
sparsity::getUserOverride(Operation *op, const TargetDescription &target,
                          llvm::StringRef passName) {
  Attribute user = op->getAttr(PlanAttr::getOverrideAttrName());
  if (!user)
    return std::optional<std::string>();
  auto impl = dyn_cast<StringAttr>(user);
  if (!impl ||
      !llvm::is_contained(target.implementations, impl.getValue().str())) {
    op->emitError() << passName << ": " << PlanAttr::getOverrideAttrName()
                    << " = " << user << " is not an implementation of target '"
                    << target.name << "' ("
                    << llvm::join(target.implementations, ", ") << ")";
    return failure();
  }
  return std::optional<std::string>(impl.getValue().str());
}
