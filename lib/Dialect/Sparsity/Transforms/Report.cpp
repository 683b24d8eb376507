//===- Report.cpp - operation-saving sparsity report ----------------------===//
//
// Part of sparsity-mlir. Implements --sparsity-report: the figures of
// OpSparsityAnalysis as JSON, CSV or Markdown (docs/op-sparsity.md).
//
//===----------------------------------------------------------------------===//

#include "sparsity-mlir/Analysis/OpSparsityAnalysis.h"
#include "sparsity-mlir/Dialect/Sparsity/Transforms/Passes.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/ToolOutputFile.h"

namespace mlir {
namespace sparsity {
#define GEN_PASS_DEF_SPARSITYREPORTPASS
#include "sparsity-mlir/Dialect/Sparsity/Transforms/Passes.h.inc"
} // namespace sparsity
} // namespace mlir

using namespace mlir;
using namespace mlir::sparsity;

/// `part / whole`, or 0 for an empty whole.
static double ratio(int64_t part, int64_t whole) {
  return whole == 0 ? 0.0 : static_cast<double>(part) / whole;
}

static std::string typeToString(Type type) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << type;
  return text;
}

//===----------------------------------------------------------------------===//
// JSON
//===----------------------------------------------------------------------===//

static llvm::json::Array toJSON(ArrayRef<int64_t> values) {
  llvm::json::Array array;
  for (int64_t value : values)
    array.push_back(value);
  return array;
}

static llvm::json::Value layerToJSON(const LayerInfo &layer) {
  llvm::json::Value nm = nullptr;
  if (layer.nm)
    nm = llvm::json::Object{
        {"n", layer.nm->n}, {"m", layer.nm->m}, {"dim", layer.nm->dim}};
  llvm::json::Value block = nullptr;
  if (layer.block)
    block = llvm::json::Object{{"shape", toJSON(layer.block->shape)},
                               {"nonzero_blocks", layer.block->nonzeroBlocks}};
  return llvm::json::Object{
      {"name", layer.name},
      {"op", layer.op->getName().getStringRef()},
      {"function", layer.function},
      {"weight_operand", layer.weightOperand},
      {"weight_shape", toJSON(layer.weightShape)},
      {"weight_type", typeToString(layer.weightType)},
      {"declared", layer.declared},
      {"zeros_exact", layer.zerosExact},
      {"params", layer.params},
      {"zero_params", layer.zeroParams},
      {"param_sparsity", ratio(layer.zeroParams, layer.params)},
      {"uses", layer.uses},
      {"macs", layer.macs},
      {"saved_macs", layer.savedMacs},
      {"saved_macs_unstructured", layer.savedUnstructured},
      {"saved_macs_structured", layer.savedStructured},
      {"saved_macs_propagated", layer.savedPropagated},
      {"op_sparsity", ratio(layer.savedMacs, layer.macs)},
      {"out_dim", layer.roles.outDim},
      {"in_dim", layer.roles.inDim},
      {"zero_out_channels", toJSON(layer.zeroOutChannels)},
      {"zero_in_channels", toJSON(layer.zeroInChannels)},
      {"nm", std::move(nm)},
      {"block", std::move(block)},
  };
}

static std::string renderJSON(const OpSparsityAnalysis &analysis) {
  const SparsityTotals &totals = analysis.getTotals();
  llvm::json::Array layers;
  for (const LayerInfo &layer : analysis.getLayers())
    layers.push_back(layerToJSON(layer));
  llvm::json::Array uncounted;
  for (const UncountedOp &op : analysis.getUncounted())
    uncounted.push_back(
        llvm::json::Object{{"name", op.name},
                           {"op", op.op->getName().getStringRef()},
                           {"reason", op.reason}});
  llvm::json::Object model{
      {"layers", totals.layers},
      {"params", totals.params},
      {"zero_params", totals.zeroParams},
      {"param_sparsity", ratio(totals.zeroParams, totals.params)},
      {"macs", totals.macs},
      {"saved_macs", totals.savedMacs},
      {"saved_macs_unstructured", totals.savedUnstructured},
      {"saved_macs_structured", totals.savedStructured},
      {"saved_macs_propagated", totals.savedPropagated},
      {"op_sparsity", ratio(totals.savedMacs, totals.macs)},
      {"all_macs", totals.allMacs},
      {"elementwise_ops", totals.elementwiseOps},
      {"saved_elementwise_ops", totals.savedElementwiseOps},
      {"uncounted_layers", static_cast<int64_t>(uncounted.size())},
  };
  llvm::json::Object report{{"schema", "sparsity-report/1"},
                            {"model", std::move(model)},
                            {"layers", std::move(layers)},
                            {"uncounted", std::move(uncounted)}};
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::formatv("{0:2}", llvm::json::Value(std::move(report))) << "\n";
  return text;
}

//===----------------------------------------------------------------------===//
// CSV and Markdown
//===----------------------------------------------------------------------===//

/// Quotes a CSV field if it needs it.
static std::string csvField(StringRef text) {
  if (!text.contains_insensitive(",") && !text.contains('"') &&
      !text.contains('\n'))
    return text.str();
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"')
      quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

static std::string shapeToString(ArrayRef<int64_t> shape) {
  std::string text;
  llvm::raw_string_ostream os(text);
  llvm::interleave(shape, os, "x");
  return text;
}

namespace {
/// One row of the tabular formats.
struct Row {
  std::string name, op, shape, type;
  int64_t params, zeroParams, uses, macs, saved, unstructured, structured,
      propagated, zeroOut, zeroIn;
  std::string nm, block;
};
} // namespace

static std::vector<Row> getRows(const OpSparsityAnalysis &analysis) {
  std::vector<Row> rows;
  for (const LayerInfo &layer : analysis.getLayers()) {
    Row row;
    row.name = layer.name;
    row.op = layer.op->getName().getStringRef().str();
    row.shape = shapeToString(layer.weightShape);
    row.type = typeToString(layer.weightType);
    row.params = layer.params;
    row.zeroParams = layer.zeroParams;
    row.uses = layer.uses;
    row.macs = layer.macs;
    row.saved = layer.savedMacs;
    row.unstructured = layer.savedUnstructured;
    row.structured = layer.savedStructured;
    row.propagated = layer.savedPropagated;
    row.zeroOut = layer.zeroOutChannels.size();
    row.zeroIn = layer.zeroInChannels.size();
    if (layer.nm)
      row.nm = llvm::formatv("{0}:{1} dim {2}", layer.nm->n, layer.nm->m,
                             layer.nm->dim);
    if (layer.block)
      row.block = shapeToString(layer.block->shape);
    rows.push_back(std::move(row));
  }
  const SparsityTotals &totals = analysis.getTotals();
  Row total;
  total.name = "TOTAL";
  total.params = totals.params;
  total.zeroParams = totals.zeroParams;
  total.uses = 0;
  total.macs = totals.macs;
  total.saved = totals.savedMacs;
  total.unstructured = totals.savedUnstructured;
  total.structured = totals.savedStructured;
  total.propagated = totals.savedPropagated;
  total.zeroOut = total.zeroIn = 0;
  rows.push_back(std::move(total));
  return rows;
}

static std::string renderCSV(const OpSparsityAnalysis &analysis) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "name,op,weight_shape,weight_type,params,zero_params,param_sparsity,"
        "uses,macs,saved_macs,saved_macs_unstructured,saved_macs_structured,"
        "saved_macs_propagated,op_sparsity,zero_out_channels,"
        "zero_in_channels,nm,block\n";
  for (const Row &row : getRows(analysis)) {
    os << csvField(row.name) << "," << row.op << "," << row.shape << ","
       << row.type << "," << row.params << "," << row.zeroParams << ","
       << llvm::format("%.6f", ratio(row.zeroParams, row.params)) << ","
       << row.uses << "," << row.macs << "," << row.saved << ","
       << row.unstructured << "," << row.structured << "," << row.propagated
       << "," << llvm::format("%.6f", ratio(row.saved, row.macs)) << ","
       << row.zeroOut << "," << row.zeroIn << "," << row.nm << ","
       << row.block << "\n";
  }
  return text;
}

/// Escapes the characters a Markdown table cell cannot hold.
static std::string mdCell(StringRef text) {
  std::string escaped;
  for (char c : text) {
    if (c == '|')
      escaped += '\\';
    escaped += c;
  }
  return escaped;
}

static std::string renderMarkdown(const OpSparsityAnalysis &analysis) {
  const SparsityTotals &totals = analysis.getTotals();
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "# Sparsity report\n\n"
     << "| | params | MACs |\n|---|---:|---:|\n"
     << "| dense | " << totals.params << " | " << totals.macs << " |\n"
     << "| zero / saved | " << totals.zeroParams << " | " << totals.savedMacs
     << " |\n"
     << llvm::format("| sparsity | s_param = %.2f%% | s_op = %.2f%% |\n",
                     100 * ratio(totals.zeroParams, totals.params),
                     100 * ratio(totals.savedMacs, totals.macs))
     << "\nSaved MACs: " << totals.savedUnstructured << " unstructured, "
     << totals.savedStructured << " structured, " << totals.savedPropagated
     << " propagated. All MACs (with activation x activation): "
     << totals.allMacs << ".\n\n";
  os << "| layer | op | weight | params | s_param | uses | MACs | saved MACs "
        "| s_op | zero out/in ch. | N:M | block |\n"
     << "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|\n";
  for (const Row &row : getRows(analysis)) {
    os << "| " << mdCell(row.name) << " | " << row.op << " | " << row.shape
       << (row.type.empty() ? "" : " " + row.type) << " | " << row.params
       << llvm::format(" | %.2f%%", 100 * ratio(row.zeroParams, row.params))
       << " | " << row.uses << " | " << row.macs << " | " << row.saved
       << llvm::format(" | %.2f%%", 100 * ratio(row.saved, row.macs)) << " | "
       << row.zeroOut << "/" << row.zeroIn << " | " << row.nm << " | "
       << row.block << " |\n";
  }
  if (!analysis.getUncounted().empty()) {
    os << "\nNot counted:\n\n";
    for (const UncountedOp &op : analysis.getUncounted())
      os << "- " << op.name << " (" << op.op->getName() << "): " << op.reason
         << "\n";
  }
  return text;
}

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

namespace {
struct SparsityReportPass
    : public sparsity::impl::SparsityReportPassBase<SparsityReportPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    std::string (*render)(const OpSparsityAnalysis &) = nullptr;
    if (format == "json")
      render = renderJSON;
    else if (format == "csv")
      render = renderCSV;
    else if (format == "md")
      render = renderMarkdown;
    if (!render) {
      emitError(module.getLoc()) << "sparsity-report: unknown format '" << format
                         << "' (expected json, csv or md)";
      return signalPassFailure();
    }

    const auto &analysis = getAnalysis<OpSparsityAnalysis>();
    for (const UncountedOp &op : analysis.getUncounted())
      emitRemark(op.op->getLoc()) << "layer '" << op.name
                          << "' not counted: " << op.reason;
    for (const AnalysisNote &note : analysis.getNotes())
      emitRemark(note.op->getLoc()) << note.message;

    // Render completely before touching the output file.
    std::string text = render(analysis);
    if (output == "-") {
      llvm::outs() << text;
      llvm::outs().flush();
    } else {
      std::string error;
      std::unique_ptr<llvm::ToolOutputFile> file =
          openOutputFile(output, &error);
      if (!file) {
        emitError(module.getLoc()) << "sparsity-report: cannot write '" << output
                           << "': " << error;
        return signalPassFailure();
      }
      file->os() << text;
      file->os().flush();
      if (file->os().has_error()) {
        emitError(module.getLoc()) << "sparsity-report: cannot write '" << output
                           << "': " << file->os().error().message();
        file->os().clear_error();
        return signalPassFailure();
      }
      file->keep();
    }

    const SparsityTotals &totals = analysis.getTotals();
    // Attached to the location, not the op: a note printing the whole module
    // would bury the summary.
    emitRemark(module.getLoc()) << llvm::formatv(
        "sparsity report: {0} layers, s_param = {1:P2} ({2} of {3} "
        "weights zero), s_op = {4:P2} ({5} of {6} MACs saved), {7} MACs "
        "in all, {8} not counted",
        totals.layers, ratio(totals.zeroParams, totals.params),
        totals.zeroParams, totals.params, ratio(totals.savedMacs, totals.macs),
        totals.savedMacs, totals.macs, totals.allMacs,
        analysis.getUncounted().size());
    markAllAnalysesPreserved();
  }
};
} // namespace
