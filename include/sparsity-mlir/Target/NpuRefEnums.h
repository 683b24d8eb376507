//===- NpuRefEnums.h - npu-ref modes ----------------------------*- C++ -*-===//
//
// Part of sparsity-mlir. How a layer runs on npu-ref:
// `enum class NpuRefMode { Dense, ZeroSkip }`, spelt "dense" and "zskip" in
// plans and instructions (stringifyNpuRefMode, symbolizeNpuRefMode), and
// NpuRefModeAttr, the attribute that holds one. Generated from
// NpuRefEnums.td, the one place the spelling lives.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSITY_MLIR_TARGET_NPUREFENUMS_H
#define SPARSITY_MLIR_TARGET_NPUREFENUMS_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/StringRef.h"

#include <optional>

#include "sparsity-mlir/Target/NpuRefEnums.h.inc"

#endif // SPARSITY_MLIR_TARGET_NPUREFENUMS_H
