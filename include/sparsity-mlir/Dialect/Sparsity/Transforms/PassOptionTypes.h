//===- PassOptionTypes.h - typed options of the sparsity passes -*- C++ -*-===//
//
// Part of sparsity-mlir. The enum- and shape-valued options of the sparsity
// passes (Passes.td), each parsed once, when the options are: the passes
// see typed values, never strings to compare.
//
//===----------------------------------------------------------------------===//

#ifndef SPARSITY_MLIR_DIALECT_SPARSITY_TRANSFORMS_PASSOPTIONTYPES_H
#define SPARSITY_MLIR_DIALECT_SPARSITY_TRANSFORMS_PASSOPTIONTYPES_H

#include "sparsity-mlir/Support/PassOptions.h"

#include <cstdint>

namespace mlir {
namespace sparsity {

/// --sparsity-report `format=`.
enum class ReportFormat { Json, Csv, Markdown };
/// --sparsity-prune `granularity=`: what one pruning decision removes.
enum class PruneGranularity { Unstructured, Channel, NM, Block };
/// --sparsity-prune `criterion=`: the magnitude norm.
enum class PruneCriterion { L1, L2 };
/// --sparsity-prune `metric=`: what `target=` counts.
enum class PruneMetric { Params, Ops };
/// --sparsity-prune `scope=`: where `target=` applies.
enum class PruneScope { Global, Layer };
/// --sparsity-prune `hybrid=`: no search, or the search of the structured
/// share of lowest predicted latency.
enum class HybridSearch { None, Auto };

template <> struct OptionEnumTraits<ReportFormat> {
  static ArrayRef<std::pair<StringLiteral, ReportFormat>> getValues();
};
template <> struct OptionEnumTraits<PruneGranularity> {
  static ArrayRef<std::pair<StringLiteral, PruneGranularity>> getValues();
};
template <> struct OptionEnumTraits<PruneCriterion> {
  static ArrayRef<std::pair<StringLiteral, PruneCriterion>> getValues();
};
template <> struct OptionEnumTraits<PruneMetric> {
  static ArrayRef<std::pair<StringLiteral, PruneMetric>> getValues();
};
template <> struct OptionEnumTraits<PruneScope> {
  static ArrayRef<std::pair<StringLiteral, PruneScope>> getValues();
};
template <> struct OptionEnumTraits<HybridSearch> {
  static ArrayRef<std::pair<StringLiteral, HybridSearch>> getValues();
};

/// --sparsity-prune `nm=N:M`: at most N non-zeros in every M consecutive
/// weights, 1 <= N <= M.
struct NMShape {
  int64_t n = 2;
  int64_t m = 4;
  /// Parses "N:M"; std::nullopt with `error` set otherwise.
  static std::optional<NMShape> parse(StringRef text, std::string &error);
  /// Prints "N:M".
  void print(raw_ostream &os) const;
};

/// --sparsity-prune `block=RxC`: a block of R output by C input channels.
struct BlockShape {
  int64_t rows = 4;
  int64_t cols = 4;
  /// Parses "RxC"; std::nullopt with `error` set otherwise.
  static std::optional<BlockShape> parse(StringRef text, std::string &error);
  /// Prints "RxC".
  void print(raw_ostream &os) const;
};

} // namespace sparsity
} // namespace mlir

namespace llvm {
namespace cl {
/// The parsers the pass options of these types use.
template <>
class parser<mlir::sparsity::ReportFormat>
    : public mlir::sparsity::EnumOptionParser<mlir::sparsity::ReportFormat> {
public:
  using EnumOptionParser::EnumOptionParser;
};
template <>
class parser<mlir::sparsity::PruneGranularity>
    : public mlir::sparsity::EnumOptionParser<
          mlir::sparsity::PruneGranularity> {
public:
  using EnumOptionParser::EnumOptionParser;
};
template <>
class parser<mlir::sparsity::PruneCriterion>
    : public mlir::sparsity::EnumOptionParser<mlir::sparsity::PruneCriterion> {
public:
  using EnumOptionParser::EnumOptionParser;
};
template <>
class parser<mlir::sparsity::PruneMetric>
    : public mlir::sparsity::EnumOptionParser<mlir::sparsity::PruneMetric> {
public:
  using EnumOptionParser::EnumOptionParser;
};
template <>
class parser<mlir::sparsity::PruneScope>
    : public mlir::sparsity::EnumOptionParser<mlir::sparsity::PruneScope> {
public:
  using EnumOptionParser::EnumOptionParser;
};
template <>
class parser<mlir::sparsity::HybridSearch>
    : public mlir::sparsity::EnumOptionParser<mlir::sparsity::HybridSearch> {
public:
  using EnumOptionParser::EnumOptionParser;
};
template <>
class parser<mlir::sparsity::NMShape>
    : public mlir::sparsity::ValueOptionParser<mlir::sparsity::NMShape> {
public:
  using ValueOptionParser::ValueOptionParser;
};
template <>
class parser<mlir::sparsity::BlockShape>
    : public mlir::sparsity::ValueOptionParser<mlir::sparsity::BlockShape> {
public:
  using ValueOptionParser::ValueOptionParser;
};
} // namespace cl
} // namespace llvm

#endif // SPARSITY_MLIR_DIALECT_SPARSITY_TRANSFORMS_PASSOPTIONTYPES_H
