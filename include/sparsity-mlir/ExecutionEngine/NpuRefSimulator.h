//===- NpuRefSimulator.h - the sparsity-sim driver as a library -*- C++ -*-===//
//
// Part of sparsity-mlir. The whole of sparsity-sim as one function of the
// library SparsityMLIRNpuRefSimulator, which the tool's main calls after
// parsing its command line: the npu-ref cycle count of every npu_ref.gemm
// (its table and JSON) and the kernel that executes the packed weights, as
// hooks of the sparsity-run driver (RunDriver.h).
//
//===----------------------------------------------------------------------===//

#ifndef SPARSITY_MLIR_EXECUTIONENGINE_NPUREFSIMULATOR_H
#define SPARSITY_MLIR_EXECUTIONENGINE_NPUREFSIMULATOR_H

#include "llvm/Support/CommandLine.h"

namespace mlir {
namespace sparsity {
namespace sim {

/// The option category of the simulator's own flags (--cycles-only, --json);
/// the driver's are in run::getRunCategory().
llvm::cl::OptionCategory &getSimCategory();

/// Runs the simulator with the parsed command line: counts and prints the
/// cycles, then executes the program through the sparsity-run driver with
/// the simulator's hooks. Returns the driver's exit code (run::ExitCode).
int simMain();

} // namespace sim
} // namespace sparsity
} // namespace mlir

#endif // SPARSITY_MLIR_EXECUTIONENGINE_NPUREFSIMULATOR_H
