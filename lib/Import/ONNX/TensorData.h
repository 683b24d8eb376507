//===- TensorData.h - ONNX tensor payloads ----------------------*- C++ -*-===//
//
// Part of sparsity-mlir. Private to the ONNX importer: decodes
// onnx.TensorProto payloads (raw_data or the typed fields) into host-order
// bytes, maps ONNX element types to MLIR types and writes NumPy files.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSITY_MLIR_LIB_IMPORT_ONNX_TENSORDATA_H
#define SPARSITY_MLIR_LIB_IMPORT_ONNX_TENSORDATA_H

#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Types.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/SmallVector.h"

#include <onnx/onnx_pb.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mlir {
namespace sparsity {
namespace onnx_import {

/// A constant tensor: ONNX element type, shape and host-order bytes
/// (booleans one byte each).
struct ConstTensor {
  int32_t dtype = onnx::TensorProto::FLOAT;
  SmallVector<int64_t> shape;
  std::vector<char> data;
  /// Name of the weight it came from (initializer, Constant output), kept
  /// through folds that only forward it; empty for computed values.
  std::string name;

  int64_t numElements() const;
  size_t elementSize() const;
  /// The values as int64 (integer and boolean tensors only).
  std::optional<SmallVector<int64_t>> asInts() const;
  /// The values as double (float, double, half and integer tensors).
  std::optional<SmallVector<double>> asDoubles() const;
  /// An int64 tensor of the given shape and values.
  static ConstTensor fromInts(ArrayRef<int64_t> shape,
                              ArrayRef<int64_t> values);
  /// A tensor of `dtype` converted from `values` (no float16/bfloat16).
  static std::optional<ConstTensor>
  fromDoubles(int32_t dtype, ArrayRef<int64_t> shape, ArrayRef<double> values);
};

/// Size in bytes of one element of ONNX type `dtype`, 0 if unsupported.
size_t onnxElementSize(int32_t dtype);

/// Name of ONNX type `dtype` for messages ("FLOAT", "INT64", ...).
std::string onnxTypeName(int32_t dtype);

/// MLIR element type of ONNX type `dtype`, null if unsupported.
Type mlirElementType(MLIRContext *ctx, int32_t dtype);

/// Decodes `proto` into `out`; on failure sets `error`.
LogicalResult decodeTensor(const onnx::TensorProto &proto, ConstTensor &out,
                           std::string &error);

} // namespace onnx_import
} // namespace sparsity
} // namespace mlir

#endif // SPARSITY_MLIR_LIB_IMPORT_ONNX_TENSORDATA_H
