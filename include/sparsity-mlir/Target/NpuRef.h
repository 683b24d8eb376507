//===- NpuRef.h - the npu-ref machine: packing and exact cycles -*- C++ -*-===//
//
// Part of sparsity-mlir. The rules of the modeled `npu-ref` accelerator
// (docs/npu-ref.md): how a weight matrix is packed into its zero-skip format,
// bit-exactly, and how many cycles a layer takes, counted exactly from the
// packed bitmaps. `sparsity-sim` uses these; the cost model
// (CostModel/CostModel.h) predicts the same quantity from statistics only.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSITY_MLIR_TARGET_NPUREF_H
#define SPARSITY_MLIR_TARGET_NPUREF_H

#include "sparsity-mlir/Target/GemmGeometry.h"
#include "sparsity-mlir/Target/NpuRefEnums.h"
#include "sparsity-mlir/Target/TargetDescription.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace mlir {
namespace sparsity {

/// The zero-skip format of a weight matrix `W[n][k]` (row-major). Tiles go
/// output tile by output tile (`cols` lanes), and within one by reduction
/// tile (`tileK` elements); within a tile, lane by lane. Each lane of each
/// tile has a bitmap of ceil(kt / group) bits (kt: the tile's reduction
/// length), least significant bit first, padded to whole bytes; bit j set
/// means group j (elements [j*group, (j+1)*group) of the tile) is kept. The
/// values of every kept group follow in the same order, `group` each, a
/// partial last group padded with zeros.
struct NpuRefPacked {
  std::vector<uint8_t> bitmap;
  std::vector<float> values;
};

/// Packs `w` (n*k floats, row-major). A group is kept when any of its
/// elements is non-zero (`-0.0` is zero).
NpuRefPacked packZeroSkip(llvm::ArrayRef<float> w, int64_t n, int64_t k,
                          const NpuRefParams &params);

/// Decodes the zero-skip format of an n*k matrix: calls
/// `fn(row, col, len, groupValues)` for every kept group, in packing order,
/// where the group covers columns [col, col + len) of `row` and
/// `groupValues` points at its `len` values.
void forEachKeptGroup(
    llvm::ArrayRef<uint8_t> bitmap, llvm::ArrayRef<float> values, int64_t n,
    int64_t k, const NpuRefParams &params,
    llvm::function_ref<void(int64_t, int64_t, int64_t, const float *)> fn);

/// The inverse of packZeroSkip: the dense n*k matrix.
std::vector<float> unpackZeroSkip(const NpuRefPacked &packed, int64_t n,
                                  int64_t k, const NpuRefParams &params);

/// Bytes of the bitmap of one lane of a tile with `kt` reduction elements.
int64_t getLaneBitmapBytes(int64_t kt, const NpuRefParams &params);

/// Cycles of one layer, and where they go.
struct NpuRefCycles {
  /// Total: the sum over tiles of max(compute, memory).
  double cycles = 0;
  /// Sums over tiles of the compute and of the memory cycles alone.
  double computeCycles = 0;
  double memoryCycles = 0;
  /// Bytes moved from and to DRAM.
  double dramBytes = 0;
  int64_t tiles = 0;
  /// Tiles whose memory time exceeded their compute time.
  int64_t memoryBoundTiles = 0;
};

/// The part of a tile's time that does not depend on where its zeros are:
/// DRAM bytes of the tile (weights, metadata, and its share of the
/// activations and results) for `keptGroups` kept groups (ignored in dense
/// mode).
double getTileDramBytes(const GemmGeometry &geometry, NpuRefMode mode,
                        int64_t lanes, int64_t kt, double keptGroups,
                        const NpuRefParams &params);

/// Compute cycles of a tile whose slowest lane keeps `maxLaneGroups` groups
/// (ignored in dense mode): m * ceil(work / rows) + fill (+ decode).
double getTileComputeCycles(const GemmGeometry &geometry, NpuRefMode mode,
                            int64_t kt, int64_t maxLaneGroups,
                            const NpuRefParams &params);

/// Counts the cycles of a layer exactly, tile by tile, from the bitmap of
/// its packed weights (ignored, and may be empty, in dense mode). The
/// simulator's rule.
NpuRefCycles countNpuRefCycles(const GemmGeometry &geometry, NpuRefMode mode,
                               llvm::ArrayRef<uint8_t> bitmap,
                               const NpuRefParams &params);

/// Microseconds of `cycles` at the target's clock.
inline double cyclesToMicroseconds(double cycles, const NpuRefParams &params) {
  return cycles / (params.clockGHz * 1e3);
}

} // namespace sparsity
} // namespace mlir

#endif // SPARSITY_MLIR_TARGET_NPUREF_H
