//===- ElementMaskTest.cpp - a boolean mask over a tensor's elements ------===//
//
// Part of sparsity-mlir. Unit tests of ElementMask (slice updates and
// queries, transpose, reshape, extract_slice) and of getZeroMask on the
// payload kinds and element types it reads.
//
//===----------------------------------------------------------------------===//

#include "sparsity-mlir/Analysis/ElementMask.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/ADT/StringRef.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include <cstdint>
#include <limits>
#include <string>

using namespace mlir;
using namespace mlir::sparsity;

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

namespace {

/// A mask of `shape` with the bits of `bits` in row-major order: '1' is set,
/// '0' is not, anything else (spaces between rows) is skipped.
ElementMask maskFrom(ArrayRef<int64_t> shape, StringRef bits) {
  ElementMask mask(shape);
  int64_t linear = 0;
  for (char c : bits) {
    if (c != '0' && c != '1')
      continue;
    if (c == '1')
      mask.set(linear);
    ++linear;
  }
  EXPECT_EQ(linear, mask.size()) << "wrong number of bits for the shape";
  return mask;
}

/// The bits of `mask` in row-major order, as '0' and '1'.
std::string bitsOf(const ElementMask &mask) {
  std::string text;
  for (int64_t i = 0, e = mask.size(); i < e; ++i)
    text.push_back(mask.test(i) ? '1' : '0');
  return text;
}

/// The set indices of every dimension.
SmallVector<SmallVector<int64_t>> indicesOf(ArrayRef<llvm::BitVector> slices) {
  SmallVector<SmallVector<int64_t>> indices;
  for (const llvm::BitVector &bits : slices)
    indices.push_back(getSetIndices(bits));
  return indices;
}

/// A BitVector of `size` bits with `indices` set.
llvm::BitVector bitsAt(int64_t size, ArrayRef<int64_t> indices) {
  llvm::BitVector bits(size);
  for (int64_t index : indices)
    bits.set(index);
  return bits;
}

//===----------------------------------------------------------------------===//
// The mask
//===----------------------------------------------------------------------===//

TEST(ElementMaskTest, ConstructAllSetOrClear) {
  ElementMask clear(ArrayRef<int64_t>{2, 3});
  EXPECT_THAT(clear.getShape(), ElementsAre(2, 3));
  EXPECT_EQ(clear.getRank(), 2);
  EXPECT_EQ(clear.size(), 6);
  EXPECT_EQ(clear.count(), 0);
  EXPECT_FALSE(clear.all());

  ElementMask full({2, 3}, /*value=*/true);
  EXPECT_EQ(full.count(), 6);
  EXPECT_TRUE(full.all());

  // A rank-0 mask has one element.
  ElementMask scalar(ArrayRef<int64_t>{});
  EXPECT_EQ(scalar.getRank(), 0);
  EXPECT_EQ(scalar.size(), 1);
}

TEST(ElementMaskTest, SetSlicesOfEveryDimension) {
  // 2x3x2: setting slice 1 of the middle dimension sets (o, 1, j).
  ElementMask middle({2, 3, 2});
  middle.setSlices(1, bitsAt(3, {1}));
  EXPECT_EQ(bitsOf(middle), "001100"
                            "001100");

  ElementMask outer({2, 3, 2});
  outer.setSlices(0, bitsAt(2, {1}));
  EXPECT_EQ(bitsOf(outer), "000000"
                           "111111");

  ElementMask innermost({2, 3, 2});
  innermost.setSlices(2, bitsAt(2, {0}));
  EXPECT_EQ(bitsOf(innermost), "101010"
                               "101010");

  // Several slices at once, on top of what is already set; no slice at all
  // changes nothing.
  innermost.setSlices(1, bitsAt(3, {0, 2}));
  EXPECT_EQ(bitsOf(innermost), "111011"
                               "111011");
  innermost.setSlices(0, bitsAt(2, {}));
  EXPECT_EQ(innermost.count(), 10);
}

TEST(ElementMaskTest, OrAssign) {
  ElementMask mask = maskFrom({2, 2}, "10 00");
  mask |= maskFrom({2, 2}, "00 01");
  EXPECT_EQ(bitsOf(mask), "1001");
  mask |= maskFrom({2, 2}, "10 01");
  EXPECT_EQ(bitsOf(mask), "1001");
}

TEST(ElementMaskTest, FullAndAnySlices) {
  // 3x4:
  //   1 1 0 1
  //   1 1 1 1
  //   0 1 0 0
  ElementMask mask = maskFrom({3, 4}, "1101 1111 0100");
  EXPECT_THAT(indicesOf(mask.getFullSlices()),
              ElementsAre(ElementsAre(1), ElementsAre(1)));
  EXPECT_THAT(indicesOf(mask.getAnySlices()),
              ElementsAre(ElementsAre(0, 1, 2), ElementsAre(0, 1, 2, 3)));

  // Nothing set: no slice is full, none has a bit.
  ElementMask clear(ArrayRef<int64_t>{2, 3});
  EXPECT_THAT(indicesOf(clear.getFullSlices()),
              ElementsAre(IsEmpty(), IsEmpty()));
  EXPECT_THAT(indicesOf(clear.getAnySlices()),
              ElementsAre(IsEmpty(), IsEmpty()));

  // Rank 3, where the outer dimensions are tracked through a running index.
  // 2x2x3: slice 1 of dim 0 is full; (0, 0, 2) is the only bit of slice 0.
  ElementMask cube = maskFrom({2, 2, 3}, "001 000  111 111");
  EXPECT_THAT(indicesOf(cube.getFullSlices()),
              ElementsAre(ElementsAre(1), IsEmpty(), IsEmpty()));
  EXPECT_THAT(
      indicesOf(cube.getAnySlices()),
      ElementsAre(ElementsAre(0, 1), ElementsAre(0, 1), ElementsAre(0, 1, 2)));
}

TEST(ElementMaskTest, Transpose) {
  // 2x3 -> 3x2.
  ElementMask mask = maskFrom({2, 3}, "100 011");
  ElementMask transposed = mask.transpose({1, 0});
  EXPECT_THAT(transposed.getShape(), ElementsAre(3, 2));
  EXPECT_EQ(bitsOf(transposed), "10"
                                "01"
                                "01");

  // 2x3x2 with the bit at (a, b, c) set when a + b + c == 3 (three of
  // them); permutation [2, 0, 1] gives shape 2x2x3 with result(i, j, k) =
  // source(j, k, i).
  ElementMask cube({2, 3, 2});
  for (int64_t a = 0; a < 2; ++a)
    for (int64_t b = 0; b < 3; ++b)
      for (int64_t c = 0; c < 2; ++c)
        if (a + b + c == 3)
          cube.set((a * 3 + b) * 2 + c);
  ElementMask rotated = cube.transpose({2, 0, 1});
  EXPECT_THAT(rotated.getShape(), ElementsAre(2, 2, 3));
  for (int64_t i = 0; i < 2; ++i)
    for (int64_t j = 0; j < 2; ++j)
      for (int64_t k = 0; k < 3; ++k)
        EXPECT_EQ(rotated.test((i * 2 + j) * 3 + k), i + j + k == 3)
            << "at " << i << ", " << j << ", " << k;
  EXPECT_EQ(rotated.count(), 3);

  // The identity permutation changes nothing.
  EXPECT_EQ(bitsOf(mask.transpose({0, 1})), bitsOf(mask));
}

TEST(ElementMaskTest, Reshape) {
  ElementMask mask = maskFrom({2, 6}, "100001 011000");
  ElementMask reshaped = mask.reshape({3, 2, 2});
  EXPECT_THAT(reshaped.getShape(), ElementsAre(3, 2, 2));
  EXPECT_EQ(bitsOf(reshaped), bitsOf(mask));
  // The slices are those of the new shape: row 1 of dim 0 is elements 4-7.
  EXPECT_THAT(indicesOf(reshaped.getAnySlices())[0], ElementsAre(0, 1, 2));
  EXPECT_THAT(indicesOf(reshaped.reshape({12}).getFullSlices())[0],
              ElementsAre(0, 5, 7, 8));
}

TEST(ElementMaskTest, ExtractSlice) {
  // 3x4, element (i, j) set when j == i.
  ElementMask mask = maskFrom({3, 4}, "1000 0100 0010");
  // Rows 1-2, columns 1-3.
  ElementMask window = mask.extractSlice({1, 1}, {2, 3}, {1, 1});
  EXPECT_THAT(window.getShape(), ElementsAre(2, 3));
  EXPECT_EQ(bitsOf(window), "100"
                            "010");
  // Rows 0 and 2, columns 0 and 2 (stride 2).
  ElementMask strided = mask.extractSlice({0, 0}, {2, 2}, {2, 2});
  EXPECT_EQ(bitsOf(strided), "10"
                             "01");
  // A single column.
  ElementMask column = mask.extractSlice({0, 2}, {3, 1}, {1, 1});
  EXPECT_EQ(bitsOf(column), "001");
}

TEST(ElementMaskTest, SetIndices) {
  EXPECT_THAT(getSetIndices(bitsAt(70, {0, 3, 64, 69})),
              ElementsAre(0, 3, 64, 69));
  EXPECT_THAT(getSetIndices(llvm::BitVector(5)), IsEmpty());
}

//===----------------------------------------------------------------------===//
// getZeroMask
//===----------------------------------------------------------------------===//

class ZeroMaskTest : public ::testing::Test {
protected:
  RankedTensorType tensorOf(ArrayRef<int64_t> shape, Type elementType) {
    return RankedTensorType::get(shape, elementType);
  }

  /// Returns the zero mask of `values` as bits, expecting success.
  std::string zerosOf(ElementsAttr values) {
    std::string whyNot;
    FailureOr<ElementMask> mask = getZeroMask(values, whyNot);
    if (failed(mask)) {
      ADD_FAILURE() << "getZeroMask failed: " << whyNot;
      return "";
    }
    EXPECT_EQ(mask->getShape(), values.getShapedType().getShape());
    return bitsOf(*mask);
  }

  /// A dense constant of a float `elementType` with `values`, each rounded
  /// to the nearest value of that type.
  DenseElementsAttr floats(ArrayRef<int64_t> shape, FloatType elementType,
                           ArrayRef<double> values) {
    SmallVector<Attribute> elements;
    for (double value : values)
      elements.push_back(FloatAttr::get(elementType, value));
    return DenseElementsAttr::get(tensorOf(shape, elementType), elements);
  }

  MLIRContext context;
};

TEST_F(ZeroMaskTest, DenseF32WithNegativeZero) {
  auto values = DenseElementsAttr::get(
      tensorOf({2, 3}, Float32Type::get(&context)),
      ArrayRef<float>{0.0f, -0.0f, 1.0f, -2.0f,
                      std::numeric_limits<float>::denorm_min(), 0.0f});
  // -0.0 is zero; a denormal is not.
  EXPECT_EQ(zerosOf(values), "110001");
}

TEST_F(ZeroMaskTest, Splats) {
  auto zero = DenseElementsAttr::get(
      tensorOf({2, 2}, Float32Type::get(&context)), ArrayRef<float>{0.0f});
  ASSERT_TRUE(zero.isSplat());
  EXPECT_EQ(zerosOf(zero), "1111");

  auto negativeZero = DenseElementsAttr::get(
      tensorOf({3}, Float32Type::get(&context)), ArrayRef<float>{-0.0f});
  ASSERT_TRUE(negativeZero.isSplat());
  EXPECT_EQ(zerosOf(negativeZero), "111");

  auto nonZero = DenseElementsAttr::get(
      tensorOf({2, 2}, IntegerType::get(&context, 8)), ArrayRef<int8_t>{3});
  ASSERT_TRUE(nonZero.isSplat());
  EXPECT_EQ(zerosOf(nonZero), "0000");
}

TEST_F(ZeroMaskTest, Int8SignBitIsNonZero) {
  auto values =
      DenseElementsAttr::get(tensorOf({4}, IntegerType::get(&context, 8)),
                             ArrayRef<int8_t>{0, -128, 1, 0});
  EXPECT_EQ(zerosOf(values), "1001");
}

TEST_F(ZeroMaskTest, HalfPrecisionFloats) {
  EXPECT_EQ(zerosOf(floats({2, 2}, BFloat16Type::get(&context),
                           {-0.0, 1.0, 0.0, -3.0})),
            "1010");
  // The smallest f16 denormal (about 6e-8) is non-zero.
  EXPECT_EQ(zerosOf(floats({4}, Float16Type::get(&context),
                           {0.0, 6.0e-8, -0.0, 0.5})),
            "1010");
}

TEST_F(ZeroMaskTest, DenseResource) {
  const int32_t data[] = {0, 7, 0, 0, -1, 0};
  auto values = DenseResourceElementsAttr::get(
      tensorOf({2, 3}, IntegerType::get(&context, 32)), "mask_weight",
      HeapAsmResourceBlob::allocateAndCopyInferAlign(ArrayRef<int32_t>(data)));
  EXPECT_EQ(zerosOf(values), "101101");
}

TEST_F(ZeroMaskTest, Unreadable) {
  std::string whyNot;
  auto i1 = DenseElementsAttr::get(tensorOf({2}, IntegerType::get(&context, 1)),
                                   ArrayRef<bool>{true, false});
  EXPECT_TRUE(failed(getZeroMask(i1, whyNot)));
  EXPECT_THAT(whyNot, HasSubstr("element type i1 is not supported"));

  whyNot.clear();
  auto &manager = DenseResourceElementsHandle::getManagerInterface(&context);
  auto elided = DenseResourceElementsAttr::get(
      tensorOf({4}, Float32Type::get(&context)), manager.insert("elided"));
  EXPECT_TRUE(failed(getZeroMask(elided, whyNot)));
  EXPECT_THAT(whyNot, HasSubstr("has no data"));
}

} // namespace
