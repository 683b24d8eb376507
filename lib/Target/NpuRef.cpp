//===- NpuRef.cpp - the npu-ref machine: packing and exact cycles ---------===//
//
// Part of sparsity-mlir. docs/npu-ref.md states every rule implemented here.
//
//===----------------------------------------------------------------------===//

#include "sparsity-mlir/Target/NpuRef.h"

#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/MathExtras.h"

#include <algorithm>
#include <cassert>
#include <cmath>

using namespace mlir;
using namespace mlir::sparsity;

#include "sparsity-mlir/Target/NpuRefEnums.cpp.inc"

int64_t sparsity::getLaneBitmapBytes(int64_t kt, const NpuRefParams &params) {
  return llvm::divideCeilSigned(llvm::divideCeilSigned(kt, params.group), 8);
}

/// Calls `fn(n0, lanes, k0, kt)` for every tile, in packing order.
template <typename Fn>
static void forEachTile(int64_t n, int64_t k, const NpuRefParams &params,
                        Fn fn) {
  for (int64_t n0 = 0; n0 < n; n0 += params.cols)
    for (int64_t k0 = 0; k0 < k; k0 += params.tileK)
      fn(n0, std::min(params.cols, n - n0), k0, std::min(params.tileK, k - k0));
}

NpuRefPacked sparsity::packZeroSkip(llvm::ArrayRef<float> w, int64_t n,
                                    int64_t k, const NpuRefParams &params) {
  assert(static_cast<int64_t>(w.size()) == n * k && "matrix size mismatch");
  NpuRefPacked packed;
  const int64_t g = params.group;
  forEachTile(
      n, k, params, [&](int64_t n0, int64_t lanes, int64_t k0, int64_t kt) {
        int64_t laneBytes = getLaneBitmapBytes(kt, params);
        int64_t numGroups = llvm::divideCeilSigned(kt, g);
        for (int64_t l = 0; l < lanes; ++l) {
          const float *row = w.data() + (n0 + l) * k + k0;
          size_t base = packed.bitmap.size();
          packed.bitmap.resize(base + laneBytes, 0);
          for (int64_t j = 0; j < numGroups; ++j) {
            int64_t len = std::min(g, kt - j * g);
            bool kept = false;
            for (int64_t e = 0; e < len && !kept; ++e)
              kept = row[j * g + e] != 0.0f;
            if (!kept)
              continue;
            packed.bitmap[base + j / 8] |= static_cast<uint8_t>(1u << (j % 8));
            for (int64_t e = 0; e < g; ++e)
              packed.values.push_back(e < len ? row[j * g + e] : 0.0f);
          }
        }
      });
  return packed;
}

void sparsity::forEachKeptGroup(
    llvm::ArrayRef<uint8_t> bitmap, llvm::ArrayRef<float> values, int64_t n,
    int64_t k, const NpuRefParams &params,
    llvm::function_ref<void(int64_t, int64_t, int64_t, const float *)> fn) {
  const int64_t g = params.group;
  size_t byte = 0, value = 0;
  forEachTile(n, k, params,
              [&](int64_t n0, int64_t lanes, int64_t k0, int64_t kt) {
                int64_t laneBytes = getLaneBitmapBytes(kt, params);
                int64_t numGroups = llvm::divideCeilSigned(kt, g);
                for (int64_t l = 0; l < lanes; ++l, byte += laneBytes) {
                  for (int64_t j = 0; j < numGroups; ++j) {
                    if (!(bitmap[byte + j / 8] & (1u << (j % 8))))
                      continue;
                    assert(value + g <= values.size() &&
                           "fewer values than kept groups");
                    fn(n0 + l, k0 + j * g, std::min(g, kt - j * g),
                       values.data() + value);
                    value += g;
                  }
                }
              });
}

std::vector<float> sparsity::unpackZeroSkip(const NpuRefPacked &packed,
                                            int64_t n, int64_t k,
                                            const NpuRefParams &params) {
  std::vector<float> w(n * k, 0.0f);
  forEachKeptGroup(
      packed.bitmap, packed.values, n, k, params,
      [&](int64_t row, int64_t col, int64_t len, const float *groupValues) {
        std::copy(groupValues, groupValues + len, w.data() + row * k + col);
      });
  return w;
}

double sparsity::getTileDramBytes(const GemmGeometry &geometry, NpuRefMode mode,
                                  int64_t lanes, int64_t kt, double keptGroups,
                                  const NpuRefParams &params) {
  const double eb = static_cast<double>(params.elementBytes);
  double weightBytes;
  if (mode == NpuRefMode::Dense)
    weightBytes = static_cast<double>(lanes * kt) * eb;
  else
    weightBytes = keptGroups * static_cast<double>(params.group) * eb +
                  static_cast<double>(lanes * getLaneBitmapBytes(kt, params));
  // Activations are read once when they fit the buffer, else once per output
  // tile of a group; results are written once. A tile carries its share, in
  // proportion to the weights it covers.
  double actBytes = static_cast<double>(geometry.activationElements) * eb;
  int64_t outputsPerGroup = geometry.n / std::max<int64_t>(geometry.groups, 1);
  if (actBytes > static_cast<double>(params.activationBufferBytes))
    actBytes *= static_cast<double>(
        llvm::divideCeilSigned(outputsPerGroup, params.cols));
  double outBytes = static_cast<double>(geometry.m * geometry.n) * eb;
  double share = static_cast<double>(lanes * kt) /
                 static_cast<double>(geometry.n * geometry.k);
  return weightBytes + (actBytes + outBytes) * share;
}

double sparsity::getTileComputeCycles(const GemmGeometry &geometry,
                                      NpuRefMode mode, int64_t kt,
                                      int64_t maxLaneGroups,
                                      const NpuRefParams &params) {
  if (mode == NpuRefMode::Dense)
    return static_cast<double>(geometry.m *
                                   llvm::divideCeilSigned(kt, params.rows) +
                               params.fillCycles);
  return static_cast<double>(
      geometry.m *
          llvm::divideCeilSigned(maxLaneGroups * params.group, params.rows) +
      params.fillCycles + params.decodeCycles);
}

NpuRefCycles sparsity::countNpuRefCycles(const GemmGeometry &geometry,
                                         NpuRefMode mode,
                                         llvm::ArrayRef<uint8_t> bitmap,
                                         const NpuRefParams &params) {
  NpuRefCycles result;
  size_t byte = 0;
  forEachTile(geometry.n, geometry.k, params,
              [&](int64_t, int64_t lanes, int64_t, int64_t kt) {
                int64_t maxLane = 0, kept = 0;
                if (mode == NpuRefMode::ZeroSkip) {
                  int64_t laneBytes = getLaneBitmapBytes(kt, params);
                  assert(byte + lanes * laneBytes <= bitmap.size() &&
                         "bitmap too short");
                  for (int64_t l = 0; l < lanes; ++l, byte += laneBytes) {
                    int64_t count = 0;
                    for (int64_t b = 0; b < laneBytes; ++b)
                      count += __builtin_popcount(bitmap[byte + b]);
                    maxLane = std::max(maxLane, count);
                    kept += count;
                  }
                }
                double compute =
                    getTileComputeCycles(geometry, mode, kt, maxLane, params);
                double bytes =
                    getTileDramBytes(geometry, mode, lanes, kt,
                                     static_cast<double>(kept), params);
                double memory = bytes / params.dramBytesPerCycle;
                result.cycles += std::max(compute, memory);
                result.computeCycles += compute;
                result.memoryCycles += memory;
                result.dramBytes += bytes;
                result.tiles += 1;
                result.memoryBoundTiles += memory > compute ? 1 : 0;
              });
  return result;
}
