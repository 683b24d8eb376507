//===- NpuRefSimulator.cpp - the npu-ref simulator ------------------------===//
//
// Part of sparsity-mlir. The driver of sparsity-sim, a library
// (NpuRefSimulator.h) that the tool's main calls. Runs a module lowered with
// --sparsity-lower: counts the cycles of every npu_ref.gemm exactly from its
// packed weights and the module's target (countNpuRefCycles), and executes
// the whole program, the npu_ref.gemm ops by a kernel that reads the packed
// format and everything else through the sparsity-run driver (RunDriver.h).
// The kernel, npuRefExec, is given to the JIT by address (registerSymbols),
// so it need not be exported by the executable. docs/sparsity-sim.md is the
// user guide.
//
// Exit codes: 0 success (and every comparison matched), 1 a comparison did
// not match, 2 a usage, I/O or compilation error.
//
//===----------------------------------------------------------------------===//

#include "sparsity-mlir/ExecutionEngine/NpuRefSimulator.h"

#include "sparsity-mlir/ExecutionEngine/RunDriver.h"

#include "sparsity-mlir/Dialect/NpuRef/IR/NpuRefOps.h"
#include "sparsity-mlir/Target/NpuRef.h"
#include "sparsity-mlir/Target/TargetDescription.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"

#include "llvm/ExecutionEngine/Orc/Mangling.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <string>
#include <vector>

using namespace mlir;
using namespace mlir::sparsity;
using namespace mlir::sparsity::run;

namespace cl = llvm::cl;

static cl::OptionCategory simCategory("sparsity-sim options");

cl::OptionCategory &sparsity::sim::getSimCategory() { return simCategory; }

static cl::opt<bool>
    cyclesOnly("cycles-only", cl::init(false),
               cl::desc("Count and print the cycles only; do not execute the "
                        "program (no inputs, no --compare)"),
               cl::cat(simCategory));

static cl::opt<std::string>
    jsonFile("json",
             cl::desc("Also write the cycle table as JSON to FILE "
                      "(docs/sparsity-sim.md gives the schema)"),
             cl::value_desc("FILE"), cl::cat(simCategory));

namespace {

/// The name of the function the rewritten program calls for each layer.
constexpr llvm::StringLiteral kExecName = "npu_ref_exec";

/// One npu_ref.gemm, as the kernel executes it: the packed data decoded from
/// the op's attributes, nothing else.
struct SimLayer {
  std::string name;
  NpuRefMode mode = NpuRefMode::Dense;
  GemmGeometry geometry;
  NpuRefParams params;
  std::vector<float> weights;
  std::vector<uint8_t> bitmap;
  std::vector<float> values;
  NpuRefCycles cycles;
  /// What the cost model predicted for the layer (`predicted_us`), if known.
  std::optional<double> predictedUs;
};

/// The layers of the program under test, indexed by the id its calls pass.
std::vector<SimLayer> layers;

/// A ranked memref descriptor as the LLVM lowering lays it out:
/// {allocated, aligned, offset, sizes[rank], strides[rank]}.
struct Descriptor {
  float *aligned;
  int64_t offset;
  const int64_t *sizes;
  const int64_t *strides;
};

Descriptor readDescriptor(void *desc, int64_t rank) {
  auto *words = static_cast<int64_t *>(desc);
  Descriptor d;
  d.aligned = reinterpret_cast<float *>(words[1]);
  d.offset = words[2];
  d.sizes = words + 3;
  d.strides = words + 3 + rank;
  return d;
}

/// Executes layer `id`: out[M][N] = act[G][M][K] x W^T, reading the weights
/// in their packed format (zero-skip: only the kept groups are multiplied).
/// The C ABI of a call with two unranked memrefs: (rank, descriptor*) each.
extern "C" void npuRefExec(int64_t id, int64_t actRank, void *actDesc,
                           int64_t outRank, void *outDesc) {
  if (id < 0 || id >= static_cast<int64_t>(layers.size()) || actRank != 3 ||
      outRank != 2) {
    llvm::errs() << "sparsity-sim: internal error: bad npu_ref_exec call\n";
    std::abort();
  }
  const SimLayer &layer = layers[id];
  const GemmGeometry &geo = layer.geometry;
  Descriptor act = readDescriptor(actDesc, 3);
  Descriptor out = readDescriptor(outDesc, 2);
  if (act.sizes[0] != geo.groups || act.sizes[1] != geo.m ||
      act.sizes[2] != geo.k || out.sizes[0] != geo.m || out.sizes[1] != geo.n) {
    llvm::errs() << "sparsity-sim: internal error: npu_ref_exec shapes of '"
                 << layer.name << "'\n";
    std::abort();
  }
  auto actAt = [&](int64_t g, int64_t m, int64_t k) {
    return act.aligned[act.offset + g * act.strides[0] + m * act.strides[1] +
                       k * act.strides[2]];
  };
  auto outAt = [&](int64_t m, int64_t n) -> float & {
    return out.aligned[out.offset + m * out.strides[0] + n * out.strides[1]];
  };
  int64_t perGroup = geo.n / geo.groups;
  for (int64_t m = 0; m < geo.m; ++m)
    for (int64_t n = 0; n < geo.n; ++n)
      outAt(m, n) = 0.0f;

  if (layer.mode == NpuRefMode::Dense) {
    for (int64_t n = 0; n < geo.n; ++n) {
      const float *w = layer.weights.data() + n * geo.k;
      int64_t g = n / perGroup;
      for (int64_t m = 0; m < geo.m; ++m) {
        float acc = 0.0f;
        for (int64_t k = 0; k < geo.k; ++k)
          acc += actAt(g, m, k) * w[k];
        outAt(m, n) = acc;
      }
    }
    return;
  }

  // Zero-skip: decode the packed format; only kept groups are multiplied.
  forEachKeptGroup(
      layer.bitmap, layer.values, geo.n, geo.k, layer.params,
      [&](int64_t n, int64_t kBase, int64_t len, const float *vals) {
        int64_t g = n / perGroup;
        for (int64_t m = 0; m < geo.m; ++m) {
          float acc = 0.0f;
          for (int64_t e = 0; e < len; ++e)
            acc += actAt(g, m, kBase + e) * vals[e];
          outAt(m, n) += acc;
        }
      });
}

/// Reads every npu_ref.gemm of `module` into `layers` and counts its cycles.
LogicalResult collectLayers(ModuleOp module, const TargetDescription &target,
                            SmallVectorImpl<npu_ref::GemmOp> &ops) {
  const NpuRefParams &params = target.npuRef;
  WalkResult walk = module.walk([&](npu_ref::GemmOp op) {
    SimLayer layer;
    layer.name = op.getLayer().str();
    layer.params = params;
    layer.geometry.m = op.getM();
    layer.geometry.k = op.getK();
    layer.geometry.n = op.getN();
    layer.geometry.groups = op.getGroups();
    layer.geometry.activationElements = op.getActivationElementsAttr().getInt();
    std::string where = "layer '" + layer.name + "'";
    if (op.isZeroSkip()) {
      layer.mode = NpuRefMode::ZeroSkip;
      if (op.getColsAttr().getInt() != params.cols ||
          op.getTileKAttr().getInt() != params.tileK ||
          op.getGroupAttr().getInt() != params.group) {
        fail(where + ": packed for cols " +
             llvm::Twine(op.getColsAttr().getInt()) + ", tile_k " +
             llvm::Twine(op.getTileKAttr().getInt()) + ", group " +
             llvm::Twine(op.getGroupAttr().getInt()) + ", but target '" +
             target.name + "' has cols " + llvm::Twine(params.cols) +
             ", tile_k " + llvm::Twine(params.tileK) + ", group " +
             llvm::Twine(params.group));
        return WalkResult::interrupt();
      }
      std::optional<std::vector<uint8_t>> bitmap = op.readBitmap();
      std::optional<std::vector<float>> values = op.readValues();
      if (!bitmap || !values) {
        fail(where + ": the packed bitmap or values have no data (a "
                     "dense_resource without its blob)");
        return WalkResult::interrupt();
      }
      layer.bitmap = std::move(*bitmap);
      layer.values = std::move(*values);
    } else {
      std::optional<std::vector<float>> weights = op.readWeights();
      if (!weights) {
        fail(where + ": the weights have no data (a dense_resource without "
                     "its blob)");
        return WalkResult::interrupt();
      }
      layer.weights = std::move(*weights);
    }
    if (FloatAttr predicted = op.getPredictedUsAttr())
      layer.predictedUs = predicted.getValueAsDouble();
    layer.cycles =
        countNpuRefCycles(layer.geometry, layer.mode, layer.bitmap, params);
    layers.push_back(std::move(layer));
    ops.push_back(op);
    return WalkResult::advance();
  });
  return failure(walk.wasInterrupted());
}

/// Prints the per-layer table and the total.
void printTable(const TargetDescription &target) {
  llvm::raw_ostream &os = llvm::outs();
  const NpuRefParams &p = target.npuRef;
  os << "npu-ref cycles on target '" << target.name << "' (" << p.cols
     << " lanes x " << p.rows << " rows, tile_k " << p.tileK << ", group "
     << p.group << ", " << llvm::format("%g", p.clockGHz) << " GHz)\n";
  size_t width = 5;
  for (const SimLayer &l : layers)
    width = std::max(width, l.name.size());
  auto pad = [&](StringRef s, size_t w) {
    os << s;
    for (size_t i = s.size(); i < w; ++i)
      os << ' ';
  };
  pad("layer", width);
  os << "  mode       m      k      n  groups        cycles       compute"
        "        memory          us   predicted\n";
  double total = 0, predicted = 0;
  bool allPredicted = !layers.empty();
  for (const SimLayer &l : layers) {
    pad(l.name, width);
    os << "  ";
    pad(stringifyNpuRefMode(l.mode), 5);
    os << llvm::format(" %6lld %6lld %6lld %7lld %13.0f %13.0f %13.1f %11.3f",
                       static_cast<long long>(l.geometry.m),
                       static_cast<long long>(l.geometry.k),
                       static_cast<long long>(l.geometry.n),
                       static_cast<long long>(l.geometry.groups),
                       l.cycles.cycles, l.cycles.computeCycles,
                       l.cycles.memoryCycles,
                       cyclesToMicroseconds(l.cycles.cycles, p));
    if (l.predictedUs)
      os << llvm::format(" %11.3f\n", *l.predictedUs);
    else
      os << "           -\n";
    total += l.cycles.cycles;
    predicted += l.predictedUs.value_or(0);
    allPredicted &= l.predictedUs.has_value();
  }
  os << "total: " << layers.size() << " layer(s), "
     << llvm::format("%.0f", total) << " cycles, "
     << llvm::format("%.3f", cyclesToMicroseconds(total, p)) << " us";
  if (allPredicted)
    os << " (predicted " << llvm::format("%.3f", predicted) << " us)";
  os << "\n";
}

/// Writes the table as JSON to `path`, atomically.
LogicalResult writeJSON(StringRef path, const TargetDescription &target,
                        MLIRContext *context) {
  const NpuRefParams &p = target.npuRef;
  llvm::json::Array rows;
  double total = 0;
  for (const SimLayer &l : layers) {
    rows.push_back(llvm::json::Object{
        {"name", l.name},
        {"mode", stringifyNpuRefMode(l.mode)},
        {"m", l.geometry.m},
        {"k", l.geometry.k},
        {"n", l.geometry.n},
        {"groups", l.geometry.groups},
        {"cycles", l.cycles.cycles},
        {"compute_cycles", l.cycles.computeCycles},
        {"memory_cycles", l.cycles.memoryCycles},
        {"dram_bytes", l.cycles.dramBytes},
        {"tiles", l.cycles.tiles},
        {"memory_bound_tiles", l.cycles.memoryBoundTiles},
        {"us", cyclesToMicroseconds(l.cycles.cycles, p)},
    });
    if (l.predictedUs)
      rows.back().getAsObject()->try_emplace("predicted_us", *l.predictedUs);
    total += l.cycles.cycles;
  }
  llvm::json::Object root{
      {"target", toJSON(target, context)},
      {"layers", std::move(rows)},
      {"total_cycles", total},
      {"total_us", cyclesToMicroseconds(total, p)},
  };
  llvm::json::Value value(std::move(root));
  if (llvm::Error err = llvm::writeToOutput(path, [&](llvm::raw_ostream &os) {
        os << llvm::formatv("{0:2}", value) << "\n";
        return llvm::Error::success();
      }))
    return fail("--json: cannot write '" + path +
                "': " + llvm::toString(std::move(err))),
           failure();
  return success();
}

/// Replaces every npu_ref.gemm by a call of npu_ref_exec on buffers:
///   %a = memref.alloc, materialize_in_destination %act in %a,
///   %o = memref.alloc, call @npu_ref_exec(id, cast %a, cast %o),
///   %r = bufferization.to_tensor %o restrict.
void rewriteToCalls(ModuleOp module, ArrayRef<npu_ref::GemmOp> ops) {
  MLIRContext *ctx = module.getContext();
  OpBuilder b(ctx);
  auto f32 = b.getF32Type();
  auto unranked = UnrankedMemRefType::get(f32, /*memorySpace=*/0);
  b.setInsertionPointToStart(module.getBody());
  auto fnType =
      b.getFunctionType({b.getI64Type(), unranked, unranked}, TypeRange());
  auto decl = func::FuncOp::create(b, module.getLoc(), kExecName, fnType);
  decl.setPrivate();
  for (auto [id, gemm] : llvm::enumerate(ops)) {
    npu_ref::GemmOp op = gemm;
    b.setInsertionPoint(op);
    Location loc = op.getLoc();
    RankedTensorType actType = op.getActivation().getType();
    RankedTensorType outType = op.getResult().getType();
    auto actBufType = MemRefType::get(actType.getShape(), f32);
    auto outBufType = MemRefType::get(outType.getShape(), f32);
    Value actBuf = memref::AllocOp::create(b, loc, actBufType);
    auto materialize = bufferization::MaterializeInDestinationOp::create(
        b, loc, op.getActivation(), actBuf);
    materialize.setRestrict(true);
    materialize.setWritable(true);
    Value outBuf = memref::AllocOp::create(b, loc, outBufType);
    Value idValue = arith::ConstantIntOp::create(b, loc, id, 64);
    func::CallOp::create(
        b, loc, decl,
        ValueRange{idValue, memref::CastOp::create(b, loc, unranked, actBuf),
                   memref::CastOp::create(b, loc, unranked, outBuf)});
    Value result = bufferization::ToTensorOp::create(
        b, loc, outType, outBuf, /*restrict=*/true, /*writable=*/true);
    op.getResult().replaceAllUsesWith(result);
    op.erase();
  }
}

} // namespace

int sparsity::sim::simMain() {
  RunHooks hooks;
  hooks.toolName = "sparsity-sim";
  hooks.prepare = [](ModuleOp module, bool &stop) -> LogicalResult {
    if (cyclesOnly)
      for (StringRef flag : {"compare", "input", "output-dir", "save-inputs",
                             "bench", "print-outputs"})
        if (cl::getRegisteredOptions().lookup(flag)->getNumOccurrences())
          return fail("--cycles-only does not execute the program; --" + flag +
                      " needs it"),
                 failure();
    std::string error;
    FailureOr<TargetDescription> target =
        resolveTarget("module", module, error);
    if (failed(target))
      return fail("the module's target: " + error), failure();
    if (target->kind != TargetKind::NpuRef)
      return fail("target '" + target->name + "' is of kind '" +
                  stringifyTargetKind(target->kind) +
                  "'; sparsity-sim simulates npu-ref only"),
             failure();
    SmallVector<npu_ref::GemmOp> ops;
    if (failed(collectLayers(module, *target, ops)))
      return failure();
    printTable(*target);
    if (!jsonFile.empty() &&
        failed(writeJSON(jsonFile, *target, module.getContext())))
      return failure();
    if (cyclesOnly) {
      stop = true;
      return success();
    }
    rewriteToCalls(module, ops);
    return success();
  };
  hooks.registerSymbols = [](ExecutionEngine &engine) {
    engine.registerSymbols([](llvm::orc::MangleAndInterner interner) {
      llvm::orc::SymbolMap symbols;
      symbols[interner(kExecName)] = {
          llvm::orc::ExecutorAddr::fromPtr(&npuRefExec),
          llvm::JITSymbolFlags::Exported};
      return symbols;
    });
  };
  return runMain(hooks);
}
