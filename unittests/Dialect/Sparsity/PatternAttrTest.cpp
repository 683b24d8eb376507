//===- PatternAttrTest.cpp - sparsity pattern query/compose API tests -----===//
//
// Part of sparsity-mlir. Unit tests of `#sparsity.pattern`: the non-zero
// counts and densities it bounds, implication, composition, verification
// against a shape, and its textual round trip.
//
//===----------------------------------------------------------------------===//

#include "sparsity-mlir/Dialect/Sparsity/IR/SparsityAttrs.h"
#include "sparsity-mlir/Dialect/Sparsity/IR/SparsityDialect.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/raw_ostream.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include <optional>
#include <string>
#include <vector>

using namespace mlir;
using namespace mlir::sparsity;

using ::testing::ElementsAre;
using ::testing::HasSubstr;

namespace {

constexpr int64_t kDyn = ShapedType::kDynamic;

/// Records every diagnostic emitted in the context while it is alive.
class DiagnosticRecorder {
public:
  explicit DiagnosticRecorder(MLIRContext &context)
      : handler(&context, [this](Diagnostic &diag) {
          messages.push_back(diag.str());
          return success();
        }) {}

  /// All recorded messages, joined by newlines.
  std::string joined() const {
    std::string text;
    for (const std::string &message : messages)
      text += message + "\n";
    return text;
  }

  std::vector<std::string> messages;

private:
  ScopedDiagnosticHandler handler;
};

class PatternAttrTest : public ::testing::Test {
protected:
  PatternAttrTest() { context.loadDialect<SparsityDialect>(); }

  /// Parses `#sparsity.pattern<body>`; on failure, fails the test and
  /// returns the empty pattern so that the test can go on without crashing.
  PatternAttr pattern(StringRef body) {
    std::string text = ("#sparsity.pattern<" + body + ">").str();
    auto attr = dyn_cast_or_null<PatternAttr>(parseAttribute(text, &context));
    if (!attr) {
      ADD_FAILURE() << "failed to parse " << text;
      return PatternAttr::get(&context);
    }
    return attr;
  }

  static std::string print(Attribute attr) {
    std::string text;
    llvm::raw_string_ostream os(text);
    attr.print(os);
    return text;
  }

  /// Emits errors at an unknown location (recorded by a DiagnosticRecorder).
  InFlightDiagnostic emitError() {
    return mlir::emitError(UnknownLoc::get(&context));
  }

  /// Runs verifyAgainstShape and returns the reported message, or
  /// std::nullopt on success.
  std::optional<std::string> verifyMessage(PatternAttr attr,
                                           ArrayRef<int64_t> shape) {
    DiagnosticRecorder recorder(context);
    LogicalResult result =
        attr.verifyAgainstShape([&]() { return emitError(); }, shape);
    if (succeeded(result)) {
      EXPECT_TRUE(recorder.messages.empty()) << recorder.joined();
      return std::nullopt;
    }
    EXPECT_EQ(recorder.messages.size(), 1u) << recorder.joined();
    return recorder.joined();
  }

  /// Composes `lhs` with `rhs`; returns the printed result, or the error
  /// message prefixed by "error: " on failure.
  std::string composeText(PatternAttr lhs, PatternAttr rhs,
                          ArrayRef<int64_t> shape = {}) {
    DiagnosticRecorder recorder(context);
    FailureOr<PatternAttr> result =
        lhs.compose(rhs, shape, [&]() { return emitError(); });
    if (failed(result)) {
      EXPECT_EQ(recorder.messages.size(), 1u) << recorder.joined();
      return "error: " + recorder.joined();
    }
    EXPECT_TRUE(recorder.messages.empty()) << recorder.joined();
    return print(*result);
  }

  MLIRContext context;
};

//===----------------------------------------------------------------------===//
// Accessors
//===----------------------------------------------------------------------===//

TEST_F(PatternAttrTest, EmptyPattern) {
  PatternAttr empty = PatternAttr::get(&context);
  EXPECT_TRUE(empty.empty());
  EXPECT_EQ(pattern(""), empty);
  EXPECT_EQ(print(empty), "#sparsity.pattern<>");
  EXPECT_FALSE(pattern("channels<dim = 0, pruned = [0]>").empty());
  EXPECT_FALSE(pattern("unstructured<nnz = 0>").empty());
  EXPECT_FALSE(pattern("nm<2:4, dim = 0>").empty());
  EXPECT_FALSE(pattern("block<[2, 2]>").empty());

  // An empty pattern bounds nothing but the element count.
  EXPECT_EQ(empty.getExactNnz(), std::nullopt);
  EXPECT_EQ(empty.getMaxNnz({4, 8}), 32);
  EXPECT_EQ(empty.getMaxDensity({4, 8}), 1.0);
  EXPECT_EQ(empty.getMaxDensity({kDyn, 8}), std::nullopt);
}

TEST_F(PatternAttrTest, ChannelsAccessors) {
  PatternAttr attr = pattern("channels<dim = 0, pruned = [1, 3]>, "
                             "channels<dim = 2, pruned = [1], group = 2>");
  ChannelsAttr dim0 = attr.getChannelsFor(0);
  ASSERT_TRUE(dim0);
  EXPECT_EQ(dim0.getDim(), 0);
  EXPECT_THAT(dim0.getPruned(), ElementsAre(1, 3));
  EXPECT_EQ(dim0.getGroup(), 1);
  EXPECT_EQ(dim0.getNumPrunedSlices(), 2);
  EXPECT_FALSE(attr.getChannelsFor(1));
  ChannelsAttr dim2 = attr.getChannelsFor(2);
  ASSERT_TRUE(dim2);
  EXPECT_EQ(dim2.getGroup(), 2);
  EXPECT_EQ(dim2.getNumPrunedSlices(), 2);
  EXPECT_FALSE(dim2.isSlicePruned(1));
  EXPECT_TRUE(dim2.isSlicePruned(2));
  EXPECT_TRUE(dim2.isSlicePruned(3));
  EXPECT_FALSE(dim2.isSlicePruned(4));
  EXPECT_FALSE(dim2.isSlicePruned(-1));
  EXPECT_FALSE(attr.getChannelsFor(3));

  EXPECT_THAT(attr.getKeptIndices(0, 6), ElementsAre(0, 2, 4, 5));
  // Dimension 1 has no channels component: every index is kept.
  EXPECT_THAT(attr.getKeptIndices(1, 3), ElementsAre(0, 1, 2));
  // Dimension 2 is in units of its group of 2: 8 slices are 4 indices.
  EXPECT_THAT(attr.getKeptIndices(2, 8), ElementsAre(0, 2, 3));
  EXPECT_TRUE(PatternAttr::get(&context).getKeptIndices(0, 0).empty());
}

TEST_F(PatternAttrTest, BuildersMatchParser) {
  int64_t pruned[] = {1, 3};
  ChannelsAttr channels = ChannelsAttr::get(&context, 0, pruned, 1);
  PatternAttr built = PatternAttr::get(
      &context, {channels}, UnstructuredAttr::getExact(&context, 40),
      NMAttr::get(&context, 2, 4, 1), BlockAttr());
  EXPECT_EQ(built, pattern("channels<dim = 0, pruned = [1, 3]>, "
                           "unstructured<nnz = 40>, nm<2:4, dim = 1>"));
  UnstructuredAttr bound = UnstructuredAttr::getBound(&context, 0.25);
  EXPECT_EQ(bound.getDensityBound(), 0.25);
  EXPECT_EQ(bound.getNnz(), std::nullopt);
  EXPECT_EQ(UnstructuredAttr::getExact(&context, 7).getDensityBound(),
            std::nullopt);
  int64_t blockShape[] = {2, 3};
  EXPECT_EQ(BlockAttr::get(&context, blockShape, 4).getBlockVolume(), 6);
}

//===----------------------------------------------------------------------===//
// Non-zero counts and densities
//===----------------------------------------------------------------------===//

TEST_F(PatternAttrTest, NnzOneChannelsDim) {
  PatternAttr attr = pattern("channels<dim = 0, pruned = [1, 3]>");
  // 6 of 8 rows kept, 4 columns each.
  EXPECT_EQ(attr.getExactNnz(), std::nullopt);
  EXPECT_EQ(attr.getStructuralMaxNnz({8, 4}), 24);
  EXPECT_EQ(attr.getMaxNnz({8, 4}), 24);
  EXPECT_EQ(attr.getDensity({8, 4}), std::nullopt);
  EXPECT_EQ(attr.getMaxDensity({8, 4}), 0.75);
}

TEST_F(PatternAttrTest, NnzTwoChannelsDims) {
  PatternAttr attr = pattern("channels<dim = 0, pruned = [1, 3]>, "
                             "channels<dim = 1, pruned = [0]>");
  // The kept box is 6 x 3.
  EXPECT_EQ(attr.getStructuralMaxNnz({8, 4}), 18);
  EXPECT_EQ(attr.getMaxNnz({8, 4}), 18);
  EXPECT_EQ(attr.getMaxDensity({8, 4}), 18.0 / 32.0);
  // On a 4-D OIHW weight the spatial dimensions multiply in unchanged.
  EXPECT_EQ(attr.getMaxNnz({8, 4, 3, 3}), 18 * 9);
}

TEST_F(PatternAttrTest, NnzChannelsWithGroup) {
  // Group indices 0 and 3 of size 2 are rows 0, 1, 6 and 7.
  PatternAttr attr = pattern("channels<dim = 0, pruned = [0, 3], group = 2>");
  EXPECT_EQ(attr.getStructuralMaxNnz({8, 4}), 16);
  EXPECT_EQ(attr.getMaxNnz({8, 4}), 16);
  EXPECT_EQ(attr.getMaxDensity({8, 4}), 0.5);
  PatternAttr heads = pattern("channels<dim = 0, pruned = [2, 5], group = 64>");
  EXPECT_EQ(heads.getMaxNnz({768, 768}), (768 - 128) * 768);
}

TEST_F(PatternAttrTest, NnzNM) {
  PatternAttr attr = pattern("nm<2:4, dim = 1>");
  // 3 rows, 2 groups of 4 per row, 2 non-zeros per group.
  EXPECT_EQ(attr.getStructuralMaxNnz({3, 8}), 12);
  EXPECT_EQ(attr.getMaxNnz({3, 8}), 12);
  EXPECT_EQ(attr.getMaxDensity({3, 8}), 0.5);
  PatternAttr alongRows = pattern("nm<1:3, dim = 0>");
  EXPECT_EQ(alongRows.getMaxNnz({3, 8}), 8);
}

TEST_F(PatternAttrTest, NnzNMWithPrunedChannelsOnSameDim) {
  // Group [0, 4) keeps only column 3: min(2, 1) = 1. Group [4, 8) keeps
  // columns 4, 6 and 7: min(2, 3) = 2. So 3 per row, below the kept box
  // (4 columns per row) and below the plain 2:4 bound (4 per row).
  PatternAttr attr = pattern("channels<dim = 1, pruned = [0, 1, 2, 5]>, "
                             "nm<2:4, dim = 1>");
  EXPECT_EQ(attr.getStructuralMaxNnz({3, 8}), 9);
  EXPECT_EQ(attr.getMaxNnz({3, 8}), 9);
  EXPECT_EQ(attr.getMaxDensity({3, 8}), 9.0 / 24.0);

  // With a group of 4 the whole first N:M group is pruned.
  PatternAttr grouped =
      pattern("channels<dim = 1, pruned = [0], group = 4>, nm<2:4, dim = 1>");
  EXPECT_EQ(grouped.getMaxNnz({3, 8}), 6);

  // Pruned channels on another dimension only shrink the row count.
  PatternAttr otherDim =
      pattern("channels<dim = 0, pruned = [0]>, nm<2:4, dim = 1>");
  EXPECT_EQ(otherDim.getMaxNnz({3, 8}), 8);
}

TEST_F(PatternAttrTest, NnzBlock) {
  PatternAttr attr = pattern("block<[2, 2], nonzero_blocks = 3>");
  EXPECT_EQ(attr.getStructuralMaxNnz({4, 4}), 12);
  EXPECT_EQ(attr.getMaxNnz({4, 4}), 12);
  EXPECT_EQ(attr.getMaxDensity({4, 4}), 0.75);
  // Without a count, a block only states a granularity.
  PatternAttr countless = pattern("block<[2, 2]>");
  EXPECT_EQ(countless.getMaxNnz({4, 4}), 16);
}

TEST_F(PatternAttrTest, NnzExactCount) {
  PatternAttr attr =
      pattern("unstructured<nnz = 10>, block<[2, 2], nonzero_blocks = 3>");
  EXPECT_EQ(attr.getExactNnz(), 10);
  EXPECT_EQ(attr.getStructuralMaxNnz({4, 4}), 12);
  EXPECT_EQ(attr.getMaxNnz({4, 4}), 10);
  EXPECT_EQ(attr.getDensity({4, 4}), 10.0 / 16.0);
  EXPECT_EQ(attr.getMaxDensity({4, 4}), 10.0 / 16.0);
  // A zero-element tensor has no density.
  EXPECT_EQ(pattern("unstructured<nnz = 0>").getDensity({0, 4}), std::nullopt);
}

TEST_F(PatternAttrTest, NnzDensityBound) {
  PatternAttr attr = pattern("unstructured<density = 0.25>");
  EXPECT_EQ(attr.getExactNnz(), std::nullopt);
  EXPECT_EQ(attr.getDensity({10}), std::nullopt);
  // The structural components do not see the declared bound.
  EXPECT_EQ(attr.getStructuralMaxNnz({10}), 10);
  // floor(0.25 * 10) = 2.
  EXPECT_EQ(attr.getMaxNnz({10}), 2);
  EXPECT_EQ(attr.getMaxDensity({10}), 0.2);

  // The smaller of the declared bound and the N:M bound wins.
  PatternAttr withNM =
      pattern("unstructured<density = 0.75>, nm<2:4, dim = 1>");
  EXPECT_EQ(withNM.getMaxNnz({4, 4}), 8);
  EXPECT_EQ(withNM.getMaxDensity({4, 4}), 0.5);
  PatternAttr tighter =
      pattern("unstructured<density = 0.25>, nm<2:4, dim = 1>");
  EXPECT_EQ(tighter.getMaxNnz({4, 4}), 4);
  EXPECT_EQ(tighter.getMaxDensity({4, 4}), 0.25);
}

TEST_F(PatternAttrTest, NnzDynamicShape) {
  PatternAttr exact = pattern("channels<dim = 0, pruned = [1]>, "
                              "unstructured<nnz = 12>");
  EXPECT_EQ(exact.getExactNnz(), 12);
  EXPECT_EQ(exact.getMaxNnz({kDyn, 4}), std::nullopt);
  EXPECT_EQ(exact.getStructuralMaxNnz({kDyn, 4}), std::nullopt);
  EXPECT_EQ(exact.getDensity({kDyn, 4}), std::nullopt);
  // Neither channels nor an exact count give a ratio on their own.
  EXPECT_EQ(exact.getMaxDensity({kDyn, 4}), std::nullopt);

  // Ratio-only bounds: N:M and a declared density, the smaller one.
  PatternAttr nm = pattern("nm<2:4, dim = 1>");
  EXPECT_EQ(nm.getMaxNnz({4, kDyn}), std::nullopt);
  EXPECT_EQ(nm.getMaxDensity({4, kDyn}), 0.5);
  PatternAttr both = pattern("unstructured<density = 0.25>, nm<2:4, dim = 1>");
  EXPECT_EQ(both.getMaxDensity({kDyn, kDyn}), 0.25);
  PatternAttr loose = pattern("unstructured<density = 0.75>, nm<1:4, dim = 0>");
  EXPECT_EQ(loose.getMaxDensity({kDyn, 8}), 0.25);
}

//===----------------------------------------------------------------------===//
// Implication
//===----------------------------------------------------------------------===//

TEST_F(PatternAttrTest, ImpliesChannels) {
  PatternAttr both = pattern("channels<dim = 0, pruned = [1, 3]>");
  PatternAttr one = pattern("channels<dim = 0, pruned = [1]>");
  PatternAttr otherDim = pattern("channels<dim = 1, pruned = [1]>");
  EXPECT_TRUE(both.implies(one));
  EXPECT_TRUE(both.implies(both));
  EXPECT_FALSE(one.implies(both));
  EXPECT_FALSE(both.implies(otherDim));
  EXPECT_FALSE(otherDim.implies(one));
  PatternAttr twoDims = pattern("channels<dim = 0, pruned = [1, 3]>, "
                                "channels<dim = 1, pruned = [1]>");
  EXPECT_TRUE(twoDims.implies(one));
  EXPECT_TRUE(twoDims.implies(otherDim));
  EXPECT_FALSE(one.implies(twoDims));
}

TEST_F(PatternAttrTest, ImpliesChannelGroups) {
  // Group index 1 of size 2 is slices 2 and 3.
  PatternAttr grouped = pattern("channels<dim = 0, pruned = [1], group = 2>");
  PatternAttr slices23 = pattern("channels<dim = 0, pruned = [2, 3]>");
  PatternAttr slice2 = pattern("channels<dim = 0, pruned = [2]>");
  PatternAttr slice3 = pattern("channels<dim = 0, pruned = [3]>");
  PatternAttr slices12 = pattern("channels<dim = 0, pruned = [1, 2]>");
  EXPECT_TRUE(grouped.implies(slices23));
  EXPECT_TRUE(grouped.implies(slice2));
  EXPECT_TRUE(grouped.implies(slice3));
  EXPECT_FALSE(grouped.implies(slices12));
  // The other way only when both slices of the group are pruned.
  EXPECT_TRUE(slices23.implies(grouped));
  EXPECT_FALSE(slice2.implies(grouped));
  EXPECT_FALSE(slice3.implies(grouped));
  EXPECT_FALSE(slices12.implies(grouped));
  // Group 4 index 0 (slices 0-3) implies group 2 indices 0 and 1.
  EXPECT_TRUE(pattern("channels<dim = 0, pruned = [0], group = 4>")
                  .implies(pattern("channels<dim = 0, pruned = [0, 1], "
                                   "group = 2>")));
  EXPECT_FALSE(pattern("channels<dim = 0, pruned = [0], group = 4>")
                   .implies(pattern("channels<dim = 0, pruned = [2], "
                                    "group = 2>")));
}

TEST_F(PatternAttrTest, ImpliesExactNnz) {
  PatternAttr nnz40 = pattern("unstructured<nnz = 40>");
  EXPECT_TRUE(nnz40.implies(pattern("unstructured<nnz = 40>")));
  EXPECT_FALSE(nnz40.implies(pattern("unstructured<nnz = 41>")));
  EXPECT_FALSE(nnz40.implies(pattern("unstructured<nnz = 39>")));
  EXPECT_FALSE(pattern("channels<dim = 0, pruned = [0]>")
                   .implies(pattern("unstructured<nnz = 40>")));
  EXPECT_FALSE(pattern("unstructured<density = 0.5>")
                   .implies(pattern("unstructured<nnz = 8>"), {4, 4}));
}

TEST_F(PatternAttrTest, ImpliesNnzVsDensityBound) {
  PatternAttr nnz4 = pattern("unstructured<nnz = 4>");
  PatternAttr nnz5 = pattern("unstructured<nnz = 5>");
  PatternAttr quarter = pattern("unstructured<density = 0.25>");
  // 4 of 16 elements is a density of exactly 0.25.
  EXPECT_TRUE(nnz4.implies(quarter, {4, 4}));
  EXPECT_FALSE(nnz5.implies(quarter, {4, 4}));
  EXPECT_TRUE(nnz5.implies(quarter, {4, 8}));
  // Without the element count, it is not proven.
  EXPECT_FALSE(nnz4.implies(quarter));
  EXPECT_FALSE(nnz4.implies(quarter, {kDyn, 4}));
  // Structure alone can prove a density bound given the shape.
  PatternAttr channels = pattern("channels<dim = 0, pruned = [0, 1, 2]>");
  EXPECT_TRUE(channels.implies(quarter, {4, 4}));
  EXPECT_FALSE(channels.implies(quarter, {8, 4}));
  EXPECT_FALSE(channels.implies(quarter));
}

TEST_F(PatternAttrTest, ImpliesDensityWithoutShape) {
  PatternAttr tenth = pattern("unstructured<density = 0.1>");
  PatternAttr fifth = pattern("unstructured<density = 0.2>");
  EXPECT_TRUE(tenth.implies(fifth));
  EXPECT_TRUE(tenth.implies(tenth));
  EXPECT_FALSE(fifth.implies(tenth));
  EXPECT_FALSE(fifth.implies(tenth, {kDyn, 4}));
  EXPECT_TRUE(tenth.implies(fifth, {kDyn, 4}));
  // N:M gives a ratio without a shape.
  PatternAttr nm = pattern("nm<2:4, dim = 1>");
  EXPECT_TRUE(nm.implies(pattern("unstructured<density = 0.5>")));
  EXPECT_FALSE(nm.implies(pattern("unstructured<density = 0.4>")));
  EXPECT_FALSE(pattern("unstructured<density = 0.6>").implies(nm));
}

TEST_F(PatternAttrTest, ImpliesNM) {
  PatternAttr nm24 = pattern("nm<2:4, dim = 1>");
  PatternAttr nm48 = pattern("nm<4:8, dim = 1>");
  PatternAttr nm34 = pattern("nm<3:4, dim = 1>");
  PatternAttr nm18 = pattern("nm<1:8, dim = 1>");
  PatternAttr nm14 = pattern("nm<1:4, dim = 1>");
  EXPECT_TRUE(nm24.implies(nm48));
  EXPECT_TRUE(nm24.implies(nm34));
  EXPECT_TRUE(nm18.implies(nm14));
  EXPECT_FALSE(nm48.implies(nm24));
  EXPECT_FALSE(nm34.implies(nm24));
  EXPECT_FALSE(nm14.implies(nm18));
  EXPECT_TRUE(nm14.implies(nm24));
  EXPECT_FALSE(nm24.implies(nm14));
  // Different dimensions do not imply each other.
  EXPECT_FALSE(nm24.implies(pattern("nm<2:4, dim = 0>")));
  EXPECT_FALSE(nm24.implies(pattern("nm<4:8, dim = 0>")));
  // Incommensurable group sizes.
  EXPECT_FALSE(pattern("nm<1:3, dim = 1>").implies(nm24));
  // N = M states nothing: everything implies it.
  EXPECT_TRUE(PatternAttr::get(&context).implies(pattern("nm<4:4, dim = 0>")));
  // No N:M component implies no real N:M constraint.
  EXPECT_FALSE(pattern("channels<dim = 1, pruned = [0]>").implies(nm24));
}

TEST_F(PatternAttrTest, ImpliesBlock) {
  PatternAttr coarse = pattern("block<[4, 2]>");
  PatternAttr fine = pattern("block<[2, 1]>");
  EXPECT_TRUE(coarse.implies(fine));
  EXPECT_FALSE(fine.implies(coarse));
  EXPECT_TRUE(pattern("block<[4, 3]>").implies(fine));
  EXPECT_FALSE(pattern("block<[3, 2]>").implies(fine));
  EXPECT_FALSE(pattern("block<[4, 2, 1]>").implies(fine));
  // Counts must match exactly, on the same block shape.
  PatternAttr counted3 = pattern("block<[4, 2], nonzero_blocks = 3>");
  EXPECT_TRUE(counted3.implies(counted3));
  EXPECT_TRUE(counted3.implies(fine));
  EXPECT_TRUE(counted3.implies(coarse));
  EXPECT_FALSE(counted3.implies(pattern("block<[4, 2], nonzero_blocks = 4>")));
  EXPECT_FALSE(counted3.implies(pattern("block<[2, 1], nonzero_blocks = 12>")));
  EXPECT_FALSE(coarse.implies(counted3));
  EXPECT_FALSE(pattern("channels<dim = 0, pruned = [0]>").implies(fine));
}

TEST_F(PatternAttrTest, EverythingImpliesEmpty) {
  PatternAttr empty = PatternAttr::get(&context);
  const char *bodies[] = {
      "",
      "channels<dim = 0, pruned = [1, 3]>",
      "channels<dim = 2, pruned = [0], group = 8>",
      "unstructured<nnz = 0>",
      "unstructured<density = 0.5>",
      "nm<2:4, dim = 1>",
      "block<[2, 2], nonzero_blocks = 1>",
      ("channels<dim = 0, pruned = [1]>, unstructured<nnz = 20>, "
       "nm<2:4, dim = 1>, block<[1, 4]>"),
  };
  for (const char *body : bodies) {
    PatternAttr attr = pattern(body);
    EXPECT_TRUE(attr.implies(empty)) << body;
    EXPECT_TRUE(attr.implies(empty, {8, 8})) << body;
    EXPECT_TRUE(attr.implies(attr, {8, 8})) << body;
    if (!attr.empty()) {
      EXPECT_FALSE(empty.implies(attr, {8, 8})) << body;
    }
  }
}

TEST_F(PatternAttrTest, NeverImpliesStronger) {
  std::pair<const char *, const char *> weakerStronger[] = {
      {"channels<dim = 0, pruned = [1]>", "channels<dim = 0, pruned = [1, 2]>"},
      {"channels<dim = 0, pruned = [2]>",
       "channels<dim = 0, pruned = [1], group = 2>"},
      {"unstructured<density = 0.5>", "unstructured<density = 0.25>"},
      {"unstructured<density = 0.5>", "unstructured<nnz = 2>"},
      {"nm<4:8, dim = 1>", "nm<2:4, dim = 1>"},
      {"nm<2:4, dim = 1>", "nm<1:4, dim = 1>"},
      {"block<[2, 2]>", "block<[4, 4]>"},
      {"block<[2, 2]>", "block<[2, 2], nonzero_blocks = 2>"},
      {"channels<dim = 0, pruned = [1]>",
       "channels<dim = 0, pruned = [1]>, unstructured<nnz = 3>"},
  };
  for (auto [weaker, stronger] : weakerStronger) {
    PatternAttr weak = pattern(weaker);
    PatternAttr strong = pattern(stronger);
    EXPECT_TRUE(strong.implies(weak, {8, 8})) << stronger << " => " << weaker;
    EXPECT_FALSE(weak.implies(strong)) << weaker << " => " << stronger;
    EXPECT_FALSE(weak.implies(strong, {8, 8})) << weaker << " => " << stronger;
    EXPECT_FALSE(weak.implies(strong, {kDyn, 8}))
        << weaker << " => " << stronger;
  }
}

//===----------------------------------------------------------------------===//
// Composition
//===----------------------------------------------------------------------===//

TEST_F(PatternAttrTest, ComposeChannelsUnion) {
  EXPECT_EQ(composeText(pattern("channels<dim = 0, pruned = [1]>"),
                        pattern("channels<dim = 0, pruned = [0, 3]>")),
            "#sparsity.pattern<channels<dim = 0, pruned = [0, 1, 3]>>");
  EXPECT_EQ(composeText(pattern("channels<dim = 0, pruned = [1, 3]>"),
                        pattern("channels<dim = 0, pruned = [1, 3]>")),
            "#sparsity.pattern<channels<dim = 0, pruned = [1, 3]>>");
  // Components on distinct dimensions are kept, in dimension order.
  EXPECT_EQ(composeText(pattern("channels<dim = 2, pruned = [4]>"),
                        pattern("channels<dim = 0, pruned = [1]>")),
            "#sparsity.pattern<channels<dim = 0, pruned = [1]>, "
            "channels<dim = 2, pruned = [4]>>");
  EXPECT_EQ(composeText(pattern("channels<dim = 0, pruned = [1], group = 4>"),
                        pattern("channels<dim = 0, pruned = [0], group = 4>")),
            "#sparsity.pattern<channels<dim = 0, pruned = [0, 1], group = 4>>");
}

TEST_F(PatternAttrTest, ComposeChannelsMixedGroups) {
  // Group 2 index 1 is slices 2 and 3; with slice 0, at group gcd(2, 1) = 1.
  EXPECT_EQ(composeText(pattern("channels<dim = 0, pruned = [1], group = 2>"),
                        pattern("channels<dim = 0, pruned = [0]>")),
            "#sparsity.pattern<channels<dim = 0, pruned = [0, 2, 3]>>");
  // Group 4 index 0 is slices 0-3, group 6 index 1 is slices 6-11; at group
  // gcd(4, 6) = 2 they are indices 0, 1 and 3, 4, 5.
  EXPECT_EQ(composeText(pattern("channels<dim = 0, pruned = [0], group = 4>"),
                        pattern("channels<dim = 0, pruned = [1], group = 6>")),
            "#sparsity.pattern<channels<dim = 0, pruned = [0, 1, 3, 4, 5], "
            "group = 2>>");
}

TEST_F(PatternAttrTest, ComposeNnzConflict) {
  EXPECT_EQ(composeText(pattern("unstructured<nnz = 40>"),
                        pattern("unstructured<nnz = 41>")),
            "error: conflicting exact non-zero counts 40 and 41\n");
  // Without emitError, the failure is silent.
  DiagnosticRecorder recorder(context);
  EXPECT_TRUE(failed(pattern("unstructured<nnz = 40>")
                         .compose(pattern("unstructured<nnz = 41>"))));
  EXPECT_TRUE(recorder.messages.empty());
  EXPECT_EQ(composeText(pattern("unstructured<nnz = 40>"),
                        pattern("unstructured<nnz = 40>")),
            "#sparsity.pattern<unstructured<nnz = 40>>");
}

TEST_F(PatternAttrTest, ComposeUnstructured) {
  PatternAttr nnz = pattern("unstructured<nnz = 4>");
  PatternAttr half = pattern("unstructured<density = 0.5>");
  PatternAttr quarter = pattern("unstructured<density = 0.25>");
  // An exact count beats a bound it provably respects, whichever side it is
  // on; proving it needs the element count.
  EXPECT_EQ(composeText(nnz, half, {4, 2}),
            "#sparsity.pattern<unstructured<nnz = 4>>");
  EXPECT_EQ(composeText(half, nnz, {4, 2}),
            "#sparsity.pattern<unstructured<nnz = 4>>");
  EXPECT_EQ(composeText(nnz, half),
            "error: an exact nnz and a density bound cannot be stated as one "
            "without a static shape\n");
  EXPECT_EQ(composeText(half, nnz, {ShapedType::kDynamic, 2}),
            "error: an exact nnz and a density bound cannot be stated as one "
            "without a static shape\n");
  // Two bounds keep the tighter.
  EXPECT_EQ(composeText(half, quarter),
            "#sparsity.pattern<unstructured<density = 0.25>>");
  EXPECT_EQ(composeText(quarter, half),
            "#sparsity.pattern<unstructured<density = 0.25>>");
  // Composing with the empty pattern changes nothing.
  EXPECT_EQ(composeText(PatternAttr::get(&context), half),
            "#sparsity.pattern<unstructured<density = 0.5>>");
  EXPECT_EQ(composeText(half, PatternAttr::get(&context)),
            "#sparsity.pattern<unstructured<density = 0.5>>");
}

TEST_F(PatternAttrTest, ComposeNM) {
  PatternAttr nm24 = pattern("nm<2:4, dim = 1>");
  PatternAttr nm48 = pattern("nm<4:8, dim = 1>");
  EXPECT_EQ(composeText(nm24, nm48), "#sparsity.pattern<nm<2:4, dim = 1>>");
  EXPECT_EQ(composeText(nm48, nm24), "#sparsity.pattern<nm<2:4, dim = 1>>");
  EXPECT_EQ(
      composeText(pattern("nm<1:8, dim = 1>"), pattern("nm<1:4, dim = 1>")),
      "#sparsity.pattern<nm<1:8, dim = 1>>");
  EXPECT_EQ(composeText(nm48, pattern("channels<dim = 0, pruned = [1]>")),
            "#sparsity.pattern<channels<dim = 0, pruned = [1]>, "
            "nm<4:8, dim = 1>>");
}

TEST_F(PatternAttrTest, ComposeIncompatibleNM) {
  EXPECT_EQ(
      composeText(pattern("nm<2:4, dim = 1>"), pattern("nm<2:4, dim = 0>")),
      "error: N:M components 2:4 along dimension 1 and 2:4 along "
      "dimension 0 cannot be stated as one\n");
  // 2:4 and 3:8 on the same dimension: neither implies the other.
  std::string text =
      composeText(pattern("nm<2:4, dim = 1>"), pattern("nm<3:8, dim = 1>"));
  EXPECT_THAT(text, HasSubstr("error: N:M components 2:4"));
  EXPECT_THAT(text, HasSubstr("cannot be stated as one"));
}

TEST_F(PatternAttrTest, ComposeBlock) {
  PatternAttr coarse = pattern("block<[4, 2]>");
  PatternAttr fine = pattern("block<[2, 1]>");
  EXPECT_EQ(composeText(coarse, fine), "#sparsity.pattern<block<[4, 2]>>");
  EXPECT_EQ(composeText(fine, coarse), "#sparsity.pattern<block<[4, 2]>>");
  PatternAttr counted = pattern("block<[2, 1], nonzero_blocks = 5>");
  EXPECT_EQ(composeText(counted, fine),
            "#sparsity.pattern<block<[2, 1], nonzero_blocks = 5>>");
  EXPECT_EQ(composeText(fine, counted),
            "#sparsity.pattern<block<[2, 1], nonzero_blocks = 5>>");
  EXPECT_EQ(composeText(coarse, counted),
            "error: block components #sparsity.block<[4, 2]> and "
            "#sparsity.block<[2, 1], nonzero_blocks = 5> cannot be stated "
            "as one\n");
  EXPECT_THAT(
      composeText(pattern("block<[2, 1], nonzero_blocks = 4>"), counted),
      HasSubstr("cannot be stated as one"));
}

TEST_F(PatternAttrTest, ComposeWithShape) {
  PatternAttr nnz10 = pattern("unstructured<nnz = 10>");
  PatternAttr half = pattern("unstructured<density = 0.5>");
  // Without a shape nothing proves the bound; with 16 elements, 10 > 0.5 * 16.
  EXPECT_THAT(composeText(nnz10, half),
              HasSubstr("cannot be stated as one without a static shape"));
  EXPECT_THAT(composeText(nnz10, half, {4, 4}),
              HasSubstr("error: exact nnz 10 exceeds the density bound"));
  EXPECT_THAT(composeText(half, nnz10, {4, 4}),
              HasSubstr("error: exact nnz 10 exceeds the density bound"));
  EXPECT_EQ(composeText(nnz10, half, {4, 8}),
            "#sparsity.pattern<unstructured<nnz = 10>>");

  // The exact count must fit in what the structure of the other side allows.
  PatternAttr channels = pattern("channels<dim = 0, pruned = [0, 1]>");
  EXPECT_EQ(composeText(nnz10, channels),
            "#sparsity.pattern<channels<dim = 0, pruned = [0, 1]>, "
            "unstructured<nnz = 10>>");
  EXPECT_EQ(composeText(nnz10, channels, {4, 4}),
            "error: nnz 10 exceeds the 8 non-zeros that the structured "
            "components allow\n");
  EXPECT_EQ(composeText(nnz10, pattern("nm<1:4, dim = 1>"), {4, 4}),
            "error: nnz 10 exceeds the 4 non-zeros that the structured "
            "components allow\n");
  // The result is checked against the shape as a whole.
  EXPECT_EQ(composeText(channels, pattern("nm<2:3, dim = 1>"), {4, 4}),
            "error: N:M group size 3 does not divide dimension 1 of size 4\n");
  // A dynamic shape proves nothing, so it rejects nothing.
  EXPECT_EQ(composeText(nnz10, channels, {kDyn, 4}),
            "#sparsity.pattern<channels<dim = 0, pruned = [0, 1]>, "
            "unstructured<nnz = 10>>");
}

TEST_F(PatternAttrTest, ComposeImpliesBothInputs) {
  std::pair<const char *, const char *> pairs[] = {
      {"channels<dim = 0, pruned = [1], group = 2>",
       "channels<dim = 0, pruned = [0]>"},
      {"channels<dim = 0, pruned = [0], group = 4>",
       "channels<dim = 0, pruned = [1], group = 2>, "
       "channels<dim = 1, pruned = [3]>"},
      {"unstructured<nnz = 6>", "unstructured<density = 0.5>"},
      {"unstructured<density = 0.25>", "unstructured<density = 0.5>"},
      {"nm<4:8, dim = 1>", "nm<2:4, dim = 1>, block<[1, 4]>"},
      {"block<[2, 4], nonzero_blocks = 3>", "block<[1, 2]>"},
      {"channels<dim = 1, pruned = [0, 2]>, nm<2:4, dim = 1>",
       "unstructured<nnz = 10>"},
  };
  const int64_t shape[] = {8, 8};
  for (auto [lhsText, rhsText] : pairs) {
    PatternAttr lhs = pattern(lhsText);
    PatternAttr rhs = pattern(rhsText);
    for (auto [first, second] : {std::pair{lhs, rhs}, std::pair{rhs, lhs}}) {
      FailureOr<PatternAttr> result = first.compose(second, shape);
      ASSERT_TRUE(succeeded(result)) << lhsText << " & " << rhsText;
      EXPECT_TRUE(result->implies(lhs, shape))
          << print(*result) << " => " << lhsText;
      EXPECT_TRUE(result->implies(rhs, shape))
          << print(*result) << " => " << rhsText;
      EXPECT_TRUE(succeeded(
          result->verifyAgainstShape([&]() { return emitError(); }, shape)));
    }
  }
}

//===----------------------------------------------------------------------===//
// Verification against a shape
//===----------------------------------------------------------------------===//

TEST_F(PatternAttrTest, VerifyAgainstShapeSuccess) {
  PatternAttr attr = pattern(
      "channels<dim = 0, pruned = [1, 3]>, channels<dim = 1, pruned = [1], "
      "group = 4>, unstructured<nnz = 4>, nm<2:4, dim = 1>, block<[1, 4]>");
  EXPECT_EQ(verifyMessage(attr, {4, 8}), std::nullopt);
  // Dynamic dimensions are not checked.
  EXPECT_EQ(verifyMessage(pattern("channels<dim = 0, pruned = [7]>, "
                                  "nm<2:3, dim = 0>, block<[5, 1]>"),
                          {kDyn, 8}),
            std::nullopt);
  EXPECT_EQ(verifyMessage(PatternAttr::get(&context), {}), std::nullopt);
}

TEST_F(PatternAttrTest, VerifyAgainstShapeFailures) {
  auto expectMessage = [&](StringRef body, ArrayRef<int64_t> shape,
                           StringRef message) {
    std::optional<std::string> text = verifyMessage(pattern(body), shape);
    ASSERT_TRUE(text.has_value()) << body.str();
    EXPECT_EQ(*text, message.str() + "\n") << body.str();
  };
  expectMessage("channels<dim = 2, pruned = [0]>", {4, 8},
                "channels dimension 2 is out of range for a rank-2 tensor");
  expectMessage("channels<dim = 0, pruned = [1, 4]>", {4, 8},
                "pruned index 4 is out of range for dimension 0, which has 4 "
                "indices");
  expectMessage("channels<dim = 1, pruned = [2], group = 4>", {4, 8},
                "pruned index 2 is out of range for dimension 1, which has 2 "
                "indices of group size 4");
  expectMessage("channels<dim = 0, pruned = [0], group = 3>", {4, 8},
                "channels group size 3 does not divide dimension 0 of size 4");
  expectMessage("nm<2:4, dim = 2>", {4, 8},
                "N:M dimension 2 is out of range for a rank-2 tensor");
  expectMessage("nm<2:3, dim = 1>", {4, 8},
                "N:M group size 3 does not divide dimension 1 of size 8");
  expectMessage("block<[2]>", {4, 8},
                "block shape has rank 1 but the tensor has rank 2");
  expectMessage("block<[2, 3]>", {4, 8},
                "block size 3 does not divide dimension 1 of size 8");
  expectMessage("block<[2, 2], nonzero_blocks = 9>", {4, 8},
                "nonzero_blocks 9 exceeds the 8 blocks of the tensor");
  expectMessage("unstructured<nnz = 33>", {4, 8},
                "nnz 33 exceeds the 32 elements of the tensor");
  expectMessage("channels<dim = 0, pruned = [0]>, unstructured<nnz = 25>",
                {4, 8},
                "nnz 25 exceeds the 24 non-zeros that the structured "
                "components allow");
  expectMessage("unstructured<nnz = 17>, nm<2:4, dim = 1>", {4, 8},
                "nnz 17 exceeds the 16 non-zeros that the structured "
                "components allow");
  expectMessage("unstructured<nnz = 13>, block<[2, 2], nonzero_blocks = 3>",
                {4, 8},
                "nnz 13 exceeds the 12 non-zeros that the structured "
                "components allow");
}

//===----------------------------------------------------------------------===//
// Syntax
//===----------------------------------------------------------------------===//

TEST_F(PatternAttrTest, ParsePrintRoundTrip) {
  const char *texts[] = {
      "#sparsity.pattern<>",
      "#sparsity.pattern<channels<dim = 0, pruned = [1, 3]>>",
      "#sparsity.pattern<channels<dim = 0, pruned = [2, 5], group = 64>>",
      ("#sparsity.pattern<channels<dim = 0, pruned = [1, 3]>, "
       "channels<dim = 1, pruned = [0]>, unstructured<nnz = 40>, "
       "nm<2:4, dim = 1>>"),
      "#sparsity.pattern<unstructured<density = 0.1>>",
      "#sparsity.pattern<unstructured<density = 1.0>>",
      "#sparsity.pattern<unstructured<density = 0.0>>",
      "#sparsity.pattern<unstructured<density = 0.123456789>>",
      "#sparsity.pattern<unstructured<density = 1.0e-05>>",
      "#sparsity.pattern<unstructured<density = 2.5e-07>>",
      "#sparsity.pattern<block<[4, 1], nonzero_blocks = 96>>",
      "#sparsity.pattern<block<[1, 1, 3, 3]>>",
      ("#sparsity.pattern<channels<dim = 3, pruned = [0]>, "
       "unstructured<density = 0.25>, nm<1:8, dim = 0>, "
       "block<[2, 2, 1, 1], nonzero_blocks = 0>>"),
      "#sparsity.channels<dim = 0, pruned = [1, 3]>",
      "#sparsity.unstructured<nnz = 1234>",
      "#sparsity.nm<2:4, dim = 1>",
      "#sparsity.block<[4, 1], nonzero_blocks = 96>",
  };
  for (const char *text : texts) {
    DiagnosticRecorder recorder(context);
    Attribute attr = parseAttribute(text, &context);
    ASSERT_TRUE(attr) << text << ": " << recorder.joined();
    std::string printed = print(attr);
    EXPECT_EQ(printed, text);
    // Whatever is printed parses back to the same attribute.
    EXPECT_EQ(parseAttribute(printed, &context), attr)
        << printed << ": " << recorder.joined();
  }

  // Non-canonical spellings print canonically.
  EXPECT_EQ(print(pattern("channels<dim = 0, pruned = [1], group = 1>")),
            "#sparsity.pattern<channels<dim = 0, pruned = [1]>>");
  EXPECT_EQ(print(pattern("unstructured<density = 5.0e-01>")),
            "#sparsity.pattern<unstructured<density = 0.5>>");
  // Densities survive a print/parse round trip bit for bit.
  for (double density : {0.1, 1.0 / 3.0, 1e-5, 2.5e-7, 0.7, 1e-300}) {
    auto attr = PatternAttr::get(&context, {},
                                 UnstructuredAttr::getBound(&context, density),
                                 NMAttr(), BlockAttr());
    std::string printed = print(attr);
    DiagnosticRecorder recorder(context);
    auto reparsed =
        dyn_cast_or_null<PatternAttr>(parseAttribute(printed, &context));
    ASSERT_TRUE(reparsed) << printed << ": " << recorder.joined();
    EXPECT_EQ(reparsed.getUnstructured().getDensityBound(), density) << printed;
  }
}

TEST_F(PatternAttrTest, ParseErrors) {
  auto parseError = [&](StringRef text) {
    DiagnosticRecorder recorder(context);
    Attribute attr = parseAttribute(text, &context);
    EXPECT_FALSE(attr) << text.str();
    return recorder.joined();
  };
  EXPECT_THAT(parseError("#sparsity.pattern<unstructured<nnz = 1>, "
                         "unstructured<nnz = 2>>"),
              HasSubstr("a pattern holds at most one 'unstructured' "
                        "component"));
  EXPECT_THAT(parseError("#sparsity.pattern<dense<1>>"),
              HasSubstr("unknown sparsity component 'dense'"));
  EXPECT_THAT(parseError("#sparsity.pattern<channels<dim = 1, pruned = [0]>, "
                         "channels<dim = 0, pruned = [0]>>"),
              HasSubstr("channels components must have strictly increasing "
                        "dimensions, got dimension 0 after 1"));
  EXPECT_THAT(parseError("#sparsity.channels<dim = 0, pruned = [3, 1]>"),
              HasSubstr("pruned indices must be strictly increasing, got 1 "
                        "after 3"));
  EXPECT_THAT(parseError("#sparsity.channels<dim = 0, pruned = []>"),
              HasSubstr("channels component must prune at least one index"));
  EXPECT_THAT(parseError("#sparsity.unstructured<nnz = 1, density = 0.5>"),
              HasSubstr("mutually exclusive"));
  EXPECT_THAT(parseError("#sparsity.unstructured<density = 1.5>"),
              HasSubstr("density must be in [0, 1], got"));
  EXPECT_THAT(parseError("#sparsity.nm<5:4, dim = 0>"),
              HasSubstr("N:M needs N <= M, got 5:4"));
  EXPECT_THAT(parseError("#sparsity.block<[2, 0]>"),
              HasSubstr("block sizes must be positive, got 0"));
}

} // namespace
