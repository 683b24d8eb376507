//===- ElementMask.h - a boolean mask over a tensor's elements --*- C++ -*-===//
//
// Part of sparsity-mlir. A row-major bit mask over the elements of a
// statically shaped tensor (typically: which weight elements are zero), with
// the shape-aware queries the sparsity analyses need.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSITY_MLIR_ANALYSIS_ELEMENTMASK_H
#define SPARSITY_MLIR_ANALYSIS_ELEMENTMASK_H

#include "mlir/IR/BuiltinAttributeInterfaces.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/SmallVector.h"

#include <string>
#include <vector>

namespace mlir {
namespace sparsity {

/// One bit per element of a statically shaped tensor, in row-major order.
class ElementMask {
public:
  ElementMask() = default;
  /// A mask of `shape` with every bit set to `value`. (Spell a two-element
  /// shape `ArrayRef<int64_t>{r, c}`: `ElementMask({r, c})` also reads as
  /// shape `{r}` with value `c`, which gcc rejects as ambiguous.)
  explicit ElementMask(ArrayRef<int64_t> shape, bool value = false);
  /// A mask of `shape` with the given bits (one per element, row-major). A
  /// named factory: a second constructor would make `ElementMask({2, 3})`
  /// ambiguous.
  static ElementMask fromBits(ArrayRef<int64_t> shape, llvm::BitVector bits);

  /// The tensor shape.
  ArrayRef<int64_t> getShape() const { return shape; }
  /// The rank of the tensor.
  int64_t getRank() const { return shape.size(); }
  /// The number of elements.
  int64_t size() const { return bits.size(); }
  /// The number of set bits.
  int64_t count() const { return bits.count(); }
  /// Whether all bits are set.
  bool all() const { return bits.all(); }

  /// The bit of the element at row-major position `linear`.
  bool test(int64_t linear) const { return bits.test(linear); }
  /// Sets the bit of the element at row-major position `linear`.
  void set(int64_t linear) { bits.set(linear); }
  /// The underlying bits.
  const llvm::BitVector &getBits() const { return bits; }
  /// The underlying bits, for bulk updates.
  llvm::BitVector &getBits() { return bits; }

  /// Sets every element whose coordinate along `dim` is set in `indices`
  /// (`indices.size()` equals the size of `dim`).
  void setSlices(int64_t dim, const llvm::BitVector &indices);

  /// Sets the bits that are set in `other` (same shape).
  ElementMask &operator|=(const ElementMask &other);

  /// For every dimension, the indices whose slice has every bit set. One walk
  /// over the elements.
  SmallVector<llvm::BitVector> getFullSlices() const;

  /// For every dimension, the indices whose slice has at least one bit set.
  SmallVector<llvm::BitVector> getAnySlices() const;

  /// The mask of `linalg.transpose` with `permutation` applied to this one:
  /// result dimension `i` is dimension `permutation[i]` of this mask.
  ElementMask transpose(ArrayRef<int64_t> permutation) const;

  /// The same bits seen with another shape of the same element count (what a
  /// `tensor.collapse_shape` / `expand_shape` does).
  ElementMask reshape(ArrayRef<int64_t> newShape) const;

  /// The mask of a static `tensor.extract_slice` of this tensor.
  ElementMask extractSlice(ArrayRef<int64_t> offsets, ArrayRef<int64_t> sizes,
                           ArrayRef<int64_t> strides) const;

private:
  SmallVector<int64_t> shape;
  llvm::BitVector bits;
};

/// Reads the zeros of a constant payload (`dense`, splat or `dense_resource`,
/// floats or integers of 8 to 64 bits; `-0.0` is zero): a set bit marks a
/// zero element. Returns failure, with the reason in `whyNot`, for payloads
/// it cannot read.
FailureOr<ElementMask> getZeroMask(ElementsAttr values, std::string &whyNot);

/// Reads every element of a constant payload (the kinds getZeroMask reads) as
/// a double, integers signed; a splat is expanded. Returns failure, with the
/// reason in `whyNot`, for payloads it cannot read.
FailureOr<std::vector<double>> readConstantValues(ElementsAttr values,
                                                  std::string &whyNot);

/// Returns the indices of the set bits of `bits`, in increasing order.
SmallVector<int64_t> getSetIndices(const llvm::BitVector &bits);

} // namespace sparsity
} // namespace mlir

#endif // SPARSITY_MLIR_ANALYSIS_ELEMENTMASK_H
