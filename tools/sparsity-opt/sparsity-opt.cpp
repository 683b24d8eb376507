//===- sparsity-opt.cpp - sparsity-mlir optimizer driver ------------------===//
//
// Part of sparsity-mlir. The opt-style driver: our dialects and passes plus
// the upstream ones a lowering to the LLVM dialect needs.
//
//===----------------------------------------------------------------------===//

#include "sparsity-mlir/Registration/Registration.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

namespace mlir::sparsity::test {
void registerTestOpSparsityPass();
} // namespace mlir::sparsity::test

int main(int argc, char **argv) {
  mlir::sparsity::registerToolPasses();
  mlir::sparsity::test::registerTestOpSparsityPass();
  mlir::DialectRegistry registry;
  mlir::sparsity::registerToolDialects(registry);
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "sparsity-mlir optimizer driver\n", registry));
}
