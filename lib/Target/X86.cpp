//===- X86.cpp - the x86-avx512 target's implementations ------------------===//
//
// Part of sparsity-mlir.
//
//===----------------------------------------------------------------------===//

#include "sparsity-mlir/Target/X86.h"

#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/MathExtras.h"

#include <algorithm>

using namespace mlir;
using namespace mlir::sparsity;

static constexpr int64_t kLanes = kX86Lanes;

std::optional<X86Impl> sparsity::symbolizeX86Impl(StringRef name) {
  return llvm::StringSwitch<std::optional<X86Impl>>(name)
      .Case("dense", X86Impl::Dense)
      .Case("csr", X86Impl::Csr)
      .Case("pattern", X86Impl::Pattern)
      .Case("bitmap", X86Impl::Bitmap)
      .Default(std::nullopt);
}

StringRef sparsity::stringifyX86Impl(X86Impl impl) {
  switch (impl) {
  case X86Impl::Dense:
    return "dense";
  case X86Impl::Csr:
    return "csr";
  case X86Impl::Pattern:
    return "pattern";
  case X86Impl::Bitmap:
    return "bitmap";
  }
  llvm_unreachable("unknown x86 implementation");
}

X86Tiling sparsity::getX86Tiling(const GemmGeometry &geo,
                                 const X86ActLayout &layout) {
  X86Tiling t;
  t.narrow = geo.m < kLanes;
  int64_t vectors = llvm::divideCeilSigned(geo.m, kLanes);
  // Padded vectors of the m walk with tiles of v vectors: a staged buffer
  // is one row of `vectors`; direct tiles hold whole output rows, or split
  // rows wider than a tile. nullopt: v would not fill whole rows (the same
  // tile as v rounded down to a multiple of the row, with more registers).
  auto waste = [&](int64_t v) -> std::optional<int64_t> {
    if (layout.kind != X86ActKind::Direct)
      return llvm::divideCeilSigned(vectors, v) * v - vectors;
    int64_t perRow = llvm::divideCeilSigned(layout.rowWidth, kLanes);
    if (v < perRow)
      return layout.rows * (llvm::divideCeilSigned(perRow, v) * v - perRow);
    if (v % perRow)
      return std::nullopt;
    int64_t rowsPerTile = std::min(layout.rows, v / perRow);
    return (llvm::divideCeilSigned(layout.rows, rowsPerTile) * rowsPerTile -
            layout.rows) *
           perRow;
  };
  // Activation vectors per tile: the fewest padded vectors; ties go to the
  // first of 4, 3, 5, 2, 6, 7, 1.
  std::optional<int64_t> best;
  for (int64_t v : {4, 3, 5, 2, 6, 7, 1}) {
    std::optional<int64_t> w = waste(v);
    if (w && (!best || *w < *best)) {
      best = w;
      t.denseVecs = v;
    }
  }
  t.denseRows = t.denseVecs <= 4 ? 24 / t.denseVecs : 3;
  t.denseRows = std::min<int64_t>(t.denseRows, 8);
  t.sparseVecs = std::min<int64_t>(8, vectors);
  return t;
}

int64_t sparsity::getPatternFmas(const GemmGeometry &geo, int64_t nonZeros) {
  // The code is emitted once per distinct activation tile: the full tiles
  // of V vectors, and a last one when it is shorter or partial.
  int64_t V = getX86Tiling(geo).sparseVecs;
  int64_t vectors = llvm::divideCeilSigned(geo.m, kLanes);
  int64_t lastVecs = vectors - (llvm::divideCeilSigned(vectors, V) - 1) * V;
  int64_t perNonZero = V;
  if (vectors > V && (lastVecs != V || geo.m % kLanes != 0))
    perNonZero += lastVecs;
  return nonZeros * perNonZero;
}

std::string sparsity::whyX86ImplNotApplicable(const GemmGeometry &geo,
                                              X86Impl impl, int64_t nonZeros,
                                              const X86Params &params) {
  bool narrow = geo.m < kLanes;
  switch (impl) {
  case X86Impl::Dense:
    return "";
  case X86Impl::Csr:
    return narrow ? "csr needs at least 16 activation rows (m = " +
                        std::to_string(geo.m) + ")"
                  : "";
  case X86Impl::Pattern: {
    if (narrow)
      return "pattern needs at least 16 activation rows (m = " +
             std::to_string(geo.m) + ")";
    int64_t fmas = getPatternFmas(geo, nonZeros);
    if (fmas > params.patternMaxFmas)
      return "pattern code would have " + std::to_string(fmas) +
             " FMA instructions, more than the code-size guard "
             "pattern_max_fmas (" +
             std::to_string(params.patternMaxFmas) + ")";
    return "";
  }
  case X86Impl::Bitmap:
    return narrow ? ""
                  : "bitmap is for layers with fewer than 16 activation "
                    "rows (m = " +
                        std::to_string(geo.m) + ")";
  }
  return "unknown implementation";
}
