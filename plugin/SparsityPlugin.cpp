//===- SparsityPlugin.cpp - mlir-opt dialect and pass plugin --------------===//
//
// Part of sparsity-mlir. Lets upstream mlir-opt load our dialect
// (--load-dialect-plugin) and our passes (--load-pass-plugin).
//
//===----------------------------------------------------------------------===//

#include "sparsity-mlir/Conversion/Passes.h"
#include "sparsity-mlir/Dialect/Sparsity/Transforms/Passes.h"
#include "sparsity-mlir/Pipelines/Pipelines.h"
#include "sparsity-mlir/Registration/Registration.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/Plugins/DialectPlugin.h"
#include "mlir/Tools/Plugins/PassPlugin.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/Compiler.h"

using namespace mlir;

/// Entry point of --load-dialect-plugin. Registers the passes and pipelines
/// too, so that one flag is enough to use the whole extension.
extern "C" LLVM_ATTRIBUTE_WEAK DialectPluginLibraryInfo
mlirGetDialectPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "SparsityMLIR", LLVM_VERSION_STRING,
          [](DialectRegistry *registry) {
            sparsity::registerSparsityDialects(*registry);
            sparsity::registerSparsityPasses();
            sparsity::registerSparsityConversionPasses();
            sparsity::registerSparsityPipelines();
          }};
}

/// Entry point of --load-pass-plugin.
extern "C" LLVM_ATTRIBUTE_WEAK PassPluginLibraryInfo mlirGetPassPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "SparsityMLIRPasses", LLVM_VERSION_STRING,
          []() {
            sparsity::registerSparsityPasses();
            sparsity::registerSparsityConversionPasses();
            sparsity::registerSparsityPipelines();
          }};
}
