//===- Registration.h - register dialects and passes ------------*- C++ -*-===//
//
// Part of sparsity-mlir. One place that says what our tools register.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSITY_MLIR_REGISTRATION_REGISTRATION_H
#define SPARSITY_MLIR_REGISTRATION_REGISTRATION_H

namespace mlir {
class DialectRegistry;

namespace sparsity {

/// Inserts the dialects of this project into `registry`.
void registerSparsityDialects(DialectRegistry &registry);

// The passes of this project are registered by registerSparsityPasses(),
// generated into "sparsity-mlir/Dialect/Sparsity/Transforms/Passes.h".

/// Inserts our dialects plus the upstream dialects, interface models and
/// extensions needed to take func/arith/math/tensor/linalg/tosa/scf/vector/
/// x86vector/memref/bufferization/sparse_tensor IR down to the LLVM dialect
/// (all upstream dialects: their interface models are registered with them).
void registerToolDialects(DialectRegistry &registry);

/// Registers our passes plus the upstream passes and pipelines that such a
/// lowering needs (transforms, conversions, and the dialect passes of the
/// dialects above), and our pipelines (`sparsity-cpu-pipeline`).
void registerToolPasses();

} // namespace sparsity
} // namespace mlir

#endif // SPARSITY_MLIR_REGISTRATION_REGISTRATION_H
