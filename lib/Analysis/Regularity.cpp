//===- Regularity.cpp - N:M and block structure of a zero mask ------------===//
//
// Part of sparsity-mlir. Both detections read the mask a machine word at a
// time and stop as soon as the structure they look for is refuted, so that a
// dense or unstructured weight costs little even in a 100M-parameter model.
//
//===----------------------------------------------------------------------===//

#include "sparsity-mlir/Analysis/Regularity.h"

#include "llvm/ADT/bit.h"
#include "llvm/Support/MathExtras.h"

#include <algorithm>
#include <cstdint>
#include <limits>

using namespace mlir;
using namespace mlir::sparsity;

namespace {
/// The row-major layout around one dimension: the tensor seen as
/// `outer` x `size` x `inner` elements.
struct DimLayout {
  int64_t outer = 1;
  int64_t size = 1;
  int64_t inner = 1;
};

/// Reads runs of up to one machine word of bits, at any offset, from a
/// BitVector.
class BitReader {
public:
  using Word = uintptr_t;
  static constexpr int64_t kWordBits = std::numeric_limits<Word>::digits;

  explicit BitReader(const llvm::BitVector &bits) : words(bits.getData()) {}

  /// Returns bits [begin, begin + count) as the low bits of a word; `count`
  /// is in [1, kWordBits] and the run lies inside the vector.
  Word read(int64_t begin, int64_t count) const {
    int64_t index = begin / kWordBits;
    int64_t shift = begin % kWordBits;
    Word value = words[index] >> shift;
    if (shift != 0 && shift + count > kWordBits)
      value |= words[index + 1] << (kWordBits - shift);
    return value & lowMask(count);
  }

  /// A word with the `count` low bits set, `count` in [0, kWordBits].
  static Word lowMask(int64_t count) {
    return count == kWordBits ? ~Word(0) : (Word(1) << count) - 1;
  }

private:
  ArrayRef<Word> words;
};

/// The largest non-zero count seen so far in one aligned group of 4, 8 and
/// 16 elements, fed one group of `largestM` at a time.
class GroupMaxima {
public:
  explicit GroupMaxima(int64_t largestM) : largestM(largestM) {}

  /// Takes one group of `largestM` elements as the non-zero counts of its
  /// `largestM / 4` groups of 4, found `stride` apart from `quads`.
  void add(const uint8_t *quads, int64_t stride) {
    int64_t pair = 0, all = 0;
    for (int64_t q = 0, e = largestM / 4; q < e; ++q) {
      int64_t count = quads[q * stride];
      maxima[0] = std::max(maxima[0], count);
      pair += count;
      all += count;
      if (q % 2 == 1) {
        maxima[1] = std::max(maxima[1], pair);
        pair = 0;
      }
    }
    maxima[2] = std::max(maxima[2], all);
  }

  /// Returns the largest count of a group of `m` (4, 8 or 16, at most
  /// `largestM`).
  int64_t get(int64_t m) const { return maxima[llvm::Log2_64(m) - 2]; }

  /// Returns true while some M can still hold with N <= M / 2.
  bool anyCandidateLeft() const {
    for (int64_t m = 4; m <= largestM; m *= 2)
      if (get(m) <= m / 2)
        return true;
    return false;
  }

private:
  int64_t largestM;
  int64_t maxima[3] = {0, 0, 0};
};
} // namespace

static DimLayout getDimLayout(ArrayRef<int64_t> shape, int64_t dim) {
  DimLayout layout;
  layout.size = shape[dim];
  for (int64_t d = 0; d < dim; ++d)
    layout.outer *= shape[d];
  for (int64_t d = dim + 1, e = shape.size(); d < e; ++d)
    layout.inner *= shape[d];
  return layout;
}

//===----------------------------------------------------------------------===//
// N:M
//===----------------------------------------------------------------------===//

/// Feeds every group of `largestM` elements along the innermost dimension to
/// `maxima`. Groups are consecutive bits at multiples of `largestM`, which
/// divides the word size: no group straddles two words. Returns false as
/// soon as no M is left.
static bool scanInnermostGroups(const ElementMask &zeros, int64_t largestM,
                                GroupMaxima &maxima) {
  using Word = BitReader::Word;
  BitReader reader(zeros.getBits());
  for (int64_t begin = 0, total = zeros.size(); begin < total;
       begin += BitReader::kWordBits) {
    int64_t count = std::min(BitReader::kWordBits, total - begin);
    Word nonzeros = ~reader.read(begin, count) & BitReader::lowMask(count);
    for (int64_t group = 0; group < count; group += largestM) {
      uint8_t quads[4];
      for (int64_t q = 0; q < largestM / 4; ++q)
        quads[q] = llvm::popcount((nonzeros >> (group + 4 * q)) & Word(0xF));
      maxima.add(quads, /*stride=*/1);
    }
    if (!maxima.anyCandidateLeft())
      return false;
  }
  return true;
}

/// Feeds every group of `largestM` elements along a dimension with `inner`
/// elements after it: the group at one position of the inner dimensions is
/// spread over `largestM` slices of `inner` consecutive bits, which are
/// counted for all positions at once. Returns false as soon as no M is left.
static bool scanStridedGroups(const ElementMask &zeros, const DimLayout &layout,
                              int64_t largestM, GroupMaxima &maxima) {
  using Word = BitReader::Word;
  BitReader reader(zeros.getBits());
  int64_t inner = layout.inner;
  // counts[q * inner + j]: non-zeros of group of 4 `q` at inner position j.
  SmallVector<uint8_t> counts(largestM / 4 * inner);
  for (int64_t o = 0; o < layout.outer; ++o) {
    for (int64_t start = 0; start < layout.size; start += largestM) {
      std::fill(counts.begin(), counts.end(), 0);
      for (int64_t t = 0; t < largestM; ++t) {
        int64_t slice = (o * layout.size + start + t) * inner;
        uint8_t *quad = counts.data() + (t / 4) * inner;
        for (int64_t j = 0; j < inner; j += BitReader::kWordBits) {
          int64_t count = std::min(BitReader::kWordBits, inner - j);
          Word nonzeros =
              ~reader.read(slice + j, count) & BitReader::lowMask(count);
          for (; nonzeros != 0; nonzeros &= nonzeros - 1)
            ++quad[j + llvm::countr_zero(nonzeros)];
        }
      }
      for (int64_t j = 0; j < inner; ++j)
        maxima.add(counts.data() + j, /*stride=*/inner);
      if (!maxima.anyCandidateLeft())
        return false;
    }
  }
  return true;
}

std::optional<NMRegularity> mlir::sparsity::detectNM(const ElementMask &zeros,
                                                     int64_t dim) {
  if (dim < 0 || dim >= zeros.getRank() || zeros.size() == 0)
    return std::nullopt;
  // N <= M / 2 in every group bounds the non-zeros by half the elements.
  if (2 * zeros.count() < zeros.size())
    return std::nullopt;
  DimLayout layout = getDimLayout(zeros.getShape(), dim);
  int64_t largestM = 0;
  for (int64_t m = 4; m <= 16; m *= 2)
    if (layout.size % m == 0)
      largestM = m;
  if (largestM == 0)
    return std::nullopt;

  GroupMaxima maxima(largestM);
  bool anyLeft = layout.inner == 1
                     ? scanInnermostGroups(zeros, largestM, maxima)
                     : scanStridedGroups(zeros, layout, largestM, maxima);
  if (!anyLeft)
    return std::nullopt;

  std::optional<NMRegularity> best;
  for (int64_t m = 4; m <= largestM; m *= 2) {
    int64_t n = std::max<int64_t>(1, maxima.get(m));
    if (n > m / 2)
      continue;
    // Strictly smaller ratios only: on a tie the smaller M, seen first, wins.
    if (!best || n * best->m < best->n * m)
      best = NMRegularity{n, m, dim};
  }
  return best;
}

//===----------------------------------------------------------------------===//
// Blocks
//===----------------------------------------------------------------------===//

/// Returns the block sizes above 1 allowed along a dimension of `size`
/// elements, increasing: powers of two up to 32 that divide it, and the whole
/// dimension when it is at most 7.
static SmallVector<int64_t> getBlockSizeCandidates(int64_t size) {
  SmallVector<int64_t> sizes;
  for (int64_t p = 2; p <= 32; p *= 2)
    if (size % p == 0)
      sizes.push_back(p);
  if (size > 1 && size <= 7 && !llvm::is_contained(sizes, size))
    sizes.push_back(size);
  return sizes;
}

/// Returns the largest candidate size `b` along `dim` such that every
/// aligned run of `b` slices along `dim` is uniform (all zero or all
/// non-zero at each position of the other dimensions); 1 if there is none.
///
/// Slice `i` differing from slice `i - 1` anywhere refutes every `b` that
/// does not start a run at `i` (`i % b != 0`). The walk compares each slice
/// with the previous one a word at a time and stops once every candidate is
/// refuted.
static int64_t getLargestUniformSize(const ElementMask &zeros, int64_t dim) {
  using Word = BitReader::Word;
  DimLayout layout = getDimLayout(zeros.getShape(), dim);
  SmallVector<int64_t> candidates = getBlockSizeCandidates(layout.size);
  SmallVector<bool> alive(candidates.size(), true);
  int64_t numAlive = candidates.size();
  auto refute = [&](int64_t slice) {
    for (auto [k, candidate] : llvm::enumerate(candidates)) {
      if (alive[k] && slice % candidate != 0) {
        alive[k] = false;
        --numAlive;
      }
    }
  };

  BitReader reader(zeros.getBits());
  int64_t inner = layout.inner;
  int64_t slab = layout.size * inner;
  for (int64_t o = 0; o < layout.outer && numAlive > 0; ++o) {
    int64_t base = o * slab;
    // Position `pos` of the slab (from slice 1 on) against `pos - inner`.
    for (int64_t pos = inner; pos < slab && numAlive > 0;) {
      int64_t count = std::min(BitReader::kWordBits, slab - pos);
      Word diff = reader.read(base + pos, count) ^
                  reader.read(base + pos - inner, count);
      while (diff != 0) {
        int64_t slice = (pos + llvm::countr_zero(diff)) / inner;
        refute(slice);
        // The rest of this slice in the word has nothing more to say.
        int64_t next = (slice + 1) * inner - pos;
        if (next >= count)
          break;
        diff &= ~BitReader::lowMask(next);
      }
      pos += count;
    }
  }
  for (int64_t k = candidates.size() - 1; k >= 0; --k)
    if (alive[k])
      return candidates[k];
  return 1;
}

std::optional<BlockRegularity>
mlir::sparsity::detectBlock(const ElementMask &zeros) {
  int64_t numZeros = zeros.count();
  if (zeros.getRank() == 0 || numZeros == 0)
    return std::nullopt;
  // A shape is valid when each of its sizes is valid alone (see the header):
  // the per-dimension maxima are the answer, with nothing left to combine.
  BlockRegularity block;
  int64_t volume = 1;
  for (int64_t dim = 0, rank = zeros.getRank(); dim < rank; ++dim) {
    block.shape.push_back(getLargestUniformSize(zeros, dim));
    volume *= block.shape.back();
  }
  if (volume == 1)
    return std::nullopt;
  // Blocks are uniform, so the non-zeros fill whole blocks.
  block.nonzeroBlocks = (zeros.size() - numZeros) / volume;
  return block;
}
