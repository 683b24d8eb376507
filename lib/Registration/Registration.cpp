//===- Registration.cpp - register dialects and passes --------------------===//
//
// Part of sparsity-mlir.
//
//===----------------------------------------------------------------------===//

#include "sparsity-mlir/Registration/Registration.h"
#include "sparsity-mlir/Conversion/Passes.h"
#include "sparsity-mlir/Dialect/NpuRef/IR/NpuRefDialect.h"
#include "sparsity-mlir/Dialect/Sparsity/IR/SparsityDialect.h"
#include "sparsity-mlir/Dialect/Sparsity/Transforms/Passes.h"
#include "sparsity-mlir/Pipelines/Pipelines.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Affine/Transforms/Passes.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/Transforms/Passes.h"
#include "mlir/Dialect/LLVMIR/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Dialect/SparseTensor/Pipelines/Passes.h"
#include "mlir/Dialect/SparseTensor/Transforms/Passes.h"
#include "mlir/Dialect/Tensor/Transforms/Passes.h"
#include "mlir/Dialect/Tosa/Transforms/Passes.h"
#include "mlir/Dialect/Vector/Transforms/Passes.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void sparsity::registerSparsityDialects(DialectRegistry &registry) {
  registry.insert<sparsity::SparsityDialect, npu_ref::NpuRefDialect>();
}

void sparsity::registerToolDialects(DialectRegistry &registry) {
  registerSparsityDialects(registry);
  // Every upstream dialect together with the external interface models that
  // bufferization, ConvertToLLVM, tiling and inlining rely on (those are
  // registered next to the dialects, so a hand-picked dialect list silently
  // loses them: "op was not bufferized"). Dialects load lazily, so the
  // superset costs nothing at run time.
  registerAllDialects(registry);
  registerAllExtensions(registry);
}

void sparsity::registerToolPasses() {
  registerSparsityPasses();
  registerSparsityConversionPasses();
  registerSparsityPipelines();
  registerTransformsPasses();
  registerConversionPasses();
  affine::registerAffinePasses();
  arith::registerArithPasses();
  bufferization::registerBufferizationPasses();
  bufferization::registerBufferizationPipelines();
  func::registerFuncPasses();
  registerLinalgPasses();
  LLVM::registerLLVMPasses();
  math::registerMathPasses();
  memref::registerMemRefPasses();
  registerSCFPasses();
  registerSparseTensorPasses();
  sparse_tensor::registerSparseTensorPipelines();
  tensor::registerTensorPasses();
  tosa::registerTosaPasses();
  tosa::registerTosaToLinalgPipelines();
  vector::registerVectorPasses();
}
