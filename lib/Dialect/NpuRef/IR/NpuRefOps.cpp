//===- NpuRefOps.cpp - npu_ref dialect ops --------------------------------===//
//
// Part of sparsity-mlir.
//
//===----------------------------------------------------------------------===//

#include "sparsity-mlir/Dialect/NpuRef/IR/NpuRefOps.h"
#include "sparsity-mlir/Target/NpuRef.h"

#include "mlir/IR/DialectResourceBlobManager.h"

#include "llvm/ADT/bit.h"

#include <cmath>

using namespace mlir;
using namespace mlir::npu_ref;

using sparsity::NpuRefMode;
using sparsity::NpuRefModeAttr;

/// `mode` is written as the quoted name of its NpuRefMode ("dense",
/// "zskip"), as it was when it was a string attribute.
static ParseResult parseQuotedMode(OpAsmParser &parser, NpuRefModeAttr &mode) {
  SMLoc loc = parser.getCurrentLocation();
  std::string name;
  if (parser.parseString(&name))
    return failure();
  std::optional<NpuRefMode> value = sparsity::symbolizeNpuRefMode(name);
  if (!value)
    return parser.emitError(loc)
           << "mode must be \"dense\" or \"zskip\", got \"" << name << "\"";
  mode = NpuRefModeAttr::get(parser.getContext(), *value);
  return success();
}

static void printQuotedMode(OpAsmPrinter &printer, Operation *,
                            NpuRefModeAttr mode) {
  printer << '"' << sparsity::stringifyNpuRefMode(mode.getValue()) << '"';
}

#define GET_OP_CLASSES
#include "sparsity-mlir/Dialect/NpuRef/IR/NpuRefOps.cpp.inc"

int64_t GemmOp::getM() { return getResult().getType().getDimSize(0); }
int64_t GemmOp::getK() { return getActivation().getType().getDimSize(2); }
int64_t GemmOp::getN() { return getResult().getType().getDimSize(1); }
int64_t GemmOp::getGroups() { return getActivation().getType().getDimSize(0); }

/// The elements of a `dense` or `dense_resource` payload of element type
/// `T`; std::nullopt for a resource without data.
template <typename T, typename ResourceAttr>
static std::optional<std::vector<T>> readPayload(ElementsAttr attr) {
  if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    auto values = dense.getValues<T>();
    return std::vector<T>(values.begin(), values.end());
  }
  if (auto resource = dyn_cast<ResourceAttr>(attr))
    if (std::optional<ArrayRef<T>> data = resource.tryGetAsArrayRef())
      return std::vector<T>(data->begin(), data->end());
  return std::nullopt;
}

std::optional<std::vector<float>> GemmOp::readWeights() {
  if (!getWeights())
    return std::nullopt;
  return readPayload<float, DenseF32ResourceElementsAttr>(*getWeights());
}

std::optional<std::vector<uint8_t>> GemmOp::readBitmap() {
  if (!getBitmap())
    return std::nullopt;
  std::optional<std::vector<int8_t>> bytes =
      readPayload<int8_t, DenseI8ResourceElementsAttr>(*getBitmap());
  if (!bytes)
    return std::nullopt;
  return std::vector<uint8_t>(bytes->begin(), bytes->end());
}

std::optional<std::vector<float>> GemmOp::readValues() {
  if (!getValues())
    return std::nullopt;
  return readPayload<float, DenseF32ResourceElementsAttr>(*getValues());
}

/// Formats a shaped type for messages.
static std::string formatType(Type type) {
  std::string s;
  llvm::raw_string_ostream(s) << type;
  return s;
}

/// Checks that `attr` is a payload of `elementType` with `shape`.
static LogicalResult verifyPayload(GemmOp op, StringRef name, ElementsAttr attr,
                                   Type elementType, ArrayRef<int64_t> shape) {
  auto type = RankedTensorType::get(shape, elementType);
  if (attr.getShapedType() != type)
    return op.emitOpError() << "'" << name << "' must be " << formatType(type)
                            << ", got " << formatType(attr.getShapedType());
  if (!isa<DenseElementsAttr, DenseResourceElementsAttr>(attr))
    return op.emitOpError()
           << "'" << name << "' must be a dense or dense_resource payload";
  return success();
}

LogicalResult GemmOp::verify() {
  RankedTensorType actType = getActivation().getType();
  RankedTensorType resultType = getResult().getType();
  if (!actType.hasStaticShape() || !resultType.hasStaticShape())
    return emitOpError("activation and result must have static shapes");
  int64_t g = getGroups(), m = getM(), k = getK(), n = getN();
  if (actType.getDimSize(1) != m)
    return emitOpError() << "result rows (" << m
                         << ") must equal the activation rows ("
                         << actType.getDimSize(1) << ")";
  if (g < 1 || k < 1 || n < 1)
    return emitOpError("groups, reduction length and outputs must be "
                       "positive");
  if (n % g != 0)
    return emitOpError() << "the outputs (" << n
                         << ") must be a multiple of the groups (" << g << ")";
  if (getActivationElementsAttr().getInt() < 0)
    return emitOpError("'activation_elements' must not be negative");
  if (FloatAttr predicted = getPredictedUsAttr())
    if (!std::isfinite(predicted.getValueAsDouble()) ||
        predicted.getValueAsDouble() < 0)
      return emitOpError("'predicted_us' must be a finite number >= 0");

  if (getMode() == NpuRefMode::Dense) {
    if (!getWeights())
      return emitOpError("mode \"dense\" needs 'weights'");
    if (getBitmap() || getValues() || getCols() || getTileK() || getGroup())
      return emitOpError("mode \"dense\" takes only 'weights', not 'bitmap', "
                         "'values', 'cols', 'tile_k' or 'group'");
    return verifyPayload(*this, "weights", *getWeights(),
                         Float32Type::get(getContext()), {n, k});
  }
  if (getWeights())
    return emitOpError("mode \"zskip\" takes 'bitmap' and 'values', not "
                       "'weights'");
  if (!getBitmap() || !getValues() || !getCols() || !getTileK() || !getGroup())
    return emitOpError("mode \"zskip\" needs 'bitmap', 'values', 'cols', "
                       "'tile_k' and 'group'");
  sparsity::NpuRefParams params;
  params.cols = getColsAttr().getInt();
  params.tileK = getTileKAttr().getInt();
  params.group = getGroupAttr().getInt();
  if (params.cols < 1 || params.tileK < 1 || params.group < 1)
    return emitOpError("'cols', 'tile_k' and 'group' must be positive");
  if (params.tileK % params.group != 0)
    return emitOpError() << "'tile_k' (" << params.tileK
                         << ") must be a multiple of 'group' (" << params.group
                         << ")";

  // The bitmap of every lane of every tile, in packing order.
  int64_t laneBytesPerRow =
      (k / params.tileK) * sparsity::getLaneBitmapBytes(params.tileK, params);
  if (k % params.tileK)
    laneBytesPerRow += sparsity::getLaneBitmapBytes(k % params.tileK, params);
  int64_t bitmapBytes = n * laneBytesPerRow;
  auto i8 = IntegerType::get(getContext(), 8);
  if (failed(verifyPayload(*this, "bitmap", *getBitmap(), i8, {bitmapBytes})))
    return failure();
  auto f32 = Float32Type::get(getContext());
  if (!isa<DenseElementsAttr, DenseResourceElementsAttr>(*getValues()) ||
      getValues()->getShapedType().getRank() != 1 ||
      getValues()->getShapedType().getElementType() != f32)
    return emitOpError("'values' must be a 1-D dense or dense_resource "
                       "payload of f32");

  // Contents: padding bits clear, and `group` values per set bit. A
  // resource without data cannot be checked here (sparsity-sim refuses it).
  std::optional<std::vector<uint8_t>> bitmap = readBitmap();
  if (!bitmap)
    return success();
  int64_t kept = 0;
  size_t byte = 0;
  for (int64_t n0 = 0; n0 < n; n0 += params.cols) {
    int64_t lanes = std::min(params.cols, n - n0);
    for (int64_t k0 = 0; k0 < k; k0 += params.tileK) {
      int64_t kt = std::min(params.tileK, k - k0);
      int64_t laneBytes = sparsity::getLaneBitmapBytes(kt, params);
      int64_t numGroups = (kt + params.group - 1) / params.group;
      for (int64_t l = 0; l < lanes; ++l, byte += laneBytes) {
        for (int64_t b = 0; b < laneBytes; ++b) {
          uint8_t bits = (*bitmap)[byte + b];
          kept += llvm::popcount(bits);
          int64_t valid = std::clamp<int64_t>(numGroups - 8 * b, 0, 8);
          if (valid < 8 && (bits >> valid) != 0)
            return emitOpError() << "'bitmap' byte " << byte + b << " (output "
                                 << n0 + l << ", reduction tile at " << k0
                                 << ") sets a padding bit: the tile has only "
                                 << numGroups << " group(s)";
        }
      }
    }
  }
  int64_t numValues = getValues()->getShapedType().getDimSize(0);
  if (numValues != kept * params.group)
    return emitOpError() << "'values' has " << numValues
                         << " elements, but the bitmap keeps " << kept
                         << " group(s) of " << params.group << " ("
                         << kept * params.group << " values)";
  return success();
}
