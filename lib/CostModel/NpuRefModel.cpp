//===- NpuRefModel.cpp - the npu-ref latency model
//--------------------------===//
//
// Part of sparsity-mlir. The npu-ref cost model: zero-group statistics of a
// weight and the predicted cycles of a layer per mode. docs/cost-model.md
// "npu-ref" gives every formula.
//
//===----------------------------------------------------------------------===//

#include "sparsity-mlir/CostModel/CostModel.h"

#include "llvm/ADT/STLExtras.h"
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
