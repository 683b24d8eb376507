//===- NpuRefTest.cpp - the npu-ref zero-skip packer ----------------------===//
//
// Part of sparsity-mlir. The bit-exact layout of packZeroSkip (tile order,
// lane order, bit positions across bytes, group padding) and its inverse on
// random matrices.
//
//===----------------------------------------------------------------------===//

#include "sparsity-mlir/Target/NpuRef.h"

#include "gtest/gtest.h"

#include <random>

using namespace mlir::sparsity;

namespace {

NpuRefParams makeParams(int64_t cols, int64_t tileK, int64_t group) {
  NpuRefParams p;
  p.cols = cols;
  p.tileK = tileK;
  p.group = group;
  return p;
}

// One lane of 80 elements in groups of 8: 10 groups, two bitmap bytes. Group
// 9 is bit 1 of the second byte (least significant bit first).
TEST(NpuRefPack, BitPositionsCrossBytesLeastSignificantFirst) {
  NpuRefParams p = makeParams(32, 256, 8);
  std::vector<float> w(80, 0.0f);
  w[0] = 1.0f;      // group 0: byte 0 bit 0
  w[3 * 8 + 5] = 2; // group 3: byte 0 bit 3
  w[9 * 8 + 7] = 3; // group 9: byte 1 bit 1
  NpuRefPacked packed = packZeroSkip(w, 1, 80, p);
  ASSERT_EQ(packed.bitmap.size(), 2u);
  EXPECT_EQ(packed.bitmap[0], 0x09);
  EXPECT_EQ(packed.bitmap[1], 0x02);
  ASSERT_EQ(packed.values.size(), 24u);
  EXPECT_EQ(packed.values[0], 1.0f);
  EXPECT_EQ(packed.values[8 + 5], 2.0f);
  EXPECT_EQ(packed.values[16 + 7], 3.0f);
}

// Three lanes with two lanes per tile and a reduction tile of 8: the bitmap
// goes output tile by output tile, then reduction tile, then lane.
TEST(NpuRefPack, TileThenReductionTileThenLaneOrder) {
  NpuRefParams p = makeParams(2, 8, 4);
  // W[3][12]: every lane keeps exactly one group, a different one each.
  std::vector<float> w(3 * 12, 0.0f);
  w[0 * 12 + 9] = 1.0f; // lane 0: reduction tile 1 (8..11), group 0
  w[1 * 12 + 5] = 2.0f; // lane 1: reduction tile 0, group 1
  w[2 * 12 + 0] = 3.0f; // lane 2 (second output tile): tile 0, group 0
  NpuRefPacked packed = packZeroSkip(w, 3, 12, p);
  // Output tile 0: k tile 0 lanes 0, 1; k tile 1 lanes 0, 1. Output tile 1:
  // k tile 0 lane 2; k tile 1 lane 2.
  std::vector<uint8_t> expected = {0x0, 0x2, 0x1, 0x0, 0x1, 0x0};
  EXPECT_EQ(packed.bitmap, expected);
  ASSERT_EQ(packed.values.size(), 12u);
  EXPECT_EQ(packed.values[1], 2.0f); // lane 1 first (k tile 0)
  EXPECT_EQ(packed.values[4 + 1], 1.0f);
  EXPECT_EQ(packed.values[8], 3.0f);
}

// A negative zero is a zero: its group is skipped.
TEST(NpuRefPack, NegativeZeroIsSkipped) {
  NpuRefParams p = makeParams(32, 256, 8);
  std::vector<float> w(8, -0.0f);
  NpuRefPacked packed = packZeroSkip(w, 1, 8, p);
  EXPECT_EQ(packed.bitmap, std::vector<uint8_t>{0});
  EXPECT_TRUE(packed.values.empty());
}

// Random sparse matrices of awkward sizes round-trip exactly, and the value
// count is group times the set bits.
TEST(NpuRefPack, RandomRoundTrip) {
  std::mt19937 rng(5);
  std::uniform_real_distribution<float> value(-1.0f, 1.0f);
  std::bernoulli_distribution keep(0.2);
  for (int64_t group : {1, 4, 8}) {
    NpuRefParams p = makeParams(5, 16, group);
    for (auto [n, k] : {std::pair<int64_t, int64_t>{7, 37}, {1, 1}, {11, 16}}) {
      std::vector<float> w(n * k);
      for (float &x : w)
        x = keep(rng) ? value(rng) : 0.0f;
      NpuRefPacked packed = packZeroSkip(w, n, k, p);
      int64_t bits = 0;
      for (uint8_t b : packed.bitmap)
        bits += __builtin_popcount(b);
      EXPECT_EQ(static_cast<int64_t>(packed.values.size()), bits * group);
      EXPECT_EQ(unpackZeroSkip(packed, n, k, p), w)
          << "n " << n << " k " << k << " group " << group;
    }
  }
}

} // namespace
