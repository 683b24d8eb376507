//===- X86.h - the x86-avx512 target's implementations ----------*- C++ -*-===//
//
// Part of sparsity-mlir. The implementations `--sparsity-lower` generates for
// an x86-avx512 target (docs/x86-avx512.md), the register tiling they use
// and when each applies; shared by the lowering, the cost model and
// sparsity-calibrate so that they agree.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSITY_MLIR_TARGET_X86_H
#define SPARSITY_MLIR_TARGET_X86_H

#include "sparsity-mlir/Target/NpuRef.h"
#include "sparsity-mlir/Target/TargetDescription.h"

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>
#include <vector>

namespace mlir {
namespace sparsity {

/// f32 lanes of one AVX-512 register.
constexpr int64_t kX86Lanes = 16;

/// How a layer runs on x86-avx512.
enum class X86Impl { Dense, Csr, Pattern, Bitmap };

/// "dense", "csr", "pattern", "bitmap".
llvm::StringRef stringifyX86Impl(X86Impl impl);
std::optional<X86Impl> symbolizeX86Impl(llvm::StringRef name);

/// The register tiling of a layer's kernels.
struct X86Tiling {
  /// Fewer than 16 activation rows: dense and bitmap run per weight row,
  /// vectorised along the reduction; csr and pattern do not apply.
  bool narrow = false;
  /// dense (weight broadcast): weight rows x activation vectors per tile.
  int64_t denseRows = 6, denseVecs = 4;
  /// csr and pattern: activation vectors per non-zero.
  int64_t sparseVecs = 8;
};

/// How the x86-avx512 kernels read a layer's activation X[g][k][m].
enum class X86ActKind {
  /// Copied into a [G][K][Mp] buffer first (im2col, transposes).
  Staged,
  /// X[m][k] and Y[m][n] in place (one group): the dense kernel broadcasts
  /// activations, csr and pattern transpose.
  FullyConnected,
  /// In place: the m loops are output rows (outer) of `rowWidth` contiguous
  /// activation elements (inner, unit stride in the activation and the
  /// output), and every k and group position is a fixed offset. A stride-1
  /// (in width) NCHW convolution reads its input this way without im2col.
  Direct,
};

struct X86ActLayout {
  X86ActKind kind = X86ActKind::Staged;
  /// Direct: output rows of rowWidth elements, `rows` of them; activation
  /// elements between two output rows; per k and per group, the offset of
  /// that position's element for output element 0.
  int64_t rowWidth = 0, rows = 1, actRowPitch = 0;
  std::vector<int64_t> kOffsets, groupOffsets;
};

/// The tiling of a layer. A direct layout (X86ActKind::Direct) tiles whole
/// output rows, so its dense tile counts vectors of rows: a tile of V
/// vectors holds V / vectorsPerRow rows (V a multiple of vectorsPerRow), or
/// a part of one row.
X86Tiling getX86Tiling(const GemmGeometry &geometry,
                       const X86ActLayout &layout = {});

/// Direct reads need rows that fill their 16-lane vectors to at least this
/// share (7-wide rows waste more than they save; 14, 28 and 56 do not).
constexpr double kX86DirectMinLaneUse = 0.85;

/// FMA instructions of the pattern-specialised code of a layer with
/// `nonZeros` weights (the quantity the code-size guard limits).
int64_t getPatternFmas(const GemmGeometry &geometry, int64_t nonZeros);

/// Why `impl` cannot run this layer on the target, or "" when it can.
std::string whyX86ImplNotApplicable(const GemmGeometry &geometry, X86Impl impl,
                                    int64_t nonZeros, const X86Params &params);

} // namespace sparsity
} // namespace mlir

#endif // SPARSITY_MLIR_TARGET_X86_H
