//===- ElementMask.cpp - a boolean mask over a tensor's elements ----------===//
//
// Part of sparsity-mlir.
//
//===----------------------------------------------------------------------===//

#include "sparsity-mlir/Analysis/ElementMask.h"
#include "sparsity-mlir/Analysis/ConstantPattern.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/APInt.h"

#include <cassert>
#include <cstring>

using namespace mlir;
using namespace mlir::sparsity;

static int64_t getNumElements(ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t size : shape)
    n *= size;
  return n;
}

/// Row-major strides of `shape`.
static SmallVector<int64_t> getStrides(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t d = static_cast<int64_t>(shape.size()) - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * shape[d + 1];
  return strides;
}

ElementMask::ElementMask(ArrayRef<int64_t> shape, bool value)
    : shape(shape.begin(), shape.end()), bits(getNumElements(shape), value) {}

ElementMask ElementMask::fromBits(ArrayRef<int64_t> shape,
                                  llvm::BitVector bits) {
  assert(static_cast<int64_t>(bits.size()) == getNumElements(shape) &&
         "one bit per element");
  ElementMask mask;
  mask.shape.assign(shape.begin(), shape.end());
  mask.bits = std::move(bits);
  return mask;
}

void ElementMask::setSlices(int64_t dim, const llvm::BitVector &indices) {
  assert(dim >= 0 && dim < getRank() && "dimension out of range");
  assert(static_cast<int64_t>(indices.size()) == shape[dim] &&
         "one index bit per slice");
  if (indices.none())
    return;
  // Elements with coordinate i along `dim` form `outer` runs of `inner`
  // consecutive elements.
  int64_t inner = getStrides(shape)[dim];
  int64_t outer = size() / (inner * shape[dim]);
  for (int64_t o = 0; o < outer; ++o)
    for (int i : indices.set_bits()) {
      int64_t begin = (o * shape[dim] + i) * inner;
      bits.set(begin, begin + inner);
    }
}

ElementMask &ElementMask::operator|=(const ElementMask &other) {
  assert(shape == other.shape && "masks of different shapes");
  bits |= other.bits;
  return *this;
}

/// Walks the elements in row-major order and returns, for every dimension,
/// the slices that hold at least one element whose bit equals `value`.
static SmallVector<llvm::BitVector>
getSlicesHolding(ArrayRef<int64_t> shape, const llvm::BitVector &bits,
                 bool value) {
  int64_t rank = shape.size();
  SmallVector<llvm::BitVector> holding;
  for (int64_t size : shape)
    holding.emplace_back(size);
  if (rank == 0)
    return holding;
  // The innermost dimension is handled a row at a time; the outer ones keep a
  // running multi-index.
  int64_t rowLength = shape.back();
  SmallVector<int64_t> index(rank, 0);
  for (int64_t row = 0, e = bits.size(); row < e; row += rowLength) {
    bool rowHolds = false;
    for (int64_t j = 0; j < rowLength; ++j) {
      if (bits.test(row + j) == value) {
        holding[rank - 1].set(j);
        rowHolds = true;
      }
    }
    if (rowHolds)
      for (int64_t d = 0; d < rank - 1; ++d)
        holding[d].set(index[d]);
    for (int64_t d = rank - 2; d >= 0; --d) {
      if (++index[d] < shape[d])
        break;
      index[d] = 0;
    }
  }
  return holding;
}

SmallVector<llvm::BitVector> ElementMask::getFullSlices() const {
  SmallVector<llvm::BitVector> full =
      getSlicesHolding(shape, bits, /*value=*/false);
  for (llvm::BitVector &slices : full)
    slices.flip();
  return full;
}

SmallVector<llvm::BitVector> ElementMask::getAnySlices() const {
  return getSlicesHolding(shape, bits, /*value=*/true);
}

ElementMask ElementMask::transpose(ArrayRef<int64_t> permutation) const {
  assert(static_cast<int64_t>(permutation.size()) == getRank() &&
         "permutation of the wrong rank");
  SmallVector<int64_t> newShape;
  for (int64_t d : permutation)
    newShape.push_back(shape[d]);
  ElementMask result(newShape);
  SmallVector<int64_t> sourceStrides = getStrides(shape);
  // Walk the result in row-major order; `source` is the matching position.
  SmallVector<int64_t> index(getRank(), 0);
  int64_t source = 0;
  for (int64_t linear = 0, e = size(); linear < e; ++linear) {
    if (bits.test(source))
      result.bits.set(linear);
    for (int64_t d = getRank() - 1; d >= 0; --d) {
      int64_t stride = sourceStrides[permutation[d]];
      source += stride;
      if (++index[d] < newShape[d])
        break;
      source -= stride * newShape[d];
      index[d] = 0;
    }
  }
  return result;
}

ElementMask ElementMask::reshape(ArrayRef<int64_t> newShape) const {
  assert(getNumElements(newShape) == size() && "reshape changes the size");
  ElementMask result;
  result.shape.assign(newShape.begin(), newShape.end());
  result.bits = bits;
  return result;
}

ElementMask ElementMask::extractSlice(ArrayRef<int64_t> offsets,
                                      ArrayRef<int64_t> sizes,
                                      ArrayRef<int64_t> strides) const {
  ElementMask result(sizes);
  SmallVector<int64_t> sourceStrides = getStrides(shape);
  int64_t rank = getRank();
  SmallVector<int64_t> index(rank, 0);
  int64_t source = 0;
  for (int64_t d = 0; d < rank; ++d)
    source += offsets[d] * sourceStrides[d];
  for (int64_t linear = 0, e = result.size(); linear < e; ++linear) {
    if (bits.test(source))
      result.bits.set(linear);
    for (int64_t d = rank - 1; d >= 0; --d) {
      int64_t step = strides[d] * sourceStrides[d];
      source += step;
      if (++index[d] < sizes[d])
        break;
      source -= step * sizes[d];
      index[d] = 0;
    }
  }
  return result;
}

SmallVector<int64_t>
mlir::sparsity::getSetIndices(const llvm::BitVector &bits) {
  SmallVector<int64_t> indices;
  for (int i : bits.set_bits())
    indices.push_back(i);
  return indices;
}

//===----------------------------------------------------------------------===//
// Zero masks of constants
//===----------------------------------------------------------------------===//

namespace {
/// The raw bytes of a constant and how to test one element for zero.
struct RawElements {
  ArrayRef<char> bytes;
  unsigned byteWidth = 0;
  /// Mask applied before the all-zero test: drops the sign bit of floats
  /// whose format has a negative zero, so that -0.0 counts as zero.
  uint64_t valueMask = ~uint64_t{0};
  bool splat = false;
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
    llvm::raw_string_ostream(whyNot) << "payload holds " << raw.bytes.size()
                                     << " bytes, expected " << expected;
    return failure();
  }
  return raw;
}

/// Sets the bit of every zero element of `raw`, reading `T`-sized words.
template <typename T>
static void scanWords(const RawElements &raw, llvm::BitVector &bits) {
  T mask = static_cast<T>(raw.valueMask);
  const char *data = raw.bytes.data();
  for (int64_t i = 0, e = bits.size(); i < e; ++i) {
    T word;
    std::memcpy(&word, data + i * sizeof(T), sizeof(T));
    if ((word & mask) == 0)
      bits.set(i);
  }
}

FailureOr<ElementMask> mlir::sparsity::getZeroMask(ElementsAttr values,
                                                   std::string &whyNot) {
  auto type = dyn_cast<RankedTensorType>(values.getShapedType());
  if (!type || !type.hasStaticShape()) {
    whyNot = "the constant does not have a static shape";
    return failure();
  }
  FailureOr<RawElements> raw = getRawElements(values, whyNot);
  if (failed(raw))
    return failure();
  ElementMask zeros(type.getShape());
  if (raw->splat) {
    uint64_t word = 0;
    std::memcpy(&word, raw->bytes.data(), raw->byteWidth);
    if ((word & raw->valueMask) == 0)
      zeros.getBits().set();
    return zeros;
  }
  switch (raw->byteWidth) {
  case 1:
    scanWords<uint8_t>(*raw, zeros.getBits());
    break;
  case 2:
    scanWords<uint16_t>(*raw, zeros.getBits());
    break;
  case 4:
    scanWords<uint32_t>(*raw, zeros.getBits());
    break;
  default:
    scanWords<uint64_t>(*raw, zeros.getBits());
    break;
  }
  return zeros;
}

FailureOr<std::vector<double>>
sparsity::readConstantValues(ElementsAttr values, std::string &whyNot) {
  FailureOr<RawElements> raw = getRawElements(values, whyNot);
  if (failed(raw))
    return failure();
  Type elementType = values.getElementType();
  int64_t numElements = values.getNumElements();
  std::vector<double> result(numElements);
  for (int64_t i = 0; i < numElements; ++i)
    result[i] = readElementAsDouble(raw->bytes.data() +
                                        (raw->splat ? 0 : i * raw->byteWidth),
                                    elementType, raw->byteWidth);
  return result;
}
