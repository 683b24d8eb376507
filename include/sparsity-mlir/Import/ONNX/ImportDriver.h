//===- ImportDriver.h - the sparsity-import-onnx driver ---------*- C++ -*-===//
//
// Part of sparsity-mlir. The whole of sparsity-import-onnx (input handling,
// --dim and --const-input, diagnostics, the output written only on success,
// --tensor-to-npy) as one function of the library SparsityMLIRImport, which
// the tool's main calls after parsing its command line, as sparsity-run calls
// RunDriver.h.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSITY_MLIR_IMPORT_ONNX_IMPORTDRIVER_H
#define SPARSITY_MLIR_IMPORT_ONNX_IMPORTDRIVER_H

#include "llvm/Support/CommandLine.h"

namespace mlir {
namespace sparsity {
namespace importer {

/// Exit codes of the importer.
enum ExitCode : int { kSuccess = 0, kError = 1 };

/// The option category of the importer's flags (the input, -o, --dim,
/// --batch, --const-input, --entry, --tensor-to-npy, --locations).
llvm::cl::OptionCategory &getImportCategory();

/// Imports the model (or converts the tensor, with --tensor-to-npy) named by
/// the parsed command line and writes `-o`; returns the exit code (nothing
/// is written on an error).
int importMain();

} // namespace importer
} // namespace sparsity
} // namespace mlir

#endif // SPARSITY_MLIR_IMPORT_ONNX_IMPORTDRIVER_H
