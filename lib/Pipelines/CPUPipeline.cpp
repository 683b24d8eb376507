//===- CPUPipeline.cpp - default CPU pipeline -----------------------------===//
//
// Part of sparsity-mlir. The default pipeline from linalg on tensors (with
// sparsity annotations, optionally TOSA) to the LLVM dialect, used by
// sparsity-run and registered as `sparsity-cpu-pipeline`. Every pass and the
// reason for it are listed in docs/sparsity-run.md; keep the two in step.
//
//===----------------------------------------------------------------------===//

#include "sparsity-mlir/Dialect/Sparsity/Transforms/Passes.h"
#include "sparsity-mlir/Pipelines/Pipelines.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Conversion/TosaToLinalg/TosaToLinalg.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void sparsity::buildCPUPipeline(OpPassManager &pm,
                                const CPUPipelineOptions &options) {
  // 1. Annotations carry facts for the sparsity passes only; the identity
  //    carrier op has no lowering of its own.
  pm.addPass(createSparsityStripAnnotationsPass());

  // 2. TOSA input (optional): the upstream decompositions and conversions.
  if (options.lowerTosa)
    tosa::addTosaToLinalgPasses(pm, TosaToLinalgOptions(),
                                TosaToLinalgNamedOptions(),
                                /*validationOptions=*/std::nullopt);

  // 3. Elementwise arith/math ops on whole tensors become linalg.generic
  //    (bufferization has no model for them), then tensor-level clean-up and
  //    fusion of elementwise chains.
  pm.addNestedPass<func::FuncOp>(createConvertElementwiseToLinalgPass());
  if (options.fuseElementwise)
    pm.addNestedPass<func::FuncOp>(createLinalgElementwiseOpFusionPass());
  pm.addPass(createCanonicalizerPass());

  // 4. Bufferization of the whole module, function boundaries included, with
  //    identity layouts on function arguments/results (a plain C interface).
  bufferization::OneShotBufferizePassOptions bufferizeOptions;
  bufferizeOptions.bufferizeFunctionBoundaries = true;
  bufferizeOptions.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferizeOptions));

  // 5. Results become caller-allocated out-params: the caller owns every
  //    buffer that crosses the boundary, nothing is returned to free.
  if (options.resultsToOutParams) {
    bufferization::BufferResultsToOutParamsPassOptions outParamOptions;
    outParamOptions.modifyPublicFunctions = true;
    outParamOptions.hoistStaticAllocs = true;
    pm.addPass(
        bufferization::createBufferResultsToOutParamsPass(outParamOptions));
  }

  // 6. Ownership-based deallocation of every remaining allocation.
  bufferization::buildBufferDeallocationPipeline(
      pm, bufferization::BufferDeallocationPipelineOptions());
  pm.addPass(createConvertBufferizationToMemRefPass());

  // 7. Loops, then the structured control flow and memref metadata
  //    lowerings that the LLVM conversion expects. With threads > 1 the
  //    scf.parallel loops of generated kernels (--sparsity-lower for
  //    x86-avx512) become OpenMP worksharing loops (libomp at run time).
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  if (options.threads > 1) {
    ConvertSCFToOpenMPPassOptions ompOptions;
    ompOptions.numThreads = options.threads;
    pm.addPass(createConvertSCFToOpenMPPass(ompOptions));
  }
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  // The worksharing loops' bodies are memref.alloca_scopes, which must
  // become LLVM before their loops become blocks.
  if (options.threads > 1)
    pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createSCFToControlFlowPass());

  // 8. Math: LLVM intrinsics where they exist, libm calls for the rest.
  pm.addNestedPass<func::FuncOp>(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  if (options.threads > 1)
    pm.addPass(createConvertOpenMPToLLVMPass());
  // Vector ops of generated kernels; 16x16 transposes as AVX-512 shuffles.
  ConvertVectorToLLVMPassOptions vectorOptions;
  vectorOptions.vectorTransposeLowering =
      vector::VectorTransposeLowering::Shuffle16x16;
  vectorOptions.x86Vector = true;
  // Horizontal sums of the kernels' accumulators as a tree, not in order.
  vectorOptions.reassociateFPReductions = true;
  pm.addPass(createConvertVectorToLLVMPass(vectorOptions));

  // 9. Everything else to the LLVM dialect through the ConvertToLLVM
  //    interfaces, then remove the casts left between converted regions.
  pm.addPass(createConvertToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
}

void sparsity::registerSparsityPipelines() {
  // Once per process: the mlir-opt plugin's two entry points both call this.
  static bool registered = [] {
    PassPipelineRegistration<CPUPipelineOptions>(
        "sparsity-cpu-pipeline",
        "The default CPU pipeline of sparsity-run: strip sparsity "
        "annotations, bufferize, lower linalg to loops and convert to the "
        "LLVM dialect",
        buildCPUPipeline);
    return true;
  }();
  (void)registered;
}
