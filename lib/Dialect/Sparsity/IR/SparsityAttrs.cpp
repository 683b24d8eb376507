//===- SparsityAttrs.cpp - sparsity pattern attributes --------------------===//
//
// Part of sparsity-mlir. Parsing, printing, verification and the query /
// compose API of the pattern language.
//
//===----------------------------------------------------------------------===//

#include "sparsity-mlir/Dialect/Sparsity/IR/SparsityAttrs.h"
#include "sparsity-mlir/Dialect/Sparsity/IR/SparsityDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/TypeSwitch.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <numeric>

using namespace mlir;
using namespace mlir::sparsity;

//===----------------------------------------------------------------------===//
// Custom directives
//===----------------------------------------------------------------------===//

/// Parses `[` (integer (`,` integer)*)? `]`; the list may be empty so that
/// the verifier, not the parser, reports an empty index set.
static ParseResult parseIndexList(AsmParser &parser,
                                  SmallVector<int64_t> &values) {
  return parser.parseCommaSeparatedList(AsmParser::Delimiter::Square,
                                        [&]() -> ParseResult {
                                          int64_t value;
                                          if (parser.parseInteger(value))
                                            return failure();
                                          values.push_back(value);
                                          return success();
                                        });
}

static void printIndexList(AsmPrinter &printer, ArrayRef<int64_t> values) {
  printer << '[';
  llvm::interleaveComma(values, printer);
  printer << ']';
}

#define GET_ATTRDEF_CLASSES
#include "sparsity-mlir/Dialect/Sparsity/IR/SparsityAttrs.cpp.inc"

void SparsityDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "sparsity-mlir/Dialect/Sparsity/IR/SparsityAttrs.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// Returns the number of elements of `shape`, or std::nullopt if a dimension
/// is dynamic.
static std::optional<int64_t> getStaticNumElements(ArrayRef<int64_t> shape) {
  int64_t numElements = 1;
  for (int64_t size : shape) {
    if (ShapedType::isDynamic(size))
      return std::nullopt;
    numElements *= size;
  }
  return numElements;
}

/// Returns true if every tensor satisfying `lhs` satisfies `rhs` (both N:M).
static bool nmImplies(NMAttr lhs, NMAttr rhs) {
  if (rhs.getN() >= rhs.getM())
    return true; // `rhs` states nothing.
  if (lhs.getDim() != rhs.getDim())
    return false;
  // A larger group of lhs bounds every smaller group inside it by N.
  if (lhs.getM() % rhs.getM() == 0)
    return lhs.getN() <= rhs.getN();
  // A larger group of rhs is made of M_rhs / M_lhs groups of lhs.
  if (rhs.getM() % lhs.getM() == 0)
    return lhs.getN() * (rhs.getM() / lhs.getM()) <= rhs.getN();
  return false;
}

/// Returns true if every tensor satisfying `lhs` satisfies `rhs` (blocks).
static bool blockImplies(BlockAttr lhs, BlockAttr rhs) {
  if (rhs.getNonzeroBlocks())
    return lhs.getShape() == rhs.getShape() &&
           lhs.getNonzeroBlocks() == rhs.getNonzeroBlocks();
  if (lhs.getShape().size() != rhs.getShape().size())
    return false;
  // A coarser granularity implies every granularity that divides it.
  return llvm::all_of(
      llvm::zip_equal(lhs.getShape(), rhs.getShape()),
      [](auto sizes) { return std::get<0>(sizes) % std::get<1>(sizes) == 0; });
}

/// Prints a double in the shortest form that parses back to the same value,
/// always with a decimal point so that it lexes as a float.
static std::string formatDouble(double value) {
  char buffer[64];
  for (int precision : {6, 9, 12, 17}) {
    std::snprintf(buffer, sizeof(buffer), "%.*g", precision, value);
    if (std::strtod(buffer, nullptr) == value)
      break;
  }
  std::string text(buffer);
  // MLIR only lexes a float literal with a '.' before any exponent: `1e-05`
  // would read back as an integer, so print it as `1.0e-05`.
  if (text.find_first_of(".n") == std::string::npos)
    text.insert(std::min(text.find_first_of("eE"), text.size()), ".0");
  return text;
}

//===----------------------------------------------------------------------===//
// ChannelsAttr
//===----------------------------------------------------------------------===//

LogicalResult ChannelsAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                   int64_t dim, ArrayRef<int64_t> pruned,
                                   int64_t group) {
  if (dim < 0)
    return emitError() << "channels dimension must be non-negative, got "
                       << dim;
  if (group < 1)
    return emitError() << "channels group size must be positive, got " << group;
  if (pruned.empty())
    return emitError() << "channels component must prune at least one index";
  for (auto [i, index] : llvm::enumerate(pruned)) {
    if (index < 0)
      return emitError() << "pruned index must be non-negative, got " << index;
    if (i > 0 && index <= pruned[i - 1])
      return emitError() << "pruned indices must be strictly increasing, got "
                         << index << " after " << pruned[i - 1];
  }
  return success();
}

bool ChannelsAttr::isSlicePruned(int64_t index) const {
  if (index < 0)
    return false;
  return std::binary_search(getPruned().begin(), getPruned().end(),
                            index / getGroup());
}

//===----------------------------------------------------------------------===//
// UnstructuredAttr
//===----------------------------------------------------------------------===//

LogicalResult
UnstructuredAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                         std::optional<int64_t> nnz, FloatAttr density) {
  if (nnz && density)
    return emitError()
           << "unstructured 'nnz' and 'density' are mutually exclusive";
  if (!nnz && !density)
    return emitError() << "unstructured component needs 'nnz' or 'density'";
  if (nnz && *nnz < 0)
    return emitError() << "nnz must be non-negative, got " << *nnz;
  if (density) {
    double value = density.getValueAsDouble();
    if (!(value >= 0.0 && value <= 1.0))
      return emitError() << "density must be in [0, 1], got "
                         << formatDouble(value);
  }
  return success();
}

UnstructuredAttr UnstructuredAttr::getExact(MLIRContext *context, int64_t nnz) {
  return get(context, nnz, FloatAttr());
}

UnstructuredAttr UnstructuredAttr::getBound(MLIRContext *context,
                                            double density) {
  return get(context, std::nullopt,
             FloatAttr::get(Float64Type::get(context), density));
}

std::optional<double> UnstructuredAttr::getDensityBound() const {
  if (FloatAttr density = getDensity())
    return density.getValueAsDouble();
  return std::nullopt;
}

Attribute UnstructuredAttr::parse(AsmParser &parser, Type) {
  std::optional<int64_t> nnz;
  FloatAttr density;
  SMLoc loc = parser.getCurrentLocation();
  if (parser.parseLess())
    return {};
  if (failed(parser.parseOptionalGreater())) {
    do {
      SMLoc keyLoc = parser.getCurrentLocation();
      StringRef key;
      if (parser.parseKeyword(&key) || parser.parseEqual())
        return {};
      if (key == "nnz" && !nnz) {
        int64_t value;
        if (parser.parseInteger(value))
          return {};
        nnz = value;
      } else if (key == "density" && !density) {
        double value;
        if (parser.parseFloat(value))
          return {};
        density = FloatAttr::get(Float64Type::get(parser.getContext()), value);
      } else if (key == "nnz" || key == "density") {
        parser.emitError(keyLoc) << "'" << key << "' is given twice";
        return {};
      } else {
        parser.emitError(keyLoc) << "unknown unstructured field '" << key
                                 << "', expected 'nnz' or 'density'";
        return {};
      }
    } while (succeeded(parser.parseOptionalComma()));
    if (parser.parseGreater())
      return {};
  }
  return parser.getChecked<UnstructuredAttr>(loc, parser.getContext(), nnz,
                                             density);
}

void UnstructuredAttr::print(AsmPrinter &printer) const {
  printer << '<';
  if (getNnz())
    printer << "nnz = " << *getNnz();
  if (getNnz() && getDensity())
    printer << ", ";
  if (getDensity()) {
    printer << "density = ";
    printer << formatDouble(*getDensityBound());
  }
  printer << '>';
}

//===----------------------------------------------------------------------===//
// NMAttr
//===----------------------------------------------------------------------===//

LogicalResult NMAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                             int64_t n, int64_t m, int64_t dim) {
  if (n < 1)
    return emitError() << "N of N:M must be positive, got " << n;
  if (n > m)
    return emitError() << "N:M needs N <= M, got " << n << ":" << m;
  if (dim < 0)
    return emitError() << "N:M dimension must be non-negative, got " << dim;
  return success();
}

//===----------------------------------------------------------------------===//
// BlockAttr
//===----------------------------------------------------------------------===//

LogicalResult BlockAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                ArrayRef<int64_t> shape,
                                std::optional<int64_t> nonzeroBlocks) {
  if (shape.empty())
    return emitError() << "block shape must not be empty";
  for (int64_t size : shape)
    if (size < 1)
      return emitError() << "block sizes must be positive, got " << size;
  if (nonzeroBlocks && *nonzeroBlocks < 0)
    return emitError() << "nonzero_blocks must be non-negative, got "
                       << *nonzeroBlocks;
  return success();
}

int64_t BlockAttr::getBlockVolume() const {
  return std::accumulate(getShape().begin(), getShape().end(), int64_t{1},
                         std::multiplies<int64_t>());
}

//===----------------------------------------------------------------------===//
// PatternAttr: syntax and verification
//===----------------------------------------------------------------------===//

LogicalResult PatternAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                  ArrayRef<ChannelsAttr> channels,
                                  UnstructuredAttr, NMAttr, BlockAttr) {
  for (size_t i = 1; i < channels.size(); ++i)
    if (channels[i].getDim() <= channels[i - 1].getDim())
      return emitError() << "channels components must have strictly "
                            "increasing dimensions, got dimension "
                         << channels[i].getDim() << " after "
                         << channels[i - 1].getDim();
  return success();
}

Attribute PatternAttr::parse(AsmParser &parser, Type) {
  SMLoc loc = parser.getCurrentLocation();
  SmallVector<ChannelsAttr> channels;
  UnstructuredAttr unstructured;
  NMAttr nm;
  BlockAttr block;
  if (parser.parseLess())
    return {};
  if (failed(parser.parseOptionalGreater())) {
    do {
      SMLoc keyLoc = parser.getCurrentLocation();
      StringRef key;
      if (parser.parseKeyword(&key))
        return {};
      // Parses the component body into `slot`, rejecting a second one.
      auto parseInto = [&](auto &slot) -> LogicalResult {
        using AttrT = std::remove_reference_t<decltype(slot)>;
        if (slot) {
          parser.emitError(keyLoc)
              << "a pattern holds at most one '" << key << "' component";
          return failure();
        }
        slot = llvm::dyn_cast_or_null<AttrT>(AttrT::parse(parser, Type()));
        return success(static_cast<bool>(slot));
      };
      if (key == "channels") {
        auto component = llvm::dyn_cast_or_null<ChannelsAttr>(
            ChannelsAttr::parse(parser, Type()));
        if (!component)
          return {};
        channels.push_back(component);
      } else if (key == "unstructured") {
        if (failed(parseInto(unstructured)))
          return {};
      } else if (key == "nm") {
        if (failed(parseInto(nm)))
          return {};
      } else if (key == "block") {
        if (failed(parseInto(block)))
          return {};
      } else {
        parser.emitError(keyLoc)
            << "unknown sparsity component '" << key
            << "', expected 'channels', 'unstructured', 'nm' or 'block'";
        return {};
      }
    } while (succeeded(parser.parseOptionalComma()));
    if (parser.parseGreater())
      return {};
  }
  return parser.getChecked<PatternAttr>(loc, parser.getContext(), channels,
                                        unstructured, nm, block);
}

void PatternAttr::print(AsmPrinter &printer) const {
  printer << '<';
  bool first = true;
  auto separate = [&]() {
    if (!first)
      printer << ", ";
    first = false;
  };
  for (ChannelsAttr channels : getChannels()) {
    separate();
    printer << "channels";
    channels.print(printer);
  }
  if (getUnstructured()) {
    separate();
    printer << "unstructured";
    getUnstructured().print(printer);
  }
  if (getNm()) {
    separate();
    printer << "nm";
    getNm().print(printer);
  }
  if (getBlock()) {
    separate();
    printer << "block";
    getBlock().print(printer);
  }
  printer << '>';
}

namespace {
/// Collects a message where no diagnostic should be emitted; converts to
/// failure like an InFlightDiagnostic does.
struct SilentError {
  std::string text;
  template <typename T> SilentError &operator<<(const T &value) {
    llvm::raw_string_ostream(text) << value;
    return *this;
  }
  operator LogicalResult() const { return failure(); }
};
} // namespace

/// Checks `pattern` against `shape`; `emitError()` returns something that
/// streams like a diagnostic and converts to failure.
template <typename EmitErrorFn>
static LogicalResult checkAgainstShape(PatternAttr pattern,
                                       ArrayRef<int64_t> shape,
                                       EmitErrorFn emitError) {
  int64_t rank = shape.size();
  for (ChannelsAttr channels : pattern.getChannels()) {
    int64_t dim = channels.getDim();
    if (dim >= rank)
      return emitError() << "channels dimension " << dim
                         << " is out of range for a rank-" << rank << " tensor";
    int64_t size = shape[dim];
    if (ShapedType::isDynamic(size))
      continue;
    int64_t group = channels.getGroup();
    if (size % group != 0)
      return emitError() << "channels group size " << group
                         << " does not divide dimension " << dim << " of size "
                         << size;
    int64_t last = channels.getPruned().back();
    if (last >= size / group)
      return emitError() << "pruned index " << last
                         << " is out of range for dimension " << dim
                         << ", which has " << size / group << " indices"
                         << (group > 1 ? " of group size " : "")
                         << (group > 1 ? std::to_string(group) : "");
  }
  if (NMAttr nm = pattern.getNm()) {
    if (nm.getDim() >= rank)
      return emitError() << "N:M dimension " << nm.getDim()
                         << " is out of range for a rank-" << rank << " tensor";
    int64_t size = shape[nm.getDim()];
    if (!ShapedType::isDynamic(size) && size % nm.getM() != 0)
      return emitError() << "N:M group size " << nm.getM()
                         << " does not divide dimension " << nm.getDim()
                         << " of size " << size;
  }
  if (BlockAttr block = pattern.getBlock()) {
    if (static_cast<int64_t>(block.getShape().size()) != rank)
      return emitError() << "block shape has rank " << block.getShape().size()
                         << " but the tensor has rank " << rank;
    for (auto [dim, size, blockSize] :
         llvm::enumerate(shape, block.getShape())) {
      if (!ShapedType::isDynamic(size) && size % blockSize != 0)
        return emitError() << "block size " << blockSize
                           << " does not divide dimension " << dim
                           << " of size " << size;
    }
    std::optional<int64_t> numElements = getStaticNumElements(shape);
    if (numElements && block.getNonzeroBlocks()) {
      int64_t numBlocks = *numElements / block.getBlockVolume();
      if (*block.getNonzeroBlocks() > numBlocks)
        return emitError() << "nonzero_blocks " << *block.getNonzeroBlocks()
                           << " exceeds the " << numBlocks
                           << " blocks of the tensor";
    }
  }
  std::optional<int64_t> numElements = getStaticNumElements(shape);
  std::optional<int64_t> nnz = pattern.getExactNnz();
  if (numElements && nnz) {
    if (*nnz > *numElements)
      return emitError() << "nnz " << *nnz << " exceeds the " << *numElements
                         << " elements of the tensor";
    std::optional<int64_t> structural = pattern.getStructuralMaxNnz(shape);
    if (structural && *nnz > *structural)
      return emitError() << "nnz " << *nnz << " exceeds the " << *structural
                         << " non-zeros that the structured components allow";
  }
  return success();
}

LogicalResult
PatternAttr::verifyAgainstShape(function_ref<InFlightDiagnostic()> emitError,
                                ArrayRef<int64_t> shape) const {
  return checkAgainstShape(*this, shape, emitError);
}

//===----------------------------------------------------------------------===//
// PatternAttr: queries
//===----------------------------------------------------------------------===//

bool PatternAttr::empty() const {
  return getChannels().empty() && !getUnstructured() && !getNm() && !getBlock();
}

ChannelsAttr PatternAttr::getChannelsFor(int64_t dim) const {
  for (ChannelsAttr channels : getChannels())
    if (channels.getDim() == dim)
      return channels;
  return {};
}

SmallVector<int64_t> PatternAttr::getKeptIndices(int64_t dim,
                                                 int64_t dimSize) const {
  ChannelsAttr channels = getChannelsFor(dim);
  int64_t group = channels ? channels.getGroup() : 1;
  SmallVector<int64_t> kept;
  for (int64_t index = 0, e = dimSize / group; index < e; ++index)
    if (!channels || !llvm::is_contained(channels.getPruned(), index))
      kept.push_back(index);
  return kept;
}

std::optional<int64_t> PatternAttr::getExactNnz() const {
  if (UnstructuredAttr unstructured = getUnstructured())
    return unstructured.getNnz();
  return std::nullopt;
}

std::optional<int64_t>
PatternAttr::getStructuralMaxNnz(ArrayRef<int64_t> shape) const {
  std::optional<int64_t> numElements = getStaticNumElements(shape);
  if (!numElements)
    return std::nullopt;
  int64_t rank = shape.size();
  // Non-zeros can only live in the box of kept slices.
  SmallVector<int64_t> kept(shape);
  for (ChannelsAttr channels : getChannels())
    if (channels.getDim() < rank)
      kept[channels.getDim()] = std::max<int64_t>(
          0, shape[channels.getDim()] - channels.getNumPrunedSlices());
  auto productExcept = [&](int64_t skip) {
    int64_t product = 1;
    for (int64_t d = 0; d < rank; ++d)
      if (d != skip)
        product *= kept[d];
    return product;
  };
  int64_t bound = productExcept(/*skip=*/-1);

  // N:M: each aligned group along `dim` holds min(N, kept slices in group).
  if (NMAttr nm = getNm(); nm && nm.getDim() < rank) {
    int64_t dim = nm.getDim();
    ChannelsAttr channels = getChannelsFor(dim);
    int64_t alongDim = 0;
    for (int64_t start = 0; start < shape[dim]; start += nm.getM()) {
      int64_t keptInGroup = 0;
      for (int64_t i = start; i < std::min(shape[dim], start + nm.getM()); ++i)
        if (!channels || !channels.isSlicePruned(i))
          ++keptInGroup;
      alongDim += std::min(nm.getN(), keptInGroup);
    }
    bound = std::min(bound, alongDim * productExcept(dim));
  }
  if (BlockAttr block = getBlock(); block && block.getNonzeroBlocks())
    bound = std::min(bound, *block.getNonzeroBlocks() * block.getBlockVolume());
  return bound;
}

std::optional<int64_t> PatternAttr::getMaxNnz(ArrayRef<int64_t> shape) const {
  std::optional<int64_t> bound = getStructuralMaxNnz(shape);
  if (!bound)
    return std::nullopt;
  if (std::optional<int64_t> nnz = getExactNnz())
    bound = std::min(*bound, *nnz);
  if (UnstructuredAttr unstructured = getUnstructured();
      unstructured && unstructured.getDensity()) {
    int64_t numElements = *getStaticNumElements(shape);
    bound =
        std::min(*bound, static_cast<int64_t>(std::floor(
                             *unstructured.getDensityBound() * numElements)));
  }
  return bound;
}

std::optional<double> PatternAttr::getDensity(ArrayRef<int64_t> shape) const {
  std::optional<int64_t> numElements = getStaticNumElements(shape);
  std::optional<int64_t> nnz = getExactNnz();
  if (!numElements || !nnz || *numElements == 0)
    return std::nullopt;
  return static_cast<double>(*nnz) / static_cast<double>(*numElements);
}

std::optional<double>
PatternAttr::getMaxDensity(ArrayRef<int64_t> shape) const {
  std::optional<int64_t> numElements = getStaticNumElements(shape);
  if (numElements && *numElements > 0) {
    std::optional<int64_t> bound = getMaxNnz(shape);
    return static_cast<double>(*bound) / static_cast<double>(*numElements);
  }
  // Without the element count, only ratios are known.
  std::optional<double> bound;
  auto tighten = [&](double value) {
    bound = bound ? std::min(*bound, value) : value;
  };
  if (UnstructuredAttr unstructured = getUnstructured();
      unstructured && unstructured.getDensity())
    tighten(*unstructured.getDensityBound());
  if (NMAttr nm = getNm())
    tighten(static_cast<double>(nm.getN()) / static_cast<double>(nm.getM()));
  return bound;
}

//===----------------------------------------------------------------------===//
// PatternAttr: implication and composition
//===----------------------------------------------------------------------===//

bool PatternAttr::implies(PatternAttr other, ArrayRef<int64_t> shape) const {
  // Structured: every slice `other` prunes, this pattern prunes too.
  for (ChannelsAttr theirs : other.getChannels()) {
    ChannelsAttr ours = getChannelsFor(theirs.getDim());
    if (!ours)
      return false;
    for (int64_t index : theirs.getPruned())
      for (int64_t slice = index * theirs.getGroup(),
                   end = slice + theirs.getGroup();
           slice < end; ++slice)
        if (!ours.isSlicePruned(slice))
          return false;
  }

  if (UnstructuredAttr theirs = other.getUnstructured()) {
    if (theirs.getNnz()) {
      if (getExactNnz() != theirs.getNnz())
        return false;
    } else {
      double bound = *theirs.getDensityBound();
      std::optional<int64_t> numElements = getStaticNumElements(shape);
      if (!shape.empty() && numElements && *numElements > 0) {
        std::optional<int64_t> maxNnz = getMaxNnz(shape);
        if (static_cast<double>(*maxNnz) >
            bound * static_cast<double>(*numElements))
          return false;
      } else {
        // Only ratios are known. An empty `shape` means "no shape" here, but
        // getMaxDensity would read it as a one-element rank-0 tensor (where
        // any density below 1 floors to 0 non-zeros), so ask it about an
        // unknown shape instead.
        int64_t unknownSize = ShapedType::kDynamic;
        std::optional<double> maxDensity = getMaxDensity(
            shape.empty() ? ArrayRef<int64_t>(unknownSize) : shape);
        if (!maxDensity || *maxDensity > bound)
          return false;
      }
    }
  }

  if (NMAttr theirs = other.getNm()) {
    if (theirs.getN() < theirs.getM() &&
        (!getNm() || !nmImplies(getNm(), theirs)))
      return false;
  }

  if (BlockAttr theirs = other.getBlock()) {
    if (!getBlock() || !blockImplies(getBlock(), theirs))
      return false;
  }
  return true;
}

FailureOr<PatternAttr>
PatternAttr::compose(PatternAttr other, ArrayRef<int64_t> shape,
                     function_ref<InFlightDiagnostic()> emitError) const {
  auto fail = [&](const Twine &message) -> FailureOr<PatternAttr> {
    if (emitError)
      emitError() << message;
    return failure();
  };
  MLIRContext *ctx = getContext();

  // Structured: union of the pruned slices, per dimension, at the coarsest
  // group size both components share.
  std::map<int64_t, SmallVector<ChannelsAttr, 2>> byDim;
  for (ChannelsAttr channels : getChannels())
    byDim[channels.getDim()].push_back(channels);
  for (ChannelsAttr channels : other.getChannels())
    byDim[channels.getDim()].push_back(channels);
  SmallVector<ChannelsAttr> channels;
  for (auto &[dim, parts] : byDim) {
    if (parts.size() == 1 || parts[0] == parts[1]) {
      channels.push_back(parts[0]);
      continue;
    }
    int64_t group = std::gcd(parts[0].getGroup(), parts[1].getGroup());
    SmallVector<int64_t> indices;
    for (ChannelsAttr part : parts) {
      int64_t ratio = part.getGroup() / group;
      for (int64_t index : part.getPruned())
        for (int64_t j = 0; j < ratio; ++j)
          indices.push_back(index * ratio + j);
    }
    llvm::sort(indices);
    indices.erase(llvm::unique(indices), indices.end());
    channels.push_back(ChannelsAttr::get(ctx, dim, indices, group));
  }

  // Unstructured: an exact count beats a bound; two bounds give the tighter.
  UnstructuredAttr unstructured = getUnstructured();
  if (UnstructuredAttr theirs = other.getUnstructured()) {
    if (!unstructured) {
      unstructured = theirs;
    } else if (unstructured.getNnz() && theirs.getNnz()) {
      if (unstructured.getNnz() != theirs.getNnz())
        return fail("conflicting exact non-zero counts " +
                    Twine(*unstructured.getNnz()) + " and " +
                    Twine(*theirs.getNnz()));
    } else if (theirs.getNnz()) {
      unstructured = theirs;
    } else if (!unstructured.getNnz() &&
               *theirs.getDensityBound() < *unstructured.getDensityBound()) {
      unstructured = theirs;
    }
  }

  // N:M: keep the stronger of two components when one implies the other.
  NMAttr nm = getNm();
  if (NMAttr theirs = other.getNm()) {
    if (!nm || nmImplies(theirs, nm)) {
      nm = theirs;
    } else if (!nmImplies(nm, theirs)) {
      return fail("N:M components " + Twine(nm.getN()) + ":" +
                  Twine(nm.getM()) + " along dimension " + Twine(nm.getDim()) +
                  " and " + Twine(theirs.getN()) + ":" + Twine(theirs.getM()) +
                  " along dimension " + Twine(theirs.getDim()) +
                  " cannot be stated as one");
    }
  }

  // Block: likewise.
  BlockAttr block = getBlock();
  if (BlockAttr theirs = other.getBlock()) {
    if (!block || blockImplies(theirs, block)) {
      block = theirs;
    } else if (!blockImplies(block, theirs)) {
      std::string text;
      llvm::raw_string_ostream os(text);
      os << "block components " << block << " and " << theirs
         << " cannot be stated as one";
      return fail(text);
    }
  }

  // An exact count replaces a density bound of the other side only when it
  // provably respects it, which needs the element count.
  std::optional<int64_t> numElements = getStaticNumElements(shape);
  if (unstructured && unstructured.getNnz()) {
    for (PatternAttr side : {*this, other}) {
      UnstructuredAttr bound = side.getUnstructured();
      if (!bound || !bound.getDensityBound())
        continue;
      if (shape.empty() || !numElements)
        return fail("an exact nnz and a density bound cannot be stated as "
                    "one without a static shape");
      if (static_cast<double>(*unstructured.getNnz()) >
          *bound.getDensityBound() * static_cast<double>(*numElements))
        return fail("exact nnz " + Twine(*unstructured.getNnz()) +
                    " exceeds the density bound " +
                    formatDouble(*bound.getDensityBound()) + " of " +
                    Twine(*numElements) + " elements");
    }
  }
  auto result = PatternAttr::get(ctx, channels, unstructured, nm, block);
  if (!shape.empty()) {
    SilentError error;
    if (failed(checkAgainstShape(result, shape,
                                 [&]() -> SilentError & { return error; })))
      return fail(error.text);
  }
  return result;
}

//===----------------------------------------------------------------------===//
// PlanAttr
//===----------------------------------------------------------------------===//

LogicalResult PlanAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                               StringAttr target, StringAttr choice,
                               DictionaryAttr candidates, bool override) {
  if (target.getValue().empty())
    return emitError() << "plan target must not be empty";
  for (NamedAttribute candidate : candidates) {
    auto value = dyn_cast<FloatAttr>(candidate.getValue());
    if (!value)
      return emitError() << "plan candidate '" << candidate.getName().getValue()
                         << "' must be a float (microseconds)";
    double us = value.getValueAsDouble();
    if (!std::isfinite(us) || us < 0)
      return emitError() << "plan candidate '" << candidate.getName().getValue()
                         << "' has predicted latency " << us
                         << ", expected a finite number >= 0";
  }
  if (!candidates.get(choice))
    return emitError() << "plan choice '" << choice.getValue()
                       << "' is not one of its candidates";
  return success();
}

std::optional<double> PlanAttr::getPredicted(StringRef impl) const {
  if (auto value = dyn_cast_or_null<FloatAttr>(getCandidates().get(impl)))
    return value.getValueAsDouble();
  return std::nullopt;
}
