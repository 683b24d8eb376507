//===- ConstantPattern.cpp - sparsity pattern of a constant ---------------===//
//
// Part of sparsity-mlir.
//
//===----------------------------------------------------------------------===//

#include "sparsity-mlir/Analysis/ConstantPattern.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/APInt.h"
#include "llvm/ADT/BitVector.h"

#include <cstring>

using namespace mlir;
using namespace mlir::sparsity;

namespace {
/// The raw bytes of a constant and how to test one element for zero.
struct RawElements {
  ArrayRef<char> bytes;
  unsigned byteWidth = 0;
  /// Mask applied before the all-zero test: drops the sign bit of floats
  /// whose format has a negative zero, so that -0.0 counts as zero.
  uint64_t valueMask = ~uint64_t{0};
  bool splat = false;

  bool isZero(int64_t index) const {
    uint64_t bits = 0;
    std::memcpy(&bits, bytes.data() + (splat ? 0 : index * byteWidth),
                byteWidth);
    return (bits & valueMask) == 0;
  }
};
} // namespace

/// Collects the payload of `values`, or says why it cannot.
static FailureOr<RawElements> getRawElements(ElementsAttr values,
                                             std::string &whyNot) {
  Type elementType = values.getElementType();
  unsigned bitWidth = 0;
  RawElements raw;
  auto floatType = dyn_cast<FloatType>(elementType);
  if (floatType) {
    bitWidth = floatType.getWidth();
  } else if (auto intType = dyn_cast<IntegerType>(elementType)) {
    bitWidth = intType.getWidth();
  } else if (elementType.isIndex()) {
    bitWidth = 64;
  }
  if (!llvm::is_contained({8u, 16u, 32u, 64u}, bitWidth)) {
    llvm::raw_string_ostream(whyNot)
        << "element type " << elementType << " is not supported";
    return failure();
  }
  raw.byteWidth = bitWidth / 8;
  if (floatType) {
    // Ask the format which bit patterns are zero: the sign bit alone is -0 in
    // IEEE-like formats but NaN in the FNUZ ones, and f8E8M0FNU has no zero.
    const llvm::fltSemantics &semantics = floatType.getFloatSemantics();
    APInt signBit = APInt::getSignMask(bitWidth);
    if (!APFloat(semantics, APInt::getZero(bitWidth)).isZero()) {
      llvm::raw_string_ostream(whyNot)
          << "element type " << elementType << " has no zero";
      return failure();
    }
    if (APFloat(semantics, signBit).isZero())
      raw.valueMask = ~signBit.getZExtValue();
  }
  int64_t numElements = values.getNumElements();

  if (auto dense = dyn_cast<DenseElementsAttr>(values)) {
    raw.bytes = dense.getRawData();
    raw.splat = dense.isSplat();
  } else if (auto resource = dyn_cast<DenseResourceElementsAttr>(values)) {
    const AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob) {
      llvm::raw_string_ostream(whyNot)
          << "resource '" << resource.getRawHandle().getKey()
          << "' has no data (elided or not loaded)";
      return failure();
    }
    raw.bytes = blob->getData();
  } else {
    whyNot = "the constant payload kind is not supported";
    return failure();
  }
  size_t expected = raw.splat ? raw.byteWidth : numElements * raw.byteWidth;
  if (raw.bytes.size() < expected) {
    llvm::raw_string_ostream(whyNot)
        << "payload holds " << raw.bytes.size() << " bytes, expected "
        << expected;
    return failure();
  }
  return raw;
}

FailureOr<ConstantZeros> mlir::sparsity::scanConstantZeros(ElementsAttr values,
                                                           std::string &whyNot) {
  auto type = dyn_cast<RankedTensorType>(values.getShapedType());
  if (!type || !type.hasStaticShape()) {
    whyNot = "the constant does not have a static shape";
    return failure();
  }
  FailureOr<RawElements> raw = getRawElements(values, whyNot);
  if (failed(raw))
    return failure();

  ConstantZeros zeros;
  zeros.shape.assign(type.getShape().begin(), type.getShape().end());
  int64_t rank = type.getRank();
  SmallVector<llvm::BitVector> nonzeroSlices;
  for (int64_t size : zeros.shape)
    nonzeroSlices.emplace_back(size);

  // Walk the elements in row-major order, keeping the multi-index current.
  SmallVector<int64_t> index(rank, 0);
  for (int64_t linear = 0, e = type.getNumElements(); linear < e; ++linear) {
    if (!raw->isZero(linear)) {
      ++zeros.nnz;
      for (int64_t d = 0; d < rank; ++d)
        nonzeroSlices[d].set(index[d]);
    }
    for (int64_t d = rank - 1; d >= 0; --d) {
      if (++index[d] < zeros.shape[d])
        break;
      index[d] = 0;
    }
  }

  zeros.zeroSlices.resize(rank);
  for (int64_t d = 0; d < rank; ++d)
    for (int64_t i = 0; i < zeros.shape[d]; ++i)
      if (!nonzeroSlices[d].test(i))
        zeros.zeroSlices[d].push_back(i);
  return zeros;
}

PatternAttr mlir::sparsity::buildPattern(MLIRContext *context,
                                         const ConstantZeros &zeros) {
  SmallVector<ChannelsAttr> channels;
  for (auto [dim, slices] : llvm::enumerate(zeros.zeroSlices))
    if (!slices.empty())
      channels.push_back(ChannelsAttr::get(context, dim, slices, /*group=*/1));
  auto unstructured = UnstructuredAttr::getExact(context, zeros.nnz);
  return PatternAttr::get(context, channels, unstructured, NMAttr(),
                          BlockAttr());
}
