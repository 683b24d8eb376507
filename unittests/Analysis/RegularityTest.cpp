//===- RegularityTest.cpp - N:M and block structure of a zero mask --------===//
//
// Part of sparsity-mlir. Unit tests of detectNM and detectBlock: hand-made
// cases for each rule of the contract, then pseudo-random masks checked
// against a brute-force reading of the same contract (shapes chosen so that
// runs cross machine-word boundaries).
//
//===----------------------------------------------------------------------===//

#include "sparsity-mlir/Analysis/Regularity.h"

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/MathExtras.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include <algorithm>
#include <cstdint>
#include <random>

using namespace mlir;
using namespace mlir::sparsity;

using ::testing::ElementsAre;

namespace {

/// The zero mask of a tensor of `shape` in which `isZero(index)` says which
/// elements are zero.
ElementMask zerosWhere(ArrayRef<int64_t> shape,
                       llvm::function_ref<bool(ArrayRef<int64_t>)> isZero) {
  ElementMask zeros(shape);
  SmallVector<int64_t> index(shape.size(), 0);
  for (int64_t linear = 0, e = zeros.size(); linear < e; ++linear) {
    if (isZero(index))
      zeros.set(linear);
    for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d >= 0; --d) {
      if (++index[d] < shape[d])
        break;
      index[d] = 0;
    }
  }
  return zeros;
}

/// Expects `nm` to be `n`:`m` along `dim`.
void expectNM(std::optional<NMRegularity> nm, int64_t n, int64_t m,
              int64_t dim) {
  ASSERT_TRUE(nm.has_value()) << "expected " << n << ":" << m;
  EXPECT_EQ(nm->n, n);
  EXPECT_EQ(nm->m, m);
  EXPECT_EQ(nm->dim, dim);
}

//===----------------------------------------------------------------------===//
// N:M
//===----------------------------------------------------------------------===//

TEST(RegularityTest, TwoFourAlongRows) {
  // Two non-zeros in every group of 4, at positions that move with the row.
  // Groups of 8 and 16 hold 4 and 8: the same ratio, so the smallest M wins.
  ElementMask zeros = zerosWhere({3, 16}, [](ArrayRef<int64_t> index) {
    int64_t position = index[1] % 4;
    return position != index[0] % 4 && position != (index[0] + 1) % 4;
  });
  expectNM(detectNM(zeros, /*dim=*/1), 2, 4, 1);
}

TEST(RegularityTest, OneFourIsTighterThanTwoFour) {
  // One non-zero per group of 4: 2:4 holds too, but 1:4 says more.
  ElementMask zeros = zerosWhere({4, 16}, [](ArrayRef<int64_t> index) {
    return index[1] % 4 != index[0];
  });
  expectNM(detectNM(zeros, /*dim=*/1), 1, 4, 1);
}

TEST(RegularityTest, SmallerRatioAtLargerM) {
  // One non-zero per group of 8: 1:4 holds, but 1:8 (and 2:16, the same
  // ratio at a larger M) is tighter.
  ElementMask zeros = zerosWhere(
      {2, 32}, [](ArrayRef<int64_t> index) { return index[1] % 8 != 3; });
  expectNM(detectNM(zeros, /*dim=*/1), 1, 8, 1);

  // Three non-zeros per group of 16, at most two in a group of 4: 3:16
  // (0.1875) beats 2:4, 2:8 and every other candidate.
  ElementMask sixteen = zerosWhere({16}, [](ArrayRef<int64_t> index) {
    return index[0] != 0 && index[0] != 1 && index[0] != 9;
  });
  expectNM(detectNM(sixteen, /*dim=*/0), 3, 16, 0);
}

TEST(RegularityTest, AlongAnOuterDimension) {
  // A conv weight OIHW of 2x16x3x3 with 1:4 along the input channels: the
  // groups are strided by the 3x3 kernel.
  ElementMask zeros = zerosWhere({2, 16, 3, 3}, [](ArrayRef<int64_t> index) {
    return index[1] % 4 != (index[0] + index[2] + index[3]) % 4;
  });
  expectNM(detectNM(zeros, /*dim=*/1), 1, 4, 1);
  // Along the output channels (size 2) no M divides.
  EXPECT_FALSE(detectNM(zeros, /*dim=*/0).has_value());

  // A [K, N] matmul weight with 2:4 along K and rows of 70 bits, which
  // straddle machine words.
  ElementMask matmul = zerosWhere({8, 70}, [](ArrayRef<int64_t> index) {
    return (index[0] + index[1]) % 4 >= 2;
  });
  expectNM(detectNM(matmul, /*dim=*/0), 2, 4, 0);
}

TEST(RegularityTest, TwoFourBrokenByOneGroup) {
  // 2:4 everywhere but in one group, which holds 3 non-zeros: its groups of
  // 8 and 16 exceed 4 and 8 as well, so nothing holds. Another group holds
  // a single non-zero, so that half the elements are still zero and the
  // groups themselves decide. The broken group is the first or the last one
  // the walk reaches, along the innermost dimension and along an outer one.
  for (int64_t brokenRow : {0, 3}) {
    int64_t sparseRow = 3 - brokenRow;
    ElementMask zeros = zerosWhere({4, 16}, [&](ArrayRef<int64_t> index) {
      int64_t row = index[0], column = index[1];
      if (row == brokenRow && column >= 12 && column % 4 == 2)
        return false;
      if (row == sparseRow && column == 1)
        return true;
      return column % 4 >= 2;
    });
    ASSERT_EQ(2 * zeros.count(), zeros.size());
    EXPECT_FALSE(detectNM(zeros, /*dim=*/1).has_value())
        << "broken group in row " << brokenRow;
    EXPECT_FALSE(detectNM(zeros.transpose({1, 0}), /*dim=*/0).has_value())
        << "broken group in column " << brokenRow;
  }
}

TEST(RegularityTest, DimensionNotDivisible) {
  // All zero but one column, along a dimension of 6 and one of 2.
  ElementMask zeros =
      zerosWhere({2, 6}, [](ArrayRef<int64_t> index) { return index[1] != 0; });
  EXPECT_FALSE(detectNM(zeros, /*dim=*/1).has_value());
  EXPECT_FALSE(detectNM(zeros, /*dim=*/0).has_value());
}

TEST(RegularityTest, DenseAndTooFewZeros) {
  ElementMask dense(ArrayRef<int64_t>{4, 16});
  EXPECT_FALSE(detectNM(dense, /*dim=*/1).has_value());
  // Fewer than half zeros: no N <= M / 2 can hold.
  ElementMask sparse = zerosWhere(
      {4, 16}, [](ArrayRef<int64_t> index) { return index[1] % 4 == 0; });
  EXPECT_FALSE(detectNM(sparse, /*dim=*/1).has_value());
}

TEST(RegularityTest, DimensionOutOfRange) {
  ElementMask zeros({4, 4}, /*value=*/true);
  EXPECT_FALSE(detectNM(zeros, /*dim=*/2).has_value());
  EXPECT_FALSE(detectNM(zeros, /*dim=*/-1).has_value());
}

TEST(RegularityTest, AllZeroNM) {
  // N is at least 1, so an all-zero weight gets 1:M at the largest M.
  ElementMask zeros({8, 12}, /*value=*/true);
  expectNM(detectNM(zeros, /*dim=*/0), 1, 8, 0);
  expectNM(detectNM(zeros, /*dim=*/1), 1, 4, 1);
  expectNM(detectNM(ElementMask({32}, /*value=*/true), 0), 1, 16, 0);
}

//===----------------------------------------------------------------------===//
// Blocks
//===----------------------------------------------------------------------===//

TEST(RegularityTest, BlockFourByOne) {
  // 8x3, in blocks of 4 rows: block (b, j) is zero when b + j is even.
  // Rows 3 and 4 differ, so 8 fails; the columns differ, so [4, 1].
  ElementMask zeros = zerosWhere({8, 3}, [](ArrayRef<int64_t> index) {
    return (index[0] / 4 + index[1]) % 2 == 0;
  });
  std::optional<BlockRegularity> block = detectBlock(zeros);
  ASSERT_TRUE(block.has_value());
  EXPECT_THAT(block->shape, ElementsAre(4, 1));
  EXPECT_EQ(block->nonzeroBlocks, 3);
}

TEST(RegularityTest, BlockKernelLevel) {
  // OIHW 4x2x3x3 with whole 3x3 kernels pruned: (0, 0), (2, 1), (3, 0).
  ElementMask zeros = zerosWhere({4, 2, 3, 3}, [](ArrayRef<int64_t> index) {
    return (index[0] + index[1]) % 3 == 0;
  });
  std::optional<BlockRegularity> block = detectBlock(zeros);
  ASSERT_TRUE(block.has_value());
  EXPECT_THAT(block->shape, ElementsAre(1, 1, 3, 3));
  EXPECT_EQ(block->nonzeroBlocks, 5);
}

TEST(RegularityTest, BlockCombined) {
  // A checkerboard of 2x2 blocks on 4x6: each dimension alone allows 2 (4
  // and 6 fail), and the combined [2, 2] holds.
  ElementMask zeros = zerosWhere({4, 6}, [](ArrayRef<int64_t> index) {
    return (index[0] / 2 + index[1] / 2) % 2 == 0;
  });
  std::optional<BlockRegularity> block = detectBlock(zeros);
  ASSERT_TRUE(block.has_value());
  EXPECT_THAT(block->shape, ElementsAre(2, 2));
  EXPECT_EQ(block->nonzeroBlocks, 3);
}

TEST(RegularityTest, BlockNoneForDenseOrUnstructured) {
  EXPECT_FALSE(detectBlock(ElementMask(ArrayRef<int64_t>{8, 8})).has_value());
  // One zero element: only 1x1 blocks explain it.
  ElementMask single = zerosWhere({8, 8}, [](ArrayRef<int64_t> index) {
    return index[0] == 5 && index[1] == 2;
  });
  EXPECT_FALSE(detectBlock(single).has_value());
  // Rank 0 has no blocks.
  EXPECT_FALSE(detectBlock(ElementMask({}, /*value=*/true)).has_value());
}

TEST(RegularityTest, BlockAllZero) {
  // The largest allowed size of every dimension: 32 for 64 (powers of two
  // stop at 32), the whole dimension for 6 and 3.
  std::optional<BlockRegularity> block =
      detectBlock(ElementMask({64, 6, 3, 3}, /*value=*/true));
  ASSERT_TRUE(block.has_value());
  EXPECT_THAT(block->shape, ElementsAre(32, 6, 3, 3));
  EXPECT_EQ(block->nonzeroBlocks, 0);
  // 12 allows 2 and 4 only (not the whole dimension, which is above 7).
  block = detectBlock(ElementMask({12}, /*value=*/true));
  ASSERT_TRUE(block.has_value());
  EXPECT_THAT(block->shape, ElementsAre(4));
}

//===----------------------------------------------------------------------===//
// Pseudo-random masks against a brute-force reading of the contract
//===----------------------------------------------------------------------===//

/// Returns true if every aligned block of `blockShape` in `zeros` is all
/// zero or all non-zero, comparing every element with its block's first.
bool isUniform(const ElementMask &zeros, ArrayRef<int64_t> blockShape) {
  ArrayRef<int64_t> shape = zeros.getShape();
  int64_t rank = shape.size();
  SmallVector<int64_t> strides(rank, 1);
  for (int64_t d = rank - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * shape[d + 1];
  for (int64_t linear = 0, e = zeros.size(); linear < e; ++linear) {
    int64_t first = 0;
    for (int64_t d = 0; d < rank; ++d) {
      int64_t coordinate = linear / strides[d] % shape[d];
      first += coordinate / blockShape[d] * blockShape[d] * strides[d];
    }
    if (zeros.test(linear) != zeros.test(first))
      return false;
  }
  return true;
}

/// The largest non-zero count of an aligned group of `m` along `dim`.
int64_t maxGroupNonZeros(const ElementMask &zeros, int64_t dim, int64_t m) {
  ArrayRef<int64_t> shape = zeros.getShape();
  int64_t inner = 1;
  for (int64_t d = dim + 1, e = shape.size(); d < e; ++d)
    inner *= shape[d];
  int64_t outer = zeros.size() / (inner * shape[dim]);
  int64_t largest = 0;
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t start = 0; start < shape[dim]; start += m)
      for (int64_t j = 0; j < inner; ++j) {
        int64_t count = 0;
        for (int64_t t = start; t < start + m; ++t)
          count += !zeros.test((o * shape[dim] + t) * inner + j);
        largest = std::max(largest, count);
      }
  return largest;
}

/// The block sizes above 1 the contract allows along a dimension of `size`.
SmallVector<int64_t> allowedBlockSizes(int64_t size) {
  SmallVector<int64_t> sizes;
  for (int64_t p = 2; p <= 32; p *= 2)
    if (size % p == 0)
      sizes.push_back(p);
  if (size <= 7 && !llvm::isPowerOf2_64(size))
    sizes.push_back(size);
  return sizes;
}

/// Returns true if `zeros` is uniform in blocks of `size` along `dim` alone.
bool isUniformAlong(const ElementMask &zeros, int64_t dim, int64_t size) {
  SmallVector<int64_t> blockShape(zeros.getRank(), 1);
  blockShape[dim] = size;
  return isUniform(zeros, blockShape);
}

/// detectNM by the letter of its contract.
std::optional<NMRegularity> referenceNM(const ElementMask &zeros, int64_t dim) {
  if (zeros.count() == 0)
    return std::nullopt;
  std::optional<NMRegularity> best;
  for (int64_t m : {4, 8, 16}) {
    if (zeros.getShape()[dim] % m != 0)
      continue;
    int64_t n = std::max<int64_t>(1, maxGroupNonZeros(zeros, dim, m));
    if (n <= m / 2 && (!best || n * best->m < best->n * m))
      best = NMRegularity{n, m, dim};
  }
  return best;
}

TEST(RegularityTest, RandomMasksMatchTheContract) {
  std::mt19937 random(20240601);
  const SmallVector<int64_t> shapes[] = {{16, 70}, {4, 16, 3, 3}, {8, 4, 5},
                                         {2, 130}, {32, 8},       {6, 12, 2}};
  int64_t withNM = 0, withBlock = 0;
  for (auto [shapeIndex, shapeVector] : llvm::enumerate(shapes)) {
    ArrayRef<int64_t> shape = shapeVector;
    int64_t rank = shape.size();
    for (int trial = 0; trial < 40; ++trial) {
      SCOPED_TRACE(testing::Message()
                   << "shape #" << shapeIndex << ", trial " << trial);
      // Zeros in blocks of a random allowed shape (so that detectBlock has
      // something to find), each block zero or not at random, and sometimes
      // one stray element flipped.
      SmallVector<int64_t> generator;
      for (int64_t size : shape) {
        SmallVector<int64_t> sizes = allowedBlockSizes(size);
        sizes.push_back(1);
        generator.push_back(sizes[random() % sizes.size()]);
      }
      std::bernoulli_distribution nonZeroBlock(trial % 4 == 0 ? 0.2 : 0.6);
      int64_t numBlocks = 1;
      for (auto [size, blockSize] : llvm::zip_equal(shape, generator))
        numBlocks *= size / blockSize;
      SmallVector<bool> zeroBlock;
      for (int64_t b = 0; b < numBlocks; ++b)
        zeroBlock.push_back(!nonZeroBlock(random));
      ElementMask zeros = zerosWhere(shape, [&](ArrayRef<int64_t> index) {
        int64_t block = 0;
        for (auto [d, coordinate] : llvm::enumerate(index))
          block = block * (shape[d] / generator[d]) + coordinate / generator[d];
        return zeroBlock[block];
      });
      if (trial % 3 == 0)
        zeros.getBits().flip(random() % zeros.size());

      for (int64_t dim = 0; dim < rank; ++dim) {
        std::optional<NMRegularity> expected = referenceNM(zeros, dim);
        std::optional<NMRegularity> nm = detectNM(zeros, dim);
        ASSERT_EQ(nm.has_value(), expected.has_value()) << "dimension " << dim;
        if (!nm)
          continue;
        ++withNM;
        EXPECT_EQ(nm->n, expected->n);
        EXPECT_EQ(nm->m, expected->m);
        EXPECT_EQ(nm->dim, dim);
      }

      std::optional<BlockRegularity> block = detectBlock(zeros);
      if (!block) {
        // Without zeros, or with no size above 1 uniform on its own.
        if (zeros.count() == 0)
          continue;
        for (int64_t dim = 0; dim < rank; ++dim)
          for (int64_t size : allowedBlockSizes(shape[dim]))
            EXPECT_FALSE(isUniformAlong(zeros, dim, size))
                << "dimension " << dim << ", size " << size;
        continue;
      }
      ++withBlock;
      ASSERT_EQ(block->shape.size(), shape.size());
      EXPECT_TRUE(isUniform(zeros, block->shape));
      // Maximal: no larger allowed size is uniform along its dimension.
      int64_t volume = 1;
      for (int64_t dim = 0; dim < rank; ++dim) {
        volume *= block->shape[dim];
        for (int64_t size : allowedBlockSizes(shape[dim])) {
          if (size > block->shape[dim]) {
            EXPECT_FALSE(isUniformAlong(zeros, dim, size))
                << "dimension " << dim << ", size " << size;
          }
        }
      }
      EXPECT_GT(volume, 1);
      EXPECT_EQ(block->nonzeroBlocks * volume, zeros.size() - zeros.count());
    }
  }
  // The generator produced both outcomes often enough to mean something.
  EXPECT_GT(withNM, 20);
  EXPECT_GT(withBlock, 100);
}

} // namespace
