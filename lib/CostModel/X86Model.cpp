//===- X86Model.cpp - the x86-avx512 latency model
//--------------------------===//
//
// Part of sparsity-mlir. The x86-avx512 cost model: calibrated rates times
// the work of the generated kernels. docs/cost-model.md "x86-avx512" gives
// every formula.
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
