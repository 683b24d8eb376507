//===- sparsity-run.cpp - JIT-run, verify and benchmark a function --------===//
//
// Part of sparsity-mlir. Lowers a linalg-on-tensors program through the
// default CPU pipeline (sparsity-cpu-pipeline), JIT-compiles it with MLIR's
// ExecutionEngine and calls an entry function on random or .npy inputs; the
// outputs can be written as .npy, compared against .npy files or against a
// reference program, and timed. The driver is the library
// SparsityMLIRExecutionEngine (lib/ExecutionEngine/RunDriver.cpp);
// docs/sparsity-run.md is the user guide.
//
// Exit codes: 0 success (and every comparison matched), 1 a comparison did
// not match, 2 a usage, I/O or compilation error.
//
//===----------------------------------------------------------------------===//

#include "sparsity-mlir/ExecutionEngine/RunDriver.h"

#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/TargetSelect.h"

using namespace mlir::sparsity::run;

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  llvm::cl::HideUnrelatedOptions(getRunCategory());
  if (!llvm::cl::ParseCommandLineOptions(
          argc, argv,
          "sparsity-run: JIT-compile a linalg-on-tensors function with the "
          "default CPU pipeline, run it on random or .npy inputs, compare "
          "and benchmark it\n\n"
          "Exit codes: 0 success (all comparisons matched), 1 a comparison "
          "did not match, 2 a usage, I/O or compilation error\n",
          &llvm::errs()))
    return kError;
  return runMain(RunHooks());
}
