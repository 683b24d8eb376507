//===- sparsity-calibrate.cpp - measure this CPU for the x86 cost model ---===//
//
// Part of sparsity-mlir. Micro-benchmarks the kernels `--sparsity-lower`
// generates for x86-avx512 on the machine it runs on, one thread, and writes
// the x86-avx512 target description whose rates the planner then uses
// (docs/x86-avx512.md, "Calibration"). The measurements are the library
// SparsityMLIRCalibrate (lib/ExecutionEngine/Calibrate.cpp).
//
// Exit codes: 0 success, 2 an error (nothing is written).
//
//===----------------------------------------------------------------------===//

#include "sparsity-mlir/ExecutionEngine/Calibrate.h"

#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/TargetSelect.h"

using namespace mlir::sparsity::calibrate;

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  llvm::cl::HideUnrelatedOptions(getCalibrateCategory());
  llvm::cl::ParseCommandLineOptions(
      argc, argv,
      "sparsity-calibrate: measure this CPU for the x86-avx512 cost model\n\n"
      "Times the kernels --sparsity-lower generates (one thread) on seeded\n"
      "random layers and writes an x86-avx512 target description (JSON,\n"
      "docs/targets.md) for --sparsity-plan=target=<file>. Takes about a\n"
      "minute. Exit codes: 0 success, 2 an error (nothing is written).\n");
  return calibrateMain();
}
