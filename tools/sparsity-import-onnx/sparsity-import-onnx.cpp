//===- sparsity-import-onnx.cpp - ONNX to MLIR importer driver ------------===//
//
// Part of sparsity-mlir.
//
//   sparsity-import-onnx model.onnx -o model.mlir [--dim N=1] [--batch=1]
//   sparsity-import-onnx --tensor-to-npy tensor.pb -o tensor.npy
//
// Writes `-o` only on success: every error exits non-zero and leaves no
// output file behind. The driver is the library SparsityMLIRImport
// (lib/Import/ONNX/ImportDriver.cpp).
//
//===----------------------------------------------------------------------===//

#include "sparsity-mlir/Import/ONNX/ImportDriver.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/WithColor.h"

using namespace mlir::sparsity::importer;

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  mlir::registerAsmPrinterCLOptions();
  mlir::registerMLIRContextCLOptions();
  llvm::cl::HideUnrelatedOptions(
      {&getImportCategory(), &llvm::getColorCategory()});
  // The printing flags that matter for imported models stay visible.
  auto &registered = llvm::cl::getRegisteredOptions();
  for (llvm::StringRef name :
       {"mlir-print-debuginfo", "mlir-print-local-scope",
        "mlir-print-op-generic", "mlir-elide-elementsattrs-if-larger",
        "mlir-elide-resource-strings-if-larger"})
    if (llvm::cl::Option *opt = registered.lookup(name))
      opt->setHiddenFlag(llvm::cl::NotHidden);
  llvm::cl::ParseCommandLineOptions(argc, argv,
                                    "sparsity-mlir ONNX importer: ONNX model "
                                    "to linalg-on-tensors MLIR\n");
  return importMain();
}
