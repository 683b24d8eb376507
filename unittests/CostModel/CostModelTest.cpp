//===- CostModelTest.cpp - npu-ref cost model and exact cycle count -------===//
//
// Part of sparsity-mlir. Every branch of the formulas of docs/cost-model.md
// and docs/npu-ref.md, worked by hand on small tiles, then the statistical
// prediction against the exact count on pseudo-random weights: equal when a
// lane's reduction fits one tile, close when it spans several.
//
//===----------------------------------------------------------------------===//

#include "sparsity-mlir/CostModel/CostModel.h"
#include "sparsity-mlir/Target/NpuRef.h"

#include "gtest/gtest.h"

#include <cmath>
#include <random>

using namespace mlir;
using namespace mlir::sparsity;

namespace {

/// A small machine whose numbers are easy to work by hand.
NpuRefParams smallMachine() {
  NpuRefParams p;
  p.rows = 4;
  p.cols = 2;
  p.tileK = 8;
  p.group = 2;
  p.decodeCycles = 5;
  p.fillCycles = 3;
  p.elementBytes = 4;
  p.dramBytesPerCycle = 1000.0; // compute-bound unless a test says otherwise
  p.activationBufferBytes = 1 << 20;
  p.clockGHz = 1.0;
  return p;
}

GemmGeometry geometry(int64_t m, int64_t k, int64_t n, int64_t act,
                      int64_t groups = 1) {
  GemmGeometry g;
  g.m = m;
  g.k = k;
  g.n = n;
  g.groups = groups;
  g.activationElements = act;
  return g;
}

/// A pseudo-random n*k matrix with the given density of non-zeros.
std::vector<float> randomMatrix(int64_t n, int64_t k, double density,
                                unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::vector<float> w(n * k);
  for (float &x : w)
    x = u(rng) < density ? static_cast<float>(u(rng) + 0.5) : 0.0f;
  return w;
}

TEST(NpuRefCycles, DenseTileIsRowsTimesReductionStepsPlusFill) {
  NpuRefParams p = smallMachine();
  // One tile: 2 lanes, kt = 6 -> ceil(6 / 4) = 2 steps per row.
  GemmGeometry g = geometry(/*m=*/10, /*k=*/6, /*n=*/2, /*act=*/60);
  EXPECT_EQ(getTileComputeCycles(g, NpuRefMode::Dense, 6, 0, p), 10 * 2 + 3);
  NpuRefCycles c = countNpuRefCycles(g, NpuRefMode::Dense, {}, p);
  EXPECT_EQ(c.tiles, 1);
  EXPECT_DOUBLE_EQ(c.cycles, 23.0);
  EXPECT_EQ(c.memoryBoundTiles, 0);
}

TEST(NpuRefCycles, ZeroSkipTileIsSetBySlowestLanePlusDecode) {
  NpuRefParams p = smallMachine();
  // Lane 0 keeps groups {0, 2}, lane 1 keeps group {1}; kt = 6, 3 groups.
  std::vector<float> w = {1, 0, 0, 0, 2, 3, //
                          0, 0, 0, 4, 0, 0};
  NpuRefPacked packed = packZeroSkip(w, 2, 6, p);
  ASSERT_EQ(packed.bitmap.size(), 2u);
  EXPECT_EQ(packed.bitmap[0], 0b101);
  EXPECT_EQ(packed.bitmap[1], 0b010);
  EXPECT_EQ(packed.values, (std::vector<float>{1, 0, 2, 3, 0, 4}));
  EXPECT_EQ(unpackZeroSkip(packed, 2, 6, p), w);

  GemmGeometry g = geometry(10, 6, 2, 60);
  // Slowest lane: 2 groups * 2 elements = 4 -> one step of 4 per row.
  EXPECT_EQ(getTileComputeCycles(g, NpuRefMode::ZeroSkip, 6, 2, p),
            10 * 1 + 3 + 5);
  NpuRefCycles c = countNpuRefCycles(g, NpuRefMode::ZeroSkip, packed.bitmap, p);
  EXPECT_DOUBLE_EQ(c.cycles, 18.0);
}

TEST(NpuRefCycles, AllZeroTileCostsFillAndDecodeOnly) {
  NpuRefParams p = smallMachine();
  std::vector<float> w(2 * 8, 0.0f);
  NpuRefPacked packed = packZeroSkip(w, 2, 8, p);
  EXPECT_TRUE(packed.values.empty());
  GemmGeometry g = geometry(10, 8, 2, 80);
  NpuRefCycles c = countNpuRefCycles(g, NpuRefMode::ZeroSkip, packed.bitmap, p);
  EXPECT_DOUBLE_EQ(c.computeCycles, 3 + 5);
}

TEST(NpuRefCycles, PartialGroupIsPaddedAndTilesSplitTheReduction) {
  NpuRefParams p = smallMachine();
  // k = 11: tiles of 8 and 3; the 3-wide tile has groups of 2 and 1.
  std::vector<float> w(1 * 11, 0.0f);
  w[10] = 7.0f; // second tile, group 1 (a partial group)
  NpuRefPacked packed = packZeroSkip(w, 1, 11, p);
  ASSERT_EQ(packed.bitmap.size(), 2u); // one byte per lane per tile
  EXPECT_EQ(packed.bitmap[0], 0);
  EXPECT_EQ(packed.bitmap[1], 0b10);
  EXPECT_EQ(packed.values, (std::vector<float>{7, 0}));
  EXPECT_EQ(unpackZeroSkip(packed, 1, 11, p), w);
  EXPECT_EQ(countNpuRefCycles(geometry(1, 11, 1, 11), NpuRefMode::ZeroSkip,
                              packed.bitmap, p)
                .tiles,
            2);
}

TEST(NpuRefCycles, BitmapBytesRoundUpPerLane) {
  NpuRefParams p = smallMachine();
  p.group = 1;
  EXPECT_EQ(getLaneBitmapBytes(8, p), 1);
  EXPECT_EQ(getLaneBitmapBytes(9, p), 2);
  p.group = 8;
  EXPECT_EQ(getLaneBitmapBytes(64, p), 1);
  EXPECT_EQ(getLaneBitmapBytes(65, p), 2);
}

TEST(NpuRefMemory, DenseBytesAreWeightsPlusShareOfActivationsAndResults) {
  NpuRefParams p = smallMachine();
  // n = 4 (two tiles of 2 lanes), k = 8, m = 3, activations 24 elements.
  GemmGeometry g = geometry(3, 8, 4, 24);
  // Weights 2*8*4 = 64; activations 96 B and results 48 B, half each.
  EXPECT_DOUBLE_EQ(getTileDramBytes(g, NpuRefMode::Dense, 2, 8, 0, p),
                   64.0 + (96.0 + 48.0) / 2);
}

TEST(NpuRefMemory, ZeroSkipBytesAreKeptGroupsPlusBitmaps) {
  NpuRefParams p = smallMachine();
  GemmGeometry g = geometry(3, 8, 4, 24);
  // 3 kept groups of 2 elements, 2 lanes of 1 bitmap byte.
  EXPECT_DOUBLE_EQ(getTileDramBytes(g, NpuRefMode::ZeroSkip, 2, 8, 3, p),
                   3 * 2 * 4 + 2 + (96.0 + 48.0) / 2);
}

TEST(NpuRefMemory, ActivationsThatDoNotFitAreReadPerOutputTile) {
  NpuRefParams p = smallMachine();
  p.activationBufferBytes = 95; // 24 elements * 4 B = 96 B do not fit
  GemmGeometry g = geometry(3, 8, 4, 24);
  // Two output tiles: activations read twice.
  EXPECT_DOUBLE_EQ(getTileDramBytes(g, NpuRefMode::Dense, 2, 8, 0, p),
                   64.0 + (2 * 96.0 + 48.0) / 2);
  // Grouped: each group has 2 outputs = one tile, so read once.
  GemmGeometry grouped = geometry(3, 8, 4, 24, /*groups=*/2);
  EXPECT_DOUBLE_EQ(getTileDramBytes(grouped, NpuRefMode::Dense, 2, 8, 0, p),
                   64.0 + (96.0 + 48.0) / 2);
}

TEST(NpuRefMemory, MemoryBoundTileTakesItsMemoryTime) {
  NpuRefParams p = smallMachine();
  p.dramBytesPerCycle = 1.0;
  GemmGeometry g = geometry(10, 6, 2, 60);
  NpuRefCycles c = countNpuRefCycles(g, NpuRefMode::Dense, {}, p);
  // Bytes: 2*6*4 + 240 + 80 = 368 > 23 compute cycles.
  EXPECT_DOUBLE_EQ(c.cycles, 368.0);
  EXPECT_DOUBLE_EQ(c.computeCycles, 23.0);
  EXPECT_EQ(c.memoryBoundTiles, 1);
  CandidateCost pred = predictNpuRef(g, NpuRefMode::Dense, {}, p);
  EXPECT_DOUBLE_EQ(pred.cycles, 368.0);
  EXPECT_DOUBLE_EQ(pred.microseconds, 0.368);
}

TEST(GroupStats, CountsKeptGroupsPerLaneRestartingAtEveryTile) {
  NpuRefParams p = smallMachine();
  // k = 11: tile [0, 8) has groups {0,1},{2,3},{4,5},{6,7}; tile [8, 11)
  // has {8,9},{10}. Lane 0: non-zeros at 1, 7, 8 -> groups 0, 3, 4 -> 3.
  std::vector<float> w(2 * 11, 0.0f);
  w[1] = w[7] = w[8] = 1.0f;
  w[11 + 10] = 1.0f; // lane 1: the partial group
  WeightGroupStats s = computeGroupStats(w, 2, 11, p);
  EXPECT_EQ(s.laneGroups, (std::vector<int64_t>{3, 1}));
  EXPECT_EQ(s.nonZeros, 4);
  EXPECT_EQ(s.group, 2);
}

TEST(TileWork, NoLanesIsZero) {
  EXPECT_EQ(expectedTileWork(8, 4, {}, 1, 1), 0);
}

TEST(TileWork, WholeReductionInOneTileIsExact) {
  // draws >= population: the counts are known; max 5 groups of 2 on rows 4.
  EXPECT_DOUBLE_EQ(expectedTileWork(6, 6, {1, 5, 3}, 2, 4), 3.0);
}

TEST(TileWork, HypergeometricByHand) {
  // 2 of 4 groups kept, a tile sees 2: P(X = 0, 1, 2) = 1/6, 4/6, 1/6.
  EXPECT_NEAR(expectedTileWork(4, 2, {2}, 1, 1), 1.0, 1e-12);
  // With rows 2: ceil(x / 2) = 0, 1, 1 -> 5/6.
  EXPECT_NEAR(expectedTileWork(4, 2, {2}, 1, 2), 5.0 / 6, 1e-12);
  // Two such lanes: P(max = 0) = 1/36, P(max <= 1) = (5/6)^2.
  double pMax2 = 1 - 25.0 / 36;
  double pMax1 = 25.0 / 36 - 1.0 / 36;
  EXPECT_NEAR(expectedTileWork(4, 2, {2, 2}, 1, 1), pMax1 + 2 * pMax2, 1e-12);
}

TEST(TileWork, ExtremeCountsAreCertain) {
  // A lane with every group kept sees all its draws; one with none, none.
  EXPECT_NEAR(expectedTileWork(1000, 256, {1000}, 1, 16), 16.0, 1e-9);
  EXPECT_NEAR(expectedTileWork(1000, 256, {0}, 1, 16), 0.0, 1e-9);
  // Large populations do not underflow: 4608 groups, half kept.
  double e = expectedTileWork(4608, 256, {2304}, 1, 1);
  EXPECT_GT(e, 127.0);
  EXPECT_LT(e, 129.0);
}

TEST(Predict, DenseTargetHasOnlyTheDenseCandidate) {
  TargetDescription t;
  t.kind = TargetKind::NpuRef;
  t.implementations = {"dense"};
  t.npuRef = smallMachine();
  GemmGeometry g = geometry(10, 6, 2, 60);
  std::vector<CandidateCost> c = predictCandidates(t, g, {});
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].impl, "dense");
}

TEST(Predict, FastestPrefersDenseOnTies) {
  std::vector<CandidateCost> c(2);
  c[0].impl = "dense";
  c[0].cycles = 10;
  c[1].impl = "zskip";
  c[1].cycles = 10;
  EXPECT_EQ(getFastest(c).impl, "dense");
  c[1].cycles = 9;
  EXPECT_EQ(getFastest(c).impl, "zskip");
}

TEST(Predict, ZeroSkipOnDenseWeightsLosesTheDecode) {
  NpuRefParams p = smallMachine();
  std::vector<float> w(4 * 8, 1.0f);
  GemmGeometry g = geometry(10, 8, 4, 80);
  WeightGroupStats s = computeGroupStats(w, 4, 8, p);
  CandidateCost dense = predictNpuRef(g, NpuRefMode::Dense, s, p);
  CandidateCost zskip = predictNpuRef(g, NpuRefMode::ZeroSkip, s, p);
  EXPECT_DOUBLE_EQ(zskip.computeCycles - dense.computeCycles, 2 * 5.0);
}

/// The prediction equals the exact count when every lane's reduction fits
/// one tile (the per-lane counts are then the tile counts).
TEST(PredictVsExact, EqualWhenReductionFitsOneTile) {
  NpuRefParams p;
  p.group = 1;
  for (double density : {0.05, 0.3, 0.7, 1.0}) {
    std::vector<float> w = randomMatrix(70, 200, density, 7);
    GemmGeometry g = geometry(49, 200, 70, 49 * 200);
    WeightGroupStats s = computeGroupStats(w, 70, 200, p);
    NpuRefPacked packed = packZeroSkip(w, 70, 200, p);
    double exact =
        countNpuRefCycles(g, NpuRefMode::ZeroSkip, packed.bitmap, p).cycles;
    EXPECT_DOUBLE_EQ(predictNpuRef(g, NpuRefMode::ZeroSkip, s, p).cycles, exact)
        << "density " << density;
  }
}

/// Across several tiles the split of a lane's groups is a guess; on random
/// weights it is close.
TEST(PredictVsExact, CloseWhenReductionSpansTiles) {
  for (int64_t group : {1, 8}) {
    NpuRefParams p;
    p.group = group;
    for (double density : {0.05, 0.2, 0.5, 0.9}) {
      std::vector<float> w = randomMatrix(256, 2304, density, 11);
      GemmGeometry g = geometry(196, 2304, 256, 256 * 14 * 14);
      WeightGroupStats s = computeGroupStats(w, 256, 2304, p);
      NpuRefPacked packed = packZeroSkip(w, 256, 2304, p);
      double exact =
          countNpuRefCycles(g, NpuRefMode::ZeroSkip, packed.bitmap, p).cycles;
      double predicted = predictNpuRef(g, NpuRefMode::ZeroSkip, s, p).cycles;
      EXPECT_LT(std::fabs(predicted - exact) / exact, 0.05)
          << "group " << group << " density " << density;
    }
  }
}

/// A partial last reduction tile gets its own expectation (not the full
/// tiles' one), and its kept groups in proportion to its groups.
TEST(PredictVsExact, PartialReductionTileAndMemoryBoundZeroSkip) {
  NpuRefParams p;
  p.group = 1;
  std::vector<float> w = randomMatrix(64, 300, 0.3, 5);
  WeightGroupStats s = computeGroupStats(w, 64, 300, p);
  NpuRefPacked packed = packZeroSkip(w, 64, 300, p);
  GemmGeometry g = geometry(196, 300, 64, 196 * 300);
  double exact =
      countNpuRefCycles(g, NpuRefMode::ZeroSkip, packed.bitmap, p).cycles;
  double predicted = predictNpuRef(g, NpuRefMode::ZeroSkip, s, p).cycles;
  EXPECT_LT(std::fabs(predicted - exact) / exact, 0.05);
  // One activation row: the full tiles are memory-bound. The bytes depend
  // on the kept groups only through their expectation per tile, which sums
  // to the exact total.
  GemmGeometry fc = geometry(1, 300, 64, 300);
  NpuRefCycles exactFc =
      countNpuRefCycles(fc, NpuRefMode::ZeroSkip, packed.bitmap, p);
  CandidateCost predFc = predictNpuRef(fc, NpuRefMode::ZeroSkip, s, p);
  EXPECT_EQ(exactFc.memoryBoundTiles, 2);
  EXPECT_NEAR(predFc.memoryCycles, exactFc.memoryCycles, 1e-6);
  EXPECT_LT(std::fabs(predFc.cycles - exactFc.cycles) / exactFc.cycles, 0.01);
}

TEST(PredictX86, DirectReadsSkipTheIm2colAndPadEachOutputRow) {
  // A 3x3 convolution 64 -> 64 on 56x56: m = 3136, k = 576.
  GemmGeometry g;
  g.m = 3136;
  g.k = 576;
  g.n = 64;
  g.activationElements = 64 * 58 * 58;
  X86Params p;
  p.csrDirectNsPerFma = 2 * p.csrNsPerFma;
  X86ActLayout staged, direct;
  direct.kind = X86ActKind::Direct;
  direct.rowWidth = 56;
  direct.rows = 56;
  std::optional<CandidateCost> s = predictX86(g, X86Impl::Dense, 0, staged, p);
  std::optional<CandidateCost> d = predictX86(g, X86Impl::Dense, 0, direct, p);
  ASSERT_TRUE(s && d);
  // n = 64 rounds up to 66 (R = 6 rows per tile).
  double staging = 576.0 * 3136 * p.stageNsPerElement;
  EXPECT_DOUBLE_EQ(s->cycles, 2.0 * 3136 * 66 * 576 / p.denseGflops + staging +
                                  p.layerUs * 1e3);
  // Direct: no stage, each row of 56 computed as 64 lanes.
  EXPECT_DOUBLE_EQ(d->cycles,
                   2.0 * 56 * 64 * 66 * 576 / p.denseGflops + p.layerUs * 1e3);
  // csr: 196 vectors staged; 56 rows of 4 vectors direct, at the direct
  // rate, no stage.
  std::optional<CandidateCost> sc =
      predictX86(g, X86Impl::Csr, 1000, staged, p);
  std::optional<CandidateCost> dc =
      predictX86(g, X86Impl::Csr, 1000, direct, p);
  ASSERT_TRUE(sc && dc);
  EXPECT_DOUBLE_EQ(sc->computeCycles,
                   1000.0 * 196 * p.csrNsPerFma + 64.0 * 25 * p.csrNsPerRow);
  EXPECT_DOUBLE_EQ(dc->computeCycles, 1000.0 * 224 * p.csrDirectNsPerFma +
                                          64.0 * 28 * p.csrNsPerRow);
  EXPECT_DOUBLE_EQ(sc->cycles - sc->computeCycles - staging,
                   dc->cycles - dc->computeCycles);
}

TEST(PredictX86, CsrTakesTheUncachedRateAboveTheCacheSize) {
  // FC layers of 128 rows: one tile of 8 vectors reads k x 128 floats.
  auto fc = [](int64_t k) {
    GemmGeometry g;
    g.m = 128;
    g.k = k;
    g.n = 768;
    g.activationElements = 128 * k;
    return g;
  };
  X86ActLayout layout;
  layout.kind = X86ActKind::FullyConnected;
  X86Params p;
  p.csrCacheBytes = 1 << 20;
  p.csrUncachedNsPerFma = 3 * p.csrNsPerFma;
  auto perFma = [&](int64_t k) {
    std::optional<CandidateCost> c =
        predictX86(fc(k), X86Impl::Csr, 1000, layout, p);
    EXPECT_TRUE(c);
    return c ? (c->computeCycles - 768.0 * p.csrNsPerRow) / (1000.0 * 8) : 0.0;
  };
  // 2048 x 128 x 4 bytes = 1 MiB: still the cached rate; 2049 is over it.
  EXPECT_DOUBLE_EQ(perFma(2048), p.csrNsPerFma);
  EXPECT_DOUBLE_EQ(perFma(2049), p.csrUncachedNsPerFma);
  // Without a cache size, one rate.
  p.csrCacheBytes = 0;
  EXPECT_DOUBLE_EQ(perFma(3072), p.csrNsPerFma);
}

TEST(X86Tiling, DirectTilesHoldWholeOutputRows) {
  GemmGeometry g;
  g.m = 784; // 49 vectors staged: 7 tiles of 7, 3 weight rows.
  g.k = 1152;
  g.n = 128;
  X86Tiling staged = getX86Tiling(g);
  EXPECT_EQ(staged.denseVecs, 7);
  EXPECT_EQ(staged.denseRows, 3);
  // 28 rows of 28 (2 vectors each): 2 rows per tile, 6 weight rows. 7
  // vectors would hold 3 rows, 6 of its vectors used.
  X86ActLayout direct;
  direct.kind = X86ActKind::Direct;
  direct.rowWidth = 28;
  direct.rows = 28;
  X86Tiling d = getX86Tiling(g, direct);
  EXPECT_EQ(d.denseVecs, 4);
  EXPECT_EQ(d.denseRows, 6);
  // 3 rows of 72 (5 vectors): one row per tile, none split.
  direct.rowWidth = 72;
  direct.rows = 3;
  g.m = 216;
  EXPECT_EQ(getX86Tiling(g, direct).denseVecs, 5);
  // 14 rows of 14: tiles of 2 rows pad nothing.
  direct.rowWidth = 14;
  direct.rows = 14;
  g.m = 196;
  EXPECT_EQ(getX86Tiling(g, direct).denseVecs, 2);
  EXPECT_EQ(getX86Tiling(g, direct).denseRows, 8);
}

} // namespace
