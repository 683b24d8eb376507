//===- ONNXImporter.h - ONNX to linalg-on-tensors importer ------*- C++ -*-===//
//
// Part of sparsity-mlir. Turns an ONNX model (protobuf, opsets 11-17) into a
// module with one `func.func @main` in linalg/tensor/arith/math on static
// tensors; weights become `arith.constant` ops with `dense_resource` blobs.
// The ONNX/protobuf headers stay private to the implementation.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSITY_MLIR_IMPORT_ONNX_ONNXIMPORTER_H
#define SPARSITY_MLIR_IMPORT_ONNX_ONNXIMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <optional>
#include <string>

namespace mlir {
class DialectRegistry;
class MLIRContext;

namespace sparsity {

/// Options of the ONNX importer.
struct ONNXImportOptions {
  /// Values of symbolic (dim_param) input dimensions, by name.
  llvm::StringMap<int64_t> dimValues;
  /// Value of a dynamic first dimension of every graph input.
  std::optional<int64_t> batch;
  /// Name of the entry function.
  std::string entryName = "main";
  /// Graph inputs baked in as constants: serialized onnx.TensorProto bytes
  /// by input name (the input is then no argument of the entry function).
  llvm::StringMap<std::string> constInputs;
};

/// Registers the dialects the importer creates.
void registerONNXImportDialects(DialectRegistry &registry);

/// Parses the ONNX model in `buffer` (named `fileName` in messages) and
/// returns a verified module, or null after emitting errors on `context`.
OwningOpRef<ModuleOp> importONNXModel(MLIRContext *context, StringRef buffer,
                                      StringRef fileName,
                                      const ONNXImportOptions &options);

/// Like importONNXModel, but streams the model from the file `path` instead
/// of holding it in memory: peak memory stays near twice the weights (the
/// decoded weights and the module's resource blobs).
OwningOpRef<ModuleOp> importONNXModelFile(MLIRContext *context, StringRef path,
                                          const ONNXImportOptions &options);

/// Converts a serialized onnx.TensorProto into a little-endian NumPy `.npy`
/// (format 1.0) file written to `os`. Returns failure with `error` set.
LogicalResult convertTensorProtoToNpy(StringRef buffer, raw_ostream &os,
                                      std::string &error);

/// Reads the `name` field of a serialized onnx.TensorProto.
LogicalResult getTensorProtoName(StringRef buffer, std::string &name,
                                 std::string &error);

} // namespace sparsity
} // namespace mlir

#endif // SPARSITY_MLIR_IMPORT_ONNX_ONNXIMPORTER_H
