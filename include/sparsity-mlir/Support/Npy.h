//===- Npy.h - NumPy .npy reader and writer ---------------------*- C++ -*-===//
//
// Part of sparsity-mlir. Reads and writes NumPy's .npy format (versions 1.0,
// 2.0 and 3.0; little-endian, C order) for the element types sparsity-run
// exchanges: f16, f32, f64, i8, i16, i32, i64, u8 and bool.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSITY_MLIR_SUPPORT_NPY_H
#define SPARSITY_MLIR_SUPPORT_NPY_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace llvm {
class raw_ostream;
} // namespace llvm

namespace mlir {
namespace sparsity {
namespace runtime {

/// Element types of an .npy array.
enum class NpyDType { F16, F32, F64, I8, I16, I32, I64, U8, Bool };

/// Size in bytes of one element of `dtype`.
unsigned getNpyElementSize(NpyDType dtype);

/// The little-endian NumPy `descr` string of `dtype` (e.g. `<f4`, `|i1`).
llvm::StringRef getNpyDescr(NpyDType dtype);

/// The dtype named by a NumPy `descr` string, or std::nullopt when it is not
/// one of the supported little-endian (or byte-order free) types.
std::optional<NpyDType> parseNpyDescr(llvm::StringRef descr);

/// A short human-readable name of `dtype` (f16, f32, ..., bool).
llvm::StringRef getNpyDTypeName(NpyDType dtype);

/// An n-dimensional array in C order with its raw little-endian payload.
struct NpyArray {
  /// Element type.
  NpyDType dtype = NpyDType::F32;
  /// Dimensions; empty for a 0-d array (one element).
  llvm::SmallVector<int64_t> shape;
  /// numElements() * getNpyElementSize(dtype) bytes in C order.
  std::vector<uint8_t> data;

  /// Number of elements (the product of the dimensions).
  int64_t numElements() const;
};

/// Parses the bytes of an .npy file. `name` prefixes error messages (use the
/// file name). Rejects a bad magic string or version, a malformed header,
/// Fortran order, big-endian or unsupported dtypes, and a payload whose size
/// does not match the shape.
llvm::Expected<NpyArray> parseNpy(llvm::StringRef bytes, llvm::StringRef name);

/// Reads and parses the .npy file at `path`.
llvm::Expected<NpyArray> readNpyFile(llvm::StringRef path);

/// Writes a version 1.0 .npy file image to `os` (header padded so that the
/// payload starts at a multiple of 64 bytes). `data` holds the elements in C
/// order and must be exactly as large as `shape` says.
void writeNpy(llvm::raw_ostream &os, NpyDType dtype,
              llvm::ArrayRef<int64_t> shape, llvm::ArrayRef<uint8_t> data);

/// Writes `array` to `path` atomically: to a temporary file first, renamed
/// into place only once complete, so a failure leaves no partial file.
llvm::Error writeNpyFile(llvm::StringRef path, const NpyArray &array);

} // namespace runtime
} // namespace sparsity
} // namespace mlir

#endif // SPARSITY_MLIR_SUPPORT_NPY_H
