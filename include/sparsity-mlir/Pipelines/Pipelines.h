//===- Pipelines.h - sparsity-mlir pass pipelines ---------------*- C++ -*-===//
//
// Part of sparsity-mlir. Named pass pipelines that take a whole program from
// linalg on tensors to something a backend consumes. docs/sparsity-run.md
// explains each pass of the default CPU pipeline.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSITY_MLIR_PIPELINES_PIPELINES_H
#define SPARSITY_MLIR_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassOptions.h"

namespace mlir {
class OpPassManager;

namespace sparsity {

/// Options of the default CPU pipeline (`sparsity-cpu-pipeline`).
struct CPUPipelineOptions : public PassPipelineOptions<CPUPipelineOptions> {
  /// Run the upstream TOSA-to-linalg pipelines first (no-op without TOSA).
  PassOptions::Option<bool> lowerTosa{
      *this, "lower-tosa",
      llvm::cl::desc("Lower TOSA to linalg with the upstream pipelines first"),
      llvm::cl::init(true)};
  /// Fuse producer/consumer elementwise linalg ops before bufferization.
  PassOptions::Option<bool> fuseElementwise{
      *this, "fuse-elementwise",
      llvm::cl::desc("Fuse elementwise linalg ops on tensors"),
      llvm::cl::init(true)};
  /// Turn memref results into caller-allocated out-parameters (for every
  /// function, public ones included), so callers own all result memory.
  PassOptions::Option<bool> resultsToOutParams{
      *this, "results-to-out-params",
      llvm::cl::desc("Pass memref results as caller-allocated out-params"),
      llvm::cl::init(true)};
  /// Threads of the parallel loops of the generated x86 kernels (1: they
  /// run as plain loops).
  PassOptions::Option<unsigned> threads{
      *this, "threads",
      llvm::cl::desc("Run the parallel loops of generated kernels on this "
                     "many OpenMP threads (libomp at run time; 1: "
                     "sequential)"),
      llvm::cl::init(1)};
};

/// Builds the default CPU pipeline on a pass manager anchored on
/// `builtin.module`: sparsity annotations are stripped, linalg on tensors is
/// bufferized (identity layouts at function boundaries), lowered to loops and
/// converted to the LLVM dialect.
void buildCPUPipeline(OpPassManager &pm, const CPUPipelineOptions &options);

/// Registers the pipelines of this project (`sparsity-cpu-pipeline`) with
/// the global pass pipeline registry.
void registerSparsityPipelines();

} // namespace sparsity
} // namespace mlir

#endif // SPARSITY_MLIR_PIPELINES_PIPELINES_H
