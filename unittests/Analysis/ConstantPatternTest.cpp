//===- ConstantPatternTest.cpp - zero structure of constant weights -------===//
//
// Part of sparsity-mlir. Unit tests of scanConstantZeros and buildPattern:
// exact non-zero counts and zero slices of dense, splat and dense_resource
// constants of every supported element type.
//
//===----------------------------------------------------------------------===//

#include "sparsity-mlir/Analysis/ConstantPattern.h"
#include "sparsity-mlir/Dialect/Sparsity/IR/SparsityAttrs.h"
#include "sparsity-mlir/Dialect/Sparsity/IR/SparsityDialect.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/raw_ostream.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include <complex>
#include <cstdint>
#include <limits>
#include <string>

using namespace mlir;
using namespace mlir::sparsity;

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

namespace {

class ConstantPatternTest : public ::testing::Test {
protected:
  ConstantPatternTest() { context.loadDialect<SparsityDialect>(); }

  RankedTensorType tensorOf(ArrayRef<int64_t> shape, Type elementType) {
    return RankedTensorType::get(shape, elementType);
  }

  /// Scans `values`, expecting success.
  ConstantZeros scan(ElementsAttr values) {
    std::string whyNot;
    FailureOr<ConstantZeros> zeros = scanConstantZeros(values, whyNot);
    if (failed(zeros)) {
      ADD_FAILURE() << "scan failed: " << whyNot;
      return ConstantZeros();
    }
    EXPECT_TRUE(whyNot.empty()) << whyNot;
    return *zeros;
  }

  /// Scans `values`, expecting failure; returns the reason.
  std::string scanFailure(ElementsAttr values) {
    std::string whyNot;
    FailureOr<ConstantZeros> zeros = scanConstantZeros(values, whyNot);
    EXPECT_TRUE(failed(zeros));
    EXPECT_FALSE(whyNot.empty());
    return whyNot;
  }

  /// A dense constant of `shape` and a float `elementType` with `values`.
  DenseElementsAttr denseFloats(ArrayRef<int64_t> shape, FloatType elementType,
                                ArrayRef<double> values) {
    SmallVector<APFloat> floats;
    for (double value : values) {
      APFloat converted(value);
      bool losesInfo = false;
      converted.convert(elementType.getFloatSemantics(),
                        APFloat::rmNearestTiesToEven, &losesInfo);
      floats.push_back(converted);
    }
    return DenseElementsAttr::get(tensorOf(shape, elementType), floats);
  }

  static std::string print(Attribute attr) {
    std::string text;
    llvm::raw_string_ostream os(text);
    attr.print(os);
    return text;
  }

  MLIRContext context;
};

//===----------------------------------------------------------------------===//
// Element types
//===----------------------------------------------------------------------===//

TEST_F(ConstantPatternTest, F32WithNegativeZero) {
  // [[0, -0, 1], [0, -0, 0]]: one non-zero; row 1 and columns 0, 1 are zero.
  auto values = DenseElementsAttr::get(
      tensorOf({2, 3}, Float32Type::get(&context)),
      ArrayRef<float>{0.0f, -0.0f, 1.0f, 0.0f, -0.0f, 0.0f});
  ConstantZeros zeros = scan(values);
  EXPECT_THAT(zeros.shape, ElementsAre(2, 3));
  EXPECT_EQ(zeros.nnz, 1);
  ASSERT_EQ(zeros.zeroSlices.size(), 2u);
  EXPECT_THAT(zeros.zeroSlices[0], ElementsAre(1));
  EXPECT_THAT(zeros.zeroSlices[1], ElementsAre(0, 1));
}

TEST_F(ConstantPatternTest, F32SmallestValuesAreNonZero) {
  // The smallest denormals of either sign, and a negative value, are not
  // zero.
  auto values = DenseElementsAttr::get(
      tensorOf({4}, Float32Type::get(&context)),
      ArrayRef<float>{std::numeric_limits<float>::denorm_min(),
                      -std::numeric_limits<float>::denorm_min(), -2.0f, 0.0f});
  ConstantZeros zeros = scan(values);
  EXPECT_EQ(zeros.nnz, 3);
  ASSERT_EQ(zeros.zeroSlices.size(), 1u);
  EXPECT_THAT(zeros.zeroSlices[0], ElementsAre(3));
}

TEST_F(ConstantPatternTest, F64WithNegativeZero) {
  auto values =
      DenseElementsAttr::get(tensorOf({2, 2}, Float64Type::get(&context)),
                             ArrayRef<double>{-0.0, 0.0, 3.5, -1e-300});
  ConstantZeros zeros = scan(values);
  EXPECT_EQ(zeros.nnz, 2);
  EXPECT_THAT(zeros.zeroSlices[0], ElementsAre(0));
  EXPECT_THAT(zeros.zeroSlices[1], IsEmpty());
}

TEST_F(ConstantPatternTest, F16) {
  auto values = denseFloats({2, 4}, Float16Type::get(&context),
                            {0.0, -0.0, 0.5, 0.0, 0.0, -0.0, -6.0e-8, 0.0});
  ConstantZeros zeros = scan(values);
  EXPECT_EQ(zeros.nnz, 2);
  EXPECT_THAT(zeros.zeroSlices[0], IsEmpty());
  EXPECT_THAT(zeros.zeroSlices[1], ElementsAre(0, 1, 3));
}

TEST_F(ConstantPatternTest, BF16) {
  auto values = denseFloats({3, 2}, BFloat16Type::get(&context),
                            {-0.0, 0.0, 1.0, -1.0, 0.0, -0.0});
  ConstantZeros zeros = scan(values);
  EXPECT_EQ(zeros.nnz, 2);
  EXPECT_THAT(zeros.zeroSlices[0], ElementsAre(0, 2));
  EXPECT_THAT(zeros.zeroSlices[1], IsEmpty());
}

TEST_F(ConstantPatternTest, F8WithoutNegativeZero) {
  // In f8E4M3FNUZ the bit pattern 0x80 is NaN, not -0: it is a non-zero.
  auto type = Float8E4M3FNUZType::get(&context);
  const llvm::fltSemantics &semantics = type.getFloatSemantics();
  APFloat nan(semantics, APInt(8, 0x80));
  ASSERT_TRUE(nan.isNaN());
  auto values = DenseElementsAttr::get(
      tensorOf({3}, type),
      ArrayRef<APFloat>{APFloat::getZero(semantics), nan,
                        APFloat(semantics, APInt(8, 0x01))});
  ConstantZeros zeros = scan(values);
  EXPECT_EQ(zeros.nnz, 2);
  EXPECT_THAT(zeros.zeroSlices[0], ElementsAre(0));

  // In f8E4M3FN, 0x80 is -0.
  auto ieeeLike = Float8E4M3FNType::get(&context);
  auto withNegZero = DenseElementsAttr::get(
      tensorOf({2}, ieeeLike),
      ArrayRef<APFloat>{APFloat(ieeeLike.getFloatSemantics(), APInt(8, 0x80)),
                        APFloat(ieeeLike.getFloatSemantics(), APInt(8, 0x01))});
  ConstantZeros ieeeZeros = scan(withNegZero);
  EXPECT_EQ(ieeeZeros.nnz, 1);
  EXPECT_THAT(ieeeZeros.zeroSlices[0], ElementsAre(0));
}

TEST_F(ConstantPatternTest, I8) {
  // -128 (0x80) is a non-zero integer: no sign-bit masking for integers.
  auto values =
      DenseElementsAttr::get(tensorOf({2, 3}, IntegerType::get(&context, 8)),
                             ArrayRef<int8_t>{0, 0, 0, -128, 0, 1});
  ConstantZeros zeros = scan(values);
  EXPECT_EQ(zeros.nnz, 2);
  EXPECT_THAT(zeros.zeroSlices[0], ElementsAre(0));
  EXPECT_THAT(zeros.zeroSlices[1], ElementsAre(1));
}

TEST_F(ConstantPatternTest, WideIntegersAndIndex) {
  auto i32 =
      DenseElementsAttr::get(tensorOf({4}, IntegerType::get(&context, 32)),
                             ArrayRef<int32_t>{0, INT32_MIN, 0, 256});
  ConstantZeros zeros32 = scan(i32);
  EXPECT_EQ(zeros32.nnz, 2);
  EXPECT_THAT(zeros32.zeroSlices[0], ElementsAre(0, 2));

  auto i64 =
      DenseElementsAttr::get(tensorOf({3}, IntegerType::get(&context, 64)),
                             ArrayRef<int64_t>{INT64_MIN, 0, int64_t{1} << 40});
  ConstantZeros zeros64 = scan(i64);
  EXPECT_EQ(zeros64.nnz, 2);
  EXPECT_THAT(zeros64.zeroSlices[0], ElementsAre(1));

  auto index = DenseElementsAttr::get(tensorOf({3}, IndexType::get(&context)),
                                      ArrayRef<int64_t>{5, 0, 0});
  ConstantZeros zerosIndex = scan(index);
  EXPECT_EQ(zerosIndex.nnz, 1);
  EXPECT_THAT(zerosIndex.zeroSlices[0], ElementsAre(1, 2));
}

TEST_F(ConstantPatternTest, UnsupportedElementTypes) {
  auto i1 = DenseElementsAttr::get(tensorOf({4}, IntegerType::get(&context, 1)),
                                   ArrayRef<bool>{true, false, true, false});
  EXPECT_THAT(scanFailure(i1), HasSubstr("element type i1 is not supported"));

  auto complexType = ComplexType::get(Float32Type::get(&context));
  auto complex = DenseElementsAttr::get(
      tensorOf({2}, complexType),
      ArrayRef<std::complex<float>>{{0.0f, 0.0f}, {1.0f, 0.0f}});
  EXPECT_THAT(scanFailure(complex),
              HasSubstr("element type complex<f32> is not supported"));

  auto i4 = DenseElementsAttr::get(tensorOf({2}, IntegerType::get(&context, 4)),
                                   ArrayRef<APInt>{APInt(4, 0), APInt(4, 3)});
  EXPECT_THAT(scanFailure(i4), HasSubstr("i4"));

  auto f80Type = Float80Type::get(&context);
  auto f80 = DenseElementsAttr::get(
      tensorOf({2}, f80Type),
      ArrayRef<APFloat>{APFloat::getZero(f80Type.getFloatSemantics()),
                        APFloat::getOne(f80Type.getFloatSemantics())});
  EXPECT_THAT(scanFailure(f80), HasSubstr("element type f80 is not supported"));

  // Every value of f8E8M0FNU is a power of two: the format has no zero, so
  // a zero test on its bits cannot be right.
  auto e8m0Type = Float8E8M0FNUType::get(&context);
  const llvm::fltSemantics &e8m0 = e8m0Type.getFloatSemantics();
  auto e8m0Values =
      DenseElementsAttr::get(tensorOf({2}, e8m0Type),
                             ArrayRef<APFloat>{APFloat(e8m0, APInt(8, 0x00)),
                                               APFloat(e8m0, APInt(8, 0x80))});
  EXPECT_THAT(scanFailure(e8m0Values),
              HasSubstr("element type f8E8M0FNU has no zero"));
}

//===----------------------------------------------------------------------===//
// Splats
//===----------------------------------------------------------------------===//

TEST_F(ConstantPatternTest, SplatZero) {
  auto values = DenseElementsAttr::get(
      tensorOf({2, 3}, Float32Type::get(&context)), ArrayRef<float>{0.0f});
  ASSERT_TRUE(values.isSplat());
  ConstantZeros zeros = scan(values);
  EXPECT_EQ(zeros.nnz, 0);
  EXPECT_THAT(zeros.zeroSlices[0], ElementsAre(0, 1));
  EXPECT_THAT(zeros.zeroSlices[1], ElementsAre(0, 1, 2));
  EXPECT_EQ(print(buildPattern(&context, zeros)),
            "#sparsity.pattern<channels<dim = 0, pruned = [0, 1]>, "
            "channels<dim = 1, pruned = [0, 1, 2]>, unstructured<nnz = 0>>");

  // A splat of -0.0 is zero too.
  auto negative = DenseElementsAttr::get(
      tensorOf({5}, Float32Type::get(&context)), ArrayRef<float>{-0.0f});
  ASSERT_TRUE(negative.isSplat());
  EXPECT_EQ(scan(negative).nnz, 0);
}

TEST_F(ConstantPatternTest, SplatNonZero) {
  auto values = DenseElementsAttr::get(
      tensorOf({2, 3, 4}, IntegerType::get(&context, 8)), ArrayRef<int8_t>{7});
  ASSERT_TRUE(values.isSplat());
  ConstantZeros zeros = scan(values);
  EXPECT_THAT(zeros.shape, ElementsAre(2, 3, 4));
  EXPECT_EQ(zeros.nnz, 24);
  ASSERT_EQ(zeros.zeroSlices.size(), 3u);
  for (const SmallVector<int64_t> &slices : zeros.zeroSlices)
    EXPECT_THAT(slices, IsEmpty());
  EXPECT_EQ(print(buildPattern(&context, zeros)),
            "#sparsity.pattern<unstructured<nnz = 24>>");
}

//===----------------------------------------------------------------------===//
// Convolution weights
//===----------------------------------------------------------------------===//

TEST_F(ConstantPatternTest, ConvWeightOIHW) {
  // O = 3, I = 2, H = W = 2. Filter 1 and input channel 0 are zero, and so
  // is the single element (0, 1, 0, 0).
  const int64_t shape[] = {3, 2, 2, 2};
  SmallVector<float> data;
  for (int64_t o = 0; o < 3; ++o)
    for (int64_t i = 0; i < 2; ++i)
      for (int64_t h = 0; h < 2; ++h)
        for (int64_t w = 0; w < 2; ++w) {
          bool zero =
              o == 1 || i == 0 || (o == 0 && i == 1 && h == 0 && w == 0);
          data.push_back(zero ? 0.0f : 1.0f + static_cast<float>(data.size()));
        }
  auto values = DenseElementsAttr::get(
      tensorOf(shape, Float32Type::get(&context)), ArrayRef<float>(data));
  ConstantZeros zeros = scan(values);
  EXPECT_THAT(zeros.shape, ElementsAre(3, 2, 2, 2));
  // 2 filters x 1 input channel x 4 taps, minus the zero tap.
  EXPECT_EQ(zeros.nnz, 7);
  ASSERT_EQ(zeros.zeroSlices.size(), 4u);
  EXPECT_THAT(zeros.zeroSlices[0], ElementsAre(1));
  EXPECT_THAT(zeros.zeroSlices[1], ElementsAre(0));
  EXPECT_THAT(zeros.zeroSlices[2], IsEmpty());
  EXPECT_THAT(zeros.zeroSlices[3], IsEmpty());

  PatternAttr pattern = buildPattern(&context, zeros);
  EXPECT_EQ(print(pattern),
            "#sparsity.pattern<channels<dim = 0, pruned = [1]>, "
            "channels<dim = 1, pruned = [0]>, unstructured<nnz = 7>>");
  EXPECT_EQ(pattern.getExactNnz(), 7);
  EXPECT_EQ(pattern.getStructuralMaxNnz(shape), 8);
  EXPECT_TRUE(succeeded(pattern.verifyAgainstShape(
      [&]() { return emitError(UnknownLoc::get(&context)); }, shape)));
}

TEST_F(ConstantPatternTest, ZeroSlicesOnInnerDims) {
  // Row-major walk: a zero last column and a zero middle plane.
  const int64_t shape[] = {2, 3, 2};
  SmallVector<int32_t> data = {1, 0, 0, 0, 2, 0, //
                               3, 0, 0, 0, 4, 0};
  auto values = DenseElementsAttr::get(
      tensorOf(shape, IntegerType::get(&context, 32)), ArrayRef<int32_t>(data));
  ConstantZeros zeros = scan(values);
  EXPECT_EQ(zeros.nnz, 4);
  EXPECT_THAT(zeros.zeroSlices[0], IsEmpty());
  EXPECT_THAT(zeros.zeroSlices[1], ElementsAre(1));
  EXPECT_THAT(zeros.zeroSlices[2], ElementsAre(1));
  EXPECT_EQ(print(buildPattern(&context, zeros)),
            "#sparsity.pattern<channels<dim = 1, pruned = [1]>, "
            "channels<dim = 2, pruned = [1]>, unstructured<nnz = 4>>");
}

TEST_F(ConstantPatternTest, RankZero) {
  auto zero = DenseElementsAttr::get(tensorOf({}, Float32Type::get(&context)),
                                     ArrayRef<float>{-0.0f});
  ConstantZeros zeros = scan(zero);
  EXPECT_THAT(zeros.shape, IsEmpty());
  EXPECT_EQ(zeros.nnz, 0);
  EXPECT_THAT(zeros.zeroSlices, IsEmpty());
  auto one = DenseElementsAttr::get(tensorOf({}, Float32Type::get(&context)),
                                    ArrayRef<float>{1.0f});
  EXPECT_EQ(scan(one).nnz, 1);
}

//===----------------------------------------------------------------------===//
// dense_resource
//===----------------------------------------------------------------------===//

TEST_F(ConstantPatternTest, DenseResourceHeapBlob) {
  const float data[] = {0.0f, 2.0f, -0.0f, 0.0f, 0.0f, 0.0f, 5.0f, 0.0f};
  auto values = DenseResourceElementsAttr::get(
      tensorOf({2, 4}, Float32Type::get(&context)), "heap_weight",
      HeapAsmResourceBlob::allocateAndCopyInferAlign(ArrayRef<float>(data)));
  ConstantZeros zeros = scan(values);
  EXPECT_EQ(zeros.nnz, 2);
  EXPECT_THAT(zeros.zeroSlices[0], IsEmpty());
  EXPECT_THAT(zeros.zeroSlices[1], ElementsAre(0, 3));
  EXPECT_EQ(print(buildPattern(&context, zeros)),
            "#sparsity.pattern<channels<dim = 1, pruned = [0, 3]>, "
            "unstructured<nnz = 2>>");
}

TEST_F(ConstantPatternTest, DenseResourceUnmanagedBlob) {
  static const int16_t data[] = {0, 0, 0, 0, 0, 9};
  auto values = DenseResourceElementsAttr::get(
      tensorOf({3, 2}, IntegerType::get(&context, 16)), "unmanaged_weight",
      UnmanagedAsmResourceBlob::allocateInferAlign(ArrayRef<int16_t>(data)));
  ConstantZeros zeros = scan(values);
  EXPECT_EQ(zeros.nnz, 1);
  EXPECT_THAT(zeros.zeroSlices[0], ElementsAre(0, 1));
  EXPECT_THAT(zeros.zeroSlices[1], ElementsAre(0));
}

TEST_F(ConstantPatternTest, DenseResourceWithoutData) {
  // An elided resource: a handle with no blob.
  auto &manager = DenseResourceElementsHandle::getManagerInterface(&context);
  DenseResourceElementsHandle handle = manager.insert("elided_weight");
  auto values = DenseResourceElementsAttr::get(
      tensorOf({4}, Float32Type::get(&context)), handle);
  std::string reason = scanFailure(values);
  EXPECT_THAT(reason, HasSubstr("resource 'elided_weight"));
  EXPECT_THAT(reason, HasSubstr("has no data"));

  // A blob shorter than the type says.
  const float shortData[] = {1.0f, 0.0f};
  auto truncated = DenseResourceElementsAttr::get(
      tensorOf({4}, Float32Type::get(&context)), "short_weight",
      HeapAsmResourceBlob::allocateAndCopyInferAlign(
          ArrayRef<float>(shortData)));
  EXPECT_EQ(scanFailure(truncated), "payload holds 8 bytes, expected 16");
}

} // namespace
