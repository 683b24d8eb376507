//===- sparsity-sim.cpp - the npu-ref simulator ---------------------------===//
//
// Part of sparsity-mlir. Runs a module lowered with --sparsity-lower: counts
// the cycles of every npu_ref.gemm exactly from its packed weights and the
// module's target (countNpuRefCycles), and executes the whole program, the
// npu_ref.gemm ops by a kernel that reads the packed format and everything
// else through the sparsity-run driver (RunDriver.h). The simulator is the
// library SparsityMLIRNpuRefSimulator
// (lib/ExecutionEngine/NpuRefSimulator.cpp); docs/sparsity-sim.md is the user
// guide.
//
// Exit codes: 0 success (and every comparison matched), 1 a comparison did
// not match, 2 a usage, I/O or compilation error.
//
//===----------------------------------------------------------------------===//

#include "sparsity-mlir/ExecutionEngine/NpuRefSimulator.h"
#include "sparsity-mlir/ExecutionEngine/RunDriver.h"

#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/TargetSelect.h"

using namespace mlir::sparsity;

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  llvm::cl::HideUnrelatedOptions(
      {&sim::getSimCategory(), &run::getRunCategory()});
  if (!llvm::cl::ParseCommandLineOptions(
          argc, argv,
          "sparsity-sim: the npu-ref simulator. Counts the cycles of every "
          "npu_ref.gemm of a module lowered with --sparsity-lower (exactly, "
          "from its packed weights and the module's sparsity.target) and "
          "executes the program: npu_ref.gemm by a kernel that reads the "
          "packed weights, the host ops through the sparsity-run driver, "
          "whose options it takes\n\n"
          "Exit codes: 0 success (all comparisons matched), 1 a comparison "
          "did not match, 2 a usage, I/O or compilation error\n",
          &llvm::errs()))
    return run::kError;
  return sim::simMain();
}
