//===- NpuRefEnums.td - npu-ref modes, one spelling --------*- tablegen -*-===//
//
// Part of sparsity-mlir. The weight formats (modes) of the npu-ref machine.
// This is the only place their spelling lives: the cost model, the packer
// (Target/NpuRef.h) and the `mode` of npu_ref.gemm all use the enum and the
// attribute generated from it.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSITY_MLIR_TARGET_NPUREFENUMS_TD
#define SPARSITY_MLIR_TARGET_NPUREFENUMS_TD

include "mlir/IR/EnumAttr.td"

def NpuRefMode : I32EnumAttr<"NpuRefMode", "how a layer runs on npu-ref", [
    I32EnumAttrCase<"Dense", 0, "dense">,
    I32EnumAttrCase<"ZeroSkip", 1, "zskip">
  ]> {
  let cppNamespace = "::mlir::sparsity";
}

#endif // SPARSITY_MLIR_TARGET_NPUREFENUMS_TD
