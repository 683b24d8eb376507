//===- PassOptionTypes.cpp - typed options of the sparsity passes ---------===//
//
// Part of sparsity-mlir. The names of every enum-valued option, once, and the
// N:M and block shape parsers.
//
//===----------------------------------------------------------------------===//

#include "sparsity-mlir/Dialect/Sparsity/Transforms/PassOptionTypes.h"

#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace mlir::sparsity;

ArrayRef<std::pair<StringLiteral, ReportFormat>>
OptionEnumTraits<ReportFormat>::getValues() {
  static const std::pair<StringLiteral, ReportFormat> values[] = {
      {"json", ReportFormat::Json},
      {"csv", ReportFormat::Csv},
      {"md", ReportFormat::Markdown}};
  return values;
}

ArrayRef<std::pair<StringLiteral, PruneGranularity>>
OptionEnumTraits<PruneGranularity>::getValues() {
  static const std::pair<StringLiteral, PruneGranularity> values[] = {
      {"unstructured", PruneGranularity::Unstructured},
      {"channel", PruneGranularity::Channel},
      {"nm", PruneGranularity::NM},
      {"block", PruneGranularity::Block}};
  return values;
}

ArrayRef<std::pair<StringLiteral, PruneCriterion>>
OptionEnumTraits<PruneCriterion>::getValues() {
  static const std::pair<StringLiteral, PruneCriterion> values[] = {
      {"l1", PruneCriterion::L1}, {"l2", PruneCriterion::L2}};
  return values;
}

ArrayRef<std::pair<StringLiteral, PruneMetric>>
OptionEnumTraits<PruneMetric>::getValues() {
  static const std::pair<StringLiteral, PruneMetric> values[] = {
      {"params", PruneMetric::Params}, {"ops", PruneMetric::Ops}};
  return values;
}

ArrayRef<std::pair<StringLiteral, PruneScope>>
OptionEnumTraits<PruneScope>::getValues() {
  static const std::pair<StringLiteral, PruneScope> values[] = {
      {"global", PruneScope::Global}, {"layer", PruneScope::Layer}};
  return values;
}

ArrayRef<std::pair<StringLiteral, HybridSearch>>
OptionEnumTraits<HybridSearch>::getValues() {
  static const std::pair<StringLiteral, HybridSearch> values[] = {
      {"none", HybridSearch::None}, {"auto", HybridSearch::Auto}};
  return values;
}

/// Parses "A<separator>B" with positive integers A and B.
static std::optional<std::pair<int64_t, int64_t>>
parsePositivePair(StringRef text, char separator) {
  auto [first, second] = text.split(separator);
  int64_t a, b;
  if (first.getAsInteger(10, a) || second.getAsInteger(10, b) || a < 1 || b < 1)
    return std::nullopt;
  return std::make_pair(a, b);
}

std::optional<NMShape> NMShape::parse(StringRef text, std::string &error) {
  std::optional<std::pair<int64_t, int64_t>> pair =
      parsePositivePair(text, ':');
  if (!pair) {
    error = "'" + text.str() + "' is not N:M with positive N and M";
    return std::nullopt;
  }
  if (pair->first > pair->second) {
    error = llvm::formatv("N = {0} exceeds M = {1}", pair->first, pair->second)
                .str();
    return std::nullopt;
  }
  return NMShape{pair->first, pair->second};
}

void NMShape::print(raw_ostream &os) const { os << n << ":" << m; }

std::optional<BlockShape> BlockShape::parse(StringRef text,
                                            std::string &error) {
  std::optional<std::pair<int64_t, int64_t>> pair =
      parsePositivePair(text, 'x');
  if (!pair) {
    error = "'" + text.str() + "' is not RxC with positive R and C";
    return std::nullopt;
  }
  return BlockShape{pair->first, pair->second};
}

void BlockShape::print(raw_ostream &os) const { os << rows << "x" << cols; }
