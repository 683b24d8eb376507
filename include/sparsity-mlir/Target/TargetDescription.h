//===- TargetDescription.h - targets as data --------------------*- C++ -*-===//
//
// Part of sparsity-mlir. A target description is data: a JSON object (a
// preset shipped with the project, or a file) or the same object written as
// a dictionary attribute `sparsity.target` on the module. This header parses
// and validates it; docs/targets.md is the schema.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSITY_MLIR_TARGET_TARGETDESCRIPTION_H
#define SPARSITY_MLIR_TARGET_TARGETDESCRIPTION_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/JSON.h"

#include <optional>
#include <string>
#include <vector>

namespace mlir {
namespace sparsity {

/// The machine model of a target description: its `kind` field. The only
/// place the spelling is read or written is symbolizeTargetKind /
/// stringifyTargetKind; everything else switches on the enum.
enum class TargetKind {
  /// `npu-ref`: the modeled accelerator (NpuRefParams).
  NpuRef,
  /// `x86-avx512`: this machine's generated kernels (X86Params).
  X86AVX512,
};

/// The spelling of `kind` in a description ("npu-ref", "x86-avx512").
llvm::StringRef stringifyTargetKind(TargetKind kind);

/// The kind spelt `name`, or std::nullopt.
std::optional<TargetKind> symbolizeTargetKind(llvm::StringRef name);

/// The parameters of the `npu-ref` accelerator (docs/npu-ref.md): a
/// weight-stationary array of `cols` output lanes, each reducing `rows`
/// elements per cycle, with zero-skipping of all-zero groups of `group`
/// consecutive reduction elements.
struct NpuRefParams {
  /// Reduction elements one lane multiplies per cycle.
  int64_t rows = 16;
  /// Output lanes of the array: the output channels of one tile.
  int64_t cols = 32;
  /// Reduction elements of one weight tile (a multiple of `group`).
  int64_t tileK = 256;
  /// Zero-skip granularity along the reduction dimension (divides `rows`).
  int64_t group = 8;
  /// Cycles to decode a compressed tile's metadata (zero-skip mode only).
  int64_t decodeCycles = 32;
  /// Cycles to fill and drain the array, per tile, in every mode.
  int64_t fillCycles = 48;
  /// Bytes of one weight, activation or result element.
  int64_t elementBytes = 4;
  /// DRAM bandwidth in bytes per cycle.
  double dramBytesPerCycle = 32.0;
  /// On-chip activation buffer: an activation tensor that fits is read from
  /// DRAM once, otherwise once per tile of output channels.
  int64_t activationBufferBytes = 1 << 20;
  /// Clock in GHz (cycles -> microseconds).
  double clockGHz = 1.0;
};

/// The parameters of the `x86-avx512` target (docs/x86-avx512.md): the
/// code-size guard of pattern-specialised code and the single-thread rates
/// of the generated kernels, as sparsity-calibrate measures them.
struct X86Params {
  /// Code-size guard: the most FMA instructions of pattern-specialised
  /// code per layer.
  int64_t patternMaxFmas = 65536;
  /// dense, m >= 16: GFLOP/s of the register-blocked kernel.
  double denseGflops = 100.0;
  /// csr: ns per (non-zero, 16-lane activation vector), and per (weight
  /// row, activation tile).
  double csrNsPerFma = 0.3;
  double csrNsPerRow = 5.0;
  /// csr and pattern on a convolution read in place (X86ActKind::Direct):
  /// the csr rate per FMA there (unaligned row reads; optional in the JSON,
  /// then csrNsPerFma).
  double csrDirectNsPerFma = 0.3;
  /// csr (not Direct): the rate per FMA when the activation rows one m tile
  /// reads (k x tile width x 4 bytes) exceed csrCacheBytes, e.g. no longer
  /// fit the L2 cache. Optional in the JSON, both or neither; 0: one rate.
  int64_t csrCacheBytes = 0;
  double csrUncachedNsPerFma = 0.3;
  /// pattern: ns per (non-zero, activation vector).
  double patternNsPerFma = 0.3;
  /// m < 16: ns per (weight row, 16 reduction elements, activation row) of
  /// dense, and per (weight row, 16 reduction elements) of bitmap.
  double narrowNsPerChunk = 1.0;
  double bitmapNsPerChunk = 1.0;
  /// How bitmap decompresses 16 weights: `vexpandps` from memory
  /// (expandload), or an index vector from the mask (vpopcntd) and a
  /// `vpermps` of 16 loaded values (permute), which is faster where
  /// vexpandps is slow (AMD Zen 5). Optional in the JSON ("expandload").
  bool bitmapPermute = false;
  /// Weight streaming bandwidth in GB/s (m < 16 layers are bound by it).
  double memoryGBps = 10.0;
  /// ns per element of a staging copy (im2col, transposes).
  double stageNsPerElement = 0.5;
  /// Fixed cost of one layer, µs.
  double layerUs = 1.0;
};

/// The implementation every target has, listed first in
/// TargetDescription::implementations: the layer run dense.
inline constexpr llvm::StringLiteral kDenseImpl = "dense";

/// A parsed, validated target description.
struct TargetDescription {
  /// `name` field (presets: the preset name).
  std::string name;
  /// `kind` field: the machine model.
  TargetKind kind = TargetKind::NpuRef;
  /// Where it came from, for messages: "preset", a file path or "module".
  std::string source;
  /// The implementations the planner may choose from, dense first.
  std::vector<std::string> implementations;
  /// Parameters of kind "npu-ref".
  NpuRefParams npuRef;
  /// Parameters of kind "x86-avx512".
  X86Params x86;
};

/// Names of the built-in presets, sorted.
std::vector<std::string> getTargetPresetNames();

/// The JSON text of preset `name`, or an empty string.
llvm::StringRef getTargetPresetJSON(llvm::StringRef name);

/// Parses and validates `value`. On failure, `error` names the offending
/// field (e.g. "field 'zero_skip.group': 3 does not divide 'array.rows' (16)").
FailureOr<TargetDescription>
parseTargetDescription(const llvm::json::Value &value, std::string &error);

/// The same for JSON text.
FailureOr<TargetDescription> parseTargetDescription(llvm::StringRef json,
                                                    std::string &error);

/// The same for a dictionary attribute (integers, floats, strings and nested
/// dictionaries map to the JSON of the same shape).
FailureOr<TargetDescription> parseTargetDescription(DictionaryAttr dict,
                                                    std::string &error);

/// The name of the module attribute that carries a description.
inline llvm::StringRef getTargetAttrName() { return "sparsity.target"; }

/// Resolves a `target=` option: a preset name, a path to a JSON file, or
/// `module` (or the empty string, when the module has the attribute) for the
/// `sparsity.target` attribute of `module`. On failure `error` says why.
FailureOr<TargetDescription> resolveTarget(llvm::StringRef spec,
                                           ModuleOp module, std::string &error);

/// Writes `target` as JSON (the schema of docs/targets.md): the JSON form of
/// toDictionaryAttr.
llvm::json::Value toJSON(const TargetDescription &target, MLIRContext *context);

/// Writes `target` as the dictionary attribute that `resolveTarget` reads
/// back from a module (integers as i64, numbers as f64).
DictionaryAttr toDictionaryAttr(const TargetDescription &target,
                                MLIRContext *context);

} // namespace sparsity
} // namespace mlir

#endif // SPARSITY_MLIR_TARGET_TARGETDESCRIPTION_H
