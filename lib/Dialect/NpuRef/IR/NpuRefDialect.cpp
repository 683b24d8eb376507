//===- NpuRefDialect.cpp - npu_ref dialect --------------------------------===//
//
// Part of sparsity-mlir.
//
//===----------------------------------------------------------------------===//

#include "sparsity-mlir/Dialect/NpuRef/IR/NpuRefDialect.h"
#include "sparsity-mlir/Dialect/NpuRef/IR/NpuRefOps.h"

using namespace mlir;
using namespace mlir::npu_ref;

#include "sparsity-mlir/Dialect/NpuRef/IR/NpuRefDialect.cpp.inc"

void NpuRefDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "sparsity-mlir/Dialect/NpuRef/IR/NpuRefOps.cpp.inc"
      >();
}
