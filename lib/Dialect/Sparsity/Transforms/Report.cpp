//===- Report.cpp - operation-saving sparsity report ----------------------===//
//
// Part of sparsity-mlir. Implements --sparsity-report: the figures of
// OpSparsityAnalysis as JSON, CSV or Markdown (docs/op-sparsity.md).
//
//===----------------------------------------------------------------------===//

#include "sparsity-mlir/Analysis/ChannelGroups.h"
#include "sparsity-mlir/Analysis/OpSparsityAnalysis.h"
#include "sparsity-mlir/Dialect/Sparsity/IR/SparsityAttrs.h"
#include "sparsity-mlir/Dialect/Sparsity/Transforms/Passes.h"
#include "sparsity-mlir/Support/PassOptions.h"
#include "sparsity-mlir/Target/TargetDescription.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/FileSystem.h"
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

// Written with json::OStream, not json::Object, so that the keys keep the
// documented order (json::Object prints them sorted).

static void writeIntArray(llvm::json::OStream &json, StringRef key,
                          ArrayRef<int64_t> values) {
  json.attributeArray(key, [&] {
    for (int64_t value : values)
      json.value(value);
  });
}

static void writeLayer(llvm::json::OStream &json, const LayerInfo &layer,
                       int64_t foldableMacs) {
  json.object([&] {
    json.attribute("name", layer.name);
    json.attribute("op", layer.op->getName().getStringRef());
    json.attribute("function", layer.function);
    json.attribute("weight_operand", layer.weightOperand);
    writeIntArray(json, "weight_shape", layer.weightShape);
    json.attribute("weight_type", typeToString(layer.weightType));
    json.attribute("declared", layer.declared);
    json.attribute("zeros_exact", layer.zerosExact);
    json.attribute("params", layer.params);
    json.attribute("zero_params", layer.zeroParams);
    json.attribute("param_sparsity", ratio(layer.zeroParams, layer.params));
    json.attribute("uses", layer.uses);
    json.attribute("macs", layer.macs);
    json.attribute("saved_macs", layer.savedMacs);
    json.attribute("saved_macs_unstructured", layer.savedUnstructured);
    json.attribute("saved_macs_structured", layer.savedStructured);
    json.attribute("saved_macs_propagated", layer.savedPropagated);
    json.attribute("op_sparsity", ratio(layer.savedMacs, layer.macs));
    json.attribute("out_dim", layer.roles.outDim);
    json.attribute("in_dim", layer.roles.inDim);
    writeIntArray(json, "zero_out_channels", layer.zeroOutChannels);
    writeIntArray(json, "zero_in_channels", layer.zeroInChannels);
    if (layer.nm)
      json.attributeObject("nm", [&] {
        json.attribute("n", layer.nm->n);
        json.attribute("m", layer.nm->m);
        json.attribute("dim", layer.nm->dim);
      });
    else
      json.attribute("nm", nullptr);
    if (layer.block)
      json.attributeObject("block", [&] {
        writeIntArray(json, "shape", layer.block->shape);
        json.attribute("nonzero_blocks", layer.block->nonzeroBlocks);
      });
    else
      json.attribute("block", nullptr);
    json.attribute("saved_macs_foldable", foldableMacs);
    auto plan = layer.op->getAttrOfType<PlanAttr>(PlanAttr::getAttrName());
    if (!plan) {
      json.attribute("plan", nullptr);
      return;
    }
    json.attributeObject("plan", [&] {
      json.attribute("target", plan.getTarget().getValue());
      json.attribute("choice", plan.getChoice().getValue());
      json.attribute("override", plan.getOverride());
      json.attributeObject("candidates", [&] {
        for (NamedAttribute c : plan.getCandidates())
          json.attribute(c.getName().getValue(),
                         cast<FloatAttr>(c.getValue()).getValueAsDouble());
      });
    });
  });
}

/// Writes `model.predicted_us`: the sums over the planned layers of the
/// dense candidate and of the chosen one (null when no layer is planned).
static void writePredicted(llvm::json::OStream &json,
                           ArrayRef<LayerInfo> layers) {
  double dense = 0, planned = 0;
  int64_t count = 0;
  std::string target;
  for (const LayerInfo &layer : layers) {
    auto plan = layer.op->getAttrOfType<PlanAttr>(PlanAttr::getAttrName());
    if (!plan)
      continue;
    if (count++ == 0)
      target = plan.getTarget().str();
    else if (target != plan.getTarget().getValue())
      target = "(several)";
    dense += plan.getPredicted(kDenseImpl).value_or(0.0);
    planned += plan.getPredicted(plan.getChoice().getValue()).value_or(0.0);
  }
  if (count == 0) {
    json.attribute("predicted_us", nullptr);
    return;
  }
  json.attributeObject("predicted_us", [&] {
    json.attribute("target", target);
    json.attribute("planned_layers", count);
    json.attribute("dense", dense);
    json.attribute("planned", planned);
  });
}

static std::string renderJSON(const OpSparsityAnalysis &analysis,
                              const ChannelGroups &fold) {
  const SparsityTotals &totals = analysis.getTotals();
  int64_t foldable = 0;
  for (const LayerInfo &layer : analysis.getLayers())
    foldable += fold.getRemovedWeights(layer) * layer.uses;
  std::string text;
  llvm::raw_string_ostream os(text);
  llvm::json::OStream json(os, /*IndentSize=*/2);
  json.object([&] {
    json.attribute("schema", "sparsity-report/1");
    json.attributeObject("model", [&] {
      json.attribute("layers", totals.layers);
      json.attribute("params", totals.params);
      json.attribute("zero_params", totals.zeroParams);
      json.attribute("param_sparsity", ratio(totals.zeroParams, totals.params));
      json.attribute("macs", totals.macs);
      json.attribute("saved_macs", totals.savedMacs);
      json.attribute("saved_macs_unstructured", totals.savedUnstructured);
      json.attribute("saved_macs_structured", totals.savedStructured);
      json.attribute("saved_macs_propagated", totals.savedPropagated);
      json.attribute("op_sparsity", ratio(totals.savedMacs, totals.macs));
      json.attribute("all_macs", totals.allMacs);
      json.attribute("elementwise_ops", totals.elementwiseOps);
      json.attribute("saved_elementwise_ops", totals.savedElementwiseOps);
      json.attribute("uncounted_layers",
                     static_cast<int64_t>(analysis.getUncounted().size()));
      json.attribute("saved_macs_foldable", foldable);
      writePredicted(json, analysis.getLayers());
    });
    json.attributeArray("layers", [&] {
      for (const LayerInfo &layer : analysis.getLayers())
        writeLayer(json, layer, fold.getRemovedWeights(layer) * layer.uses);
    });
    json.attributeArray("uncounted", [&] {
      for (const UncountedOp &op : analysis.getUncounted())
        json.object([&] {
          json.attribute("name", op.name);
          json.attribute("op", op.op->getName().getStringRef());
          json.attribute("reason", op.reason);
        });
    });
    json.attributeArray("fold_groups", [&] {
      for (const FoldGroupSummary &group : fold.getGroups())
        json.object([&] {
          json.attributeArray("layers", [&] {
            for (const std::string &name : group.layers)
              json.value(name);
          });
          json.attribute("channels", group.channels);
          writeIntArray(json, "removed", group.removed);
          json.attributeArray("kept", [&] {
            for (const auto &kept : group.kept)
              json.object([&] {
                writeIntArray(json, "channels", kept.second);
                json.attribute("reason", kept.first);
              });
          });
          if (group.leftAlone.empty())
            json.attribute("left_alone", nullptr);
          else
            json.attribute("left_alone", group.leftAlone);
        });
    });
  });
  os << "\n";
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
  /// The model total: no per-layer uses or channel counts.
  bool isTotal = false;

  /// `value`, or nothing on the total row.
  std::string perLayer(int64_t value) const {
    return isTotal ? "" : std::to_string(value);
  }
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
  total.isTotal = true;
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
       << row.perLayer(row.uses) << "," << row.macs << "," << row.saved << ","
       << row.unstructured << "," << row.structured << "," << row.propagated
       << "," << llvm::format("%.6f", ratio(row.saved, row.macs)) << ","
       << row.perLayer(row.zeroOut) << "," << row.perLayer(row.zeroIn) << ","
       << row.nm << "," << row.block << "\n";
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
       << " | " << row.perLayer(row.uses) << " | " << row.macs << " | "
       << row.saved
       << llvm::format(" | %.2f%%", 100 * ratio(row.saved, row.macs)) << " | "
       << (row.isTotal
               ? ""
               : row.perLayer(row.zeroOut) + "/" + row.perLayer(row.zeroIn))
       << " | " << row.nm << " | " << row.block << " |\n";
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

  /// Checks the option names and the format when the options are parsed.
  LogicalResult initializeOptions(
      StringRef options,
      function_ref<LogicalResult(const Twine &)> errorHandler) override {
    static const OptionCheck checks[] = {
        {"format", EnumOptionParser<ReportFormat>::check}};
    if (failed(checkPassOptions(*this, options, checks, errorHandler)))
      return failure();
    return Pass::initializeOptions(options, errorHandler);
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    // Only the JSON form carries the fold plan: the others do not build it.
    std::string (*render)(const OpSparsityAnalysis &) = nullptr;
    switch (format) {
    case ReportFormat::Json:
      render = [](const OpSparsityAnalysis &analysis) {
        return renderJSON(analysis, ChannelGroups(analysis));
      };
      break;
    case ReportFormat::Csv:
      render = renderCSV;
      break;
    case ReportFormat::Markdown:
      render = renderMarkdown;
      break;
    }

    const auto &analysis = getAnalysis<OpSparsityAnalysis>();
    for (const UncountedOp &op : analysis.getUncounted())
      emitRemark(op.op->getLoc())
          << "layer '" << op.name << "' not counted: " << op.reason;
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
        emitError(module.getLoc())
            << "sparsity-report: cannot write '" << output << "': " << error;
        return signalPassFailure();
      }
      file->os() << text;
      file->os().flush();
      if (file->os().has_error()) {
        emitError(module.getLoc())
            << "sparsity-report: cannot write '" << output
            << "': " << file->os().error().message();
        file->os().clear_error();
        // A partial regular file is removed; a device (`/dev/null`, a pipe)
        // must never be.
        if (!llvm::sys::fs::is_regular_file(output))
          file->keep();
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
