//===- Calibrate.cpp - measure this CPU for the x86 cost model ------------===//
//
// Part of sparsity-mlir. The driver of sparsity-calibrate, a library
// (Calibrate.h) that the tool's main calls. Micro-benchmarks the kernels
// `--sparsity-lower` generates for x86-avx512 on the machine it runs on, one
// thread, and writes the x86-avx512 target description whose rates the
// planner then uses (docs/x86-avx512.md, "Calibration"). Every measurement is
// a real layer: a linalg.matmul with seeded random weights at a given
// sparsity, planned with one forced implementation, lowered, compiled by the
// same pipeline and JIT as sparsity-run, and timed (median of --iters calls).
//
// Exit codes: 0 success, 2 an error (nothing is written).
//
//===----------------------------------------------------------------------===//

#include "sparsity-mlir/ExecutionEngine/Calibrate.h"

#include "sparsity-mlir/Pipelines/Pipelines.h"
#include "sparsity-mlir/Registration/Registration.h"
#include "sparsity-mlir/Target/TargetDescription.h"
#include "sparsity-mlir/Target/X86.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"

#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemAlloc.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/Host.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <limits>
#include <random>
#ifdef __GLIBC__
#include <malloc.h>
#endif

using namespace mlir;
using namespace mlir::sparsity;
namespace cl = llvm::cl;

static cl::OptionCategory category("sparsity-calibrate options");

cl::OptionCategory &sparsity::calibrate::getCalibrateCategory() {
  return category;
}

static cl::opt<std::string> outputFile("o",
                                       cl::desc("Write the description here "
                                                "(default: stdout)"),
                                       cl::value_desc("file.json"),
                                       cl::init("-"), cl::cat(category));
static cl::opt<std::string>
    targetName("name",
               cl::desc("The description's name (default: "
                        "x86-avx512-calibrated)"),
               cl::init("x86-avx512-calibrated"), cl::cat(category));
static cl::opt<unsigned> iterations("iters",
                                    cl::desc("Timed calls per measurement, "
                                             "after 2 warm-up calls (default: "
                                             "20)"),
                                    cl::init(20), cl::cat(category));
static cl::opt<unsigned>
    rounds("rounds",
           cl::desc("Rounds over all measurements; each keeps its lowest "
                    "median (default: 20)"),
           cl::init(20), cl::cat(category));
static cl::opt<bool> verbose("v", cl::desc("Print every measurement to stderr"),
                             cl::init(false), cl::cat(category));

static int fail(const llvm::Twine &msg) {
  llvm::WithColor::error(llvm::errs(), "sparsity-calibrate") << msg << "\n";
  return calibrate::kError;
}

namespace {

/// A 64-byte aligned buffer.
struct Buffer {
  explicit Buffer(size_t bytes) : bytes(bytes) {
    ptr = llvm::allocate_buffer(bytes, 64);
    std::memset(ptr, 0, bytes);
  }
  ~Buffer() { llvm::deallocate_buffer(ptr, bytes, 64); }
  void *ptr;
  size_t bytes;
};

/// One micro-benchmark: X[m][k] x W[k][n] with `sparsity` of W zero (seeded
/// positions), run as implementation `impl`; or, with `side` > 0, a 3x3
/// convolution of n filters over k / 9 channels of side x side outputs
/// (m = side^2), its input already padded (NCHW, read in place).
struct Layer {
  int64_t m, k, n;
  double sparsity;
  std::string impl;
  int64_t side = 0;
  /// bitmap: decompress with vpermps (narrow.bitmap_decode "permute").
  bool permute = false;
  /// Filled by compile(): the non-zeros of W, the compiled layer and its
  /// arguments; by timeRound(): the lowest median over the rounds (ms).
  double ms = std::numeric_limits<double>::infinity();
  int64_t nonZeros = 0;
  std::unique_ptr<ExecutionEngine> engine = nullptr;
  std::unique_ptr<Buffer> x = nullptr, y = nullptr;
  SmallVector<int64_t> dx = {}, dy = {};
  void *px = nullptr, *py = nullptr;
};

/// The MLIR text of the layer; the weight is a dense_resource blob.
std::string layerText(Layer &l, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<float> w(l.k * l.n);
  for (float &v : w)
    v = normal(rng);
  std::vector<int64_t> order(w.size());
  for (size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  std::shuffle(order.begin(), order.end(), rng);
  int64_t zeros = static_cast<int64_t>(std::llround(l.sparsity * w.size()));
  for (int64_t i = 0; i < zeros; ++i)
    w[order[i]] = 0.0f;
  l.nonZeros = static_cast<int64_t>(w.size()) - zeros;
  std::string hex = "0x04000000";
  hex.reserve(hex.size() + w.size() * 8);
  static const char digits[] = "0123456789ABCDEF";
  for (float v : w) {
    uint8_t bytes[4];
    std::memcpy(bytes, &v, 4);
    for (uint8_t byte : bytes) {
      hex += digits[byte >> 4];
      hex += digits[byte & 15];
    }
  }
  std::string s;
  llvm::raw_string_ostream os(s);
  if (l.side > 0) {
    int64_t c = l.k / 9, in = l.side + 2;
    std::string x = llvm::formatv("tensor<1x{0}x{1}x{1}xf32>", c, in).str();
    std::string w = llvm::formatv("tensor<{0}x{1}x3x3xf32>", l.n, c).str();
    std::string y =
        llvm::formatv("tensor<1x{0}x{1}x{1}xf32>", l.n, l.side).str();
    os << "func.func @main(%x: " << x << ") -> " << y << " {\n"
       << "  %w = arith.constant dense_resource<w> : " << w << "\n"
       << "  %z = arith.constant 0.0 : f32\n"
       << "  %e = tensor.empty() : " << y << "\n"
       << "  %f = linalg.fill ins(%z : f32) outs(%e : " << y << ") -> " << y
       << "\n"
       << "  %r = linalg.conv_2d_nchw_fchw {dilations = dense<1> : "
          "tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : "
       << x << ", " << w << ") outs(%f : " << y << ") -> " << y << "\n"
       << "  return %r : " << y << "\n}\n"
       << "{-#\n  dialect_resources: { builtin: { w: \"" << hex
       << "\" } }\n#-}\n";
    return s;
  }
  os << "func.func @main(%x: tensor<" << l.m << "x" << l.k
     << "xf32>) -> tensor<" << l.m << "x" << l.n << "xf32> {\n"
     << "  %w = arith.constant dense_resource<w> : tensor<" << l.k << "x" << l.n
     << "xf32>\n"
     << "  %z = arith.constant 0.0 : f32\n"
     << "  %e = tensor.empty() : tensor<" << l.m << "x" << l.n << "xf32>\n"
     << "  %f = linalg.fill ins(%z : f32) outs(%e : tensor<" << l.m << "x"
     << l.n << "xf32>) -> tensor<" << l.m << "x" << l.n << "xf32>\n"
     << "  %r = linalg.matmul ins(%x, %w : tensor<" << l.m << "x" << l.k
     << "xf32>, tensor<" << l.k << "x" << l.n << "xf32>) outs(%f : tensor<"
     << l.m << "x" << l.n << "xf32>) -> tensor<" << l.m << "x" << l.n
     << "xf32>\n"
     << "  return %r : tensor<" << l.m << "x" << l.n << "xf32>\n}\n"
     << "{-#\n  dialect_resources: { builtin: { w: \"" << hex
     << "\" } }\n#-}\n";
  return s;
}

/// Lowers and compiles `l` and fills its input; returns failure with
/// `error`.
LogicalResult compile(MLIRContext &ctx, const TargetDescription &target,
                      Layer &l, std::string &error) {
  std::string text = layerText(l, 1234 + l.m * 7 + l.k * 13 + l.n);
  if (const char *dir = std::getenv("SPARSITY_CALIBRATE_DUMP")) {
    std::error_code ec;
    llvm::raw_fd_ostream dump((llvm::Twine(dir) + "/" + l.impl + "_" +
                               llvm::Twine(l.m) + "x" + llvm::Twine(l.k) + "x" +
                               llvm::Twine(l.n) + ".mlir")
                                  .str(),
                              ec);
    if (!ec)
      dump << text;
  }
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(text, &ctx);
  if (!module)
    return error = "cannot parse the generated layer", failure();
  // The layer is planned for the description being measured, with the
  // layer's bitmap decoding.
  TargetDescription layerTarget = target;
  layerTarget.x86.bitmapPermute = l.permute;
  (*module)->setAttr(getTargetAttrName(), toDictionaryAttr(layerTarget, &ctx));
  PassManager pm(&ctx, ModuleOp::getOperationName());
  std::string pipeline = "sparsity-plan{target=module force=" + l.impl +
                         "},sparsity-lower{target=module}";
  if (failed(parsePassPipeline(pipeline, pm)))
    return error = "cannot build '" + pipeline + "'", failure();
  CPUPipelineOptions options;
  buildCPUPipeline(pm, options);
  // Remarks of the plan and lowering are not for the user here.
  ScopedDiagnosticHandler quiet(&ctx, [](Diagnostic &d) {
    return success(d.getSeverity() == DiagnosticSeverity::Remark);
  });
  auto fn = module->lookupSymbol<func::FuncOp>("main");
  fn->setAttr("llvm.emit_c_interface", UnitAttr::get(&ctx));
  if (failed(pm.run(*module)))
    return error = "cannot lower the layer", failure();

  auto tmBuilder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!tmBuilder)
    return error = llvm::toString(tmBuilder.takeError()), failure();
  auto tm = tmBuilder->createTargetMachine();
  if (!tm)
    return error = llvm::toString(tm.takeError()), failure();
  std::unique_ptr<llvm::TargetMachine> machine = std::move(*tm);
  std::function<llvm::Error(llvm::Module *)> transformer =
      makeOptimizingTransformer(2, /*sizeLevel=*/0, machine.get());
  ExecutionEngineOptions engineOptions;
  engineOptions.transformer = transformer;
  engineOptions.jitCodeGenOptLevel = llvm::CodeGenOptLevel::Default;
  auto engine = ExecutionEngine::create(*module, engineOptions);
  if (!engine)
    return error = llvm::toString(engine.takeError()), failure();

  l.engine = std::move(*engine);
  // The input and output, and their memref descriptors (allocated and
  // aligned pointer, offset, sizes, strides).
  SmallVector<int64_t> xShape = {l.m, l.k}, yShape = {l.m, l.n};
  if (l.side > 0) {
    xShape = {1, l.k / 9, l.side + 2, l.side + 2};
    yShape = {1, l.n, l.side, l.side};
  }
  auto descriptor = [](void *data, ArrayRef<int64_t> shape) {
    SmallVector<int64_t> d = {reinterpret_cast<intptr_t>(data),
                              reinterpret_cast<intptr_t>(data), 0};
    d.append(shape.begin(), shape.end());
    int64_t stride = 1;
    SmallVector<int64_t> strides(shape.size());
    for (int64_t i = static_cast<int64_t>(shape.size()) - 1; i >= 0; --i) {
      strides[i] = stride;
      stride *= shape[i];
    }
    d.append(strides.begin(), strides.end());
    return d;
  };
  int64_t xElements = 1, yElements = 1;
  for (int64_t d : xShape)
    xElements *= d;
  for (int64_t d : yShape)
    yElements *= d;
  l.x = std::make_unique<Buffer>(xElements * 4);
  l.y = std::make_unique<Buffer>(yElements * 4);
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
  for (int64_t i = 0; i < xElements; ++i)
    static_cast<float *>(l.x->ptr)[i] = uniform(rng);
  l.dx = descriptor(l.x->ptr, xShape);
  l.dy = descriptor(l.y->ptr, yShape);
  l.px = l.dx.data();
  l.py = l.dy.data();
  return success();
}

/// Times one round of `l` (2 warm-up calls, then --iters); keeps the lowest
/// median so far (other load on the machine only ever makes a round
/// slower).
LogicalResult timeRound(Layer &l, std::string &error) {
  SmallVector<void *> args = {&l.px, &l.py};
  std::vector<double> times;
  for (unsigned i = 0; i < iterations + 2; ++i) {
    auto start = std::chrono::steady_clock::now();
    if (llvm::Error err = l.engine->invokePacked("_mlir_ciface_main", args))
      return error = llvm::toString(std::move(err)), failure();
    auto stop = std::chrono::steady_clock::now();
    if (i >= 2)
      times.push_back(
          std::chrono::duration<double, std::milli>(stop - start).count());
  }
  std::sort(times.begin(), times.end());
  l.ms = std::min(l.ms, times[times.size() / 2]);
  return success();
}

int64_t ceilTo(int64_t a, int64_t b) { return (a + b - 1) / b * b; }

} // namespace

int sparsity::calibrate::calibrateMain() {
  registerToolPasses();
  registerSparsityPipelines();
  if (iterations < 1)
    return fail("--iters must be at least 1");
  if (rounds < 1)
    return fail("--rounds must be at least 1");
  // An output in a missing directory fails now, not after the measurements
  // (the file itself is only opened once they all succeeded).
  if (outputFile != "-") {
    llvm::StringRef dir = llvm::sys::path::parent_path(outputFile);
    if (!dir.empty() && !llvm::sys::fs::is_directory(dir))
      return fail("cannot write '" + outputFile + "': no directory '" + dir +
                  "'");
  }
#ifdef __GLIBC__
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, -1);
#endif
  llvm::StringMap<bool> features = llvm::sys::getHostCPUFeatures();
  if (!features.lookup("avx512f"))
    return fail("this CPU has no AVX-512 (avx512f); the x86-avx512 kernels "
                "cannot run here");

  DialectRegistry registry;
  registerToolDialects(registry);
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  MLIRContext ctx(registry);
  ctx.loadAllAvailableDialects();

  std::string error;
  FailureOr<TargetDescription> base =
      resolveTarget("x86-avx512", ModuleOp(), error);
  if (failed(base))
    return fail(error);
  TargetDescription target = *base;
  target.name = targetName;
  X86Params &p = target.x86;

  // The measurements; the FC layout everywhere (the layout of BERT's layers).
  Layer tiny{16, 16, 16, 0.0, "dense"};
  Layer dense{128, 768, 768, 0.0, "dense"};
  Layer csrLow{128, 768, 768, 0.7, "csr"};
  Layer csr{128, 768, 768, 0.9, "csr"};
  // csr whose activation tile (k = 3072 rows of 128 columns, 1.5 MiB) is
  // larger than a 1 MiB L2, where 768 rows (384 KiB) fit: the uncached rate.
  Layer csrBigK{128, 3072, 768, 0.7, "csr"};
  // csr reading a convolution's input in place: 3x3, 96 -> 96 channels,
  // 28x28, at 70% (near where csr and dense break even). The input rows one
  // m tile reads (96 channels x 6 rows) do not fit L1, as on the ResNet
  // layers; with 64 channels they would.
  Layer csrDirect{784, 864, 96, 0.7, "csr", 28};
  // pattern against csr on two m tiles: pattern runs its straight-line
  // code once per tile, and on one tile it measures as fast as csr, which
  // it is not on the many-tile layers it applies to (docs/targets.md).
  Layer pattern{256, 256, 256, 0.95, "pattern"};
  Layer csrSmall{256, 256, 256, 0.95, "csr"};
  Layer narrowSmall{1, 1024, 256, 0.0, "dense"};
  Layer narrowBig{1, 4096, 4096, 0.0, "dense"};
  // bitmap, decoded both ways; the faster one is the description's.
  Layer bitmap{1, 4096, 4096, 0.9, "bitmap"};
  Layer bitmapPermute{1, 4096, 4096, 0.9, "bitmap"};
  bitmapPermute.permute = true;
  Layer *layers[] = {&tiny,        &dense,     &csrLow,  &csr,
                     &csrBigK,     &csrDirect, &pattern, &csrSmall,
                     &narrowSmall, &narrowBig, &bitmap,  &bitmapPermute};
  auto failure = [&](const Layer &l, StringRef what) {
    return fail(llvm::formatv("{0} {1} {2}x{3}x{4}: {5}", what, l.impl, l.m,
                              l.k, l.n, error)
                    .str());
  };
  for (Layer *l : layers)
    if (failed(compile(ctx, target, *l, error)))
      return failure(*l, "compiling");
  // The rounds go over all layers in turn, so that a slow phase of the
  // machine (seconds long) does not hit one layer's every round.
  for (unsigned round = 0; round < rounds; ++round)
    for (Layer *l : layers)
      if (failed(timeRound(*l, error)))
        return failure(*l, "running");
  if (verbose)
    for (Layer *l : layers)
      llvm::errs() << llvm::formatv(
          "  {0,-8} {1}x{2}x{3}{4} s={5:f2}: "
          "{6:f4} ms\n",
          l->impl, l->m, l->k, l->n,
          l->side                                        ? " (3x3 conv)"
          : l->permute                                   ? " (permute)"
          : symbolizeX86Impl(l->impl) == X86Impl::Bitmap ? " (expandload)"
                                                         : "",
          l->sparsity, l->ms);

  const int64_t lanes = kX86Lanes;
  auto ns = [](const Layer &l) { return l.ms * 1e6; };
  auto atLeast = [](double v, double floor) { return std::max(v, floor); };
  // Fixed cost: the tiny layer.
  p.layerUs = atLeast(tiny.ms * 1e3, 0.01);
  double layerNs = p.layerUs * 1e3;
  // dense: padded FMAs of the FC kernel (panels of 16 columns).
  p.denseGflops = atLeast(2.0 * dense.m * ceilTo(dense.n, lanes) * dense.k /
                              atLeast(ns(dense) - layerNs, 1.0),
                          1e-3);
  // csr: one layer at two sparsities. The slope is the cost per FMA, the
  // intercept the fixed costs: the layer's, rows x tiles x ns_per_row and
  // the staged elements. One intercept cannot separate the last two; the
  // per-row cost is left at its floor and the rest goes to the staging,
  // which dominates on FC layouts (768 row tiles against 294,912 staged
  // elements here). (Empty layers of other sizes would measure staging
  // copies that miss the cache where these hit it.)
  auto rowsTiles = [&](const Layer &l) {
    int64_t vectors = ceilTo(l.m, lanes) / lanes;
    int64_t v = getX86Tiling({l.m, l.k, l.n, 1, l.m * l.k}).sparseVecs;
    return static_cast<double>(l.n * ((vectors + v - 1) / v));
  };
  auto staged = [&](const Layer &l) {
    int64_t mPad = ceilTo(l.m, lanes);
    return static_cast<double>(l.k * mPad + 2 * l.n * mPad);
  };
  auto fmas = [&](const Layer &l) {
    return static_cast<double>(l.nonZeros) * (ceilTo(l.m, lanes) / lanes);
  };
  p.csrNsPerFma = atLeast(
      (ns(csrLow) - ns(csr)) / atLeast(fmas(csrLow) - fmas(csr), 1.0), 0.001);
  p.csrNsPerRow = 0.01;
  double fixed = ns(csr) - p.csrNsPerFma * fmas(csr);
  p.stageNsPerElement = atLeast(
      (fixed - layerNs - rowsTiles(csr) * p.csrNsPerRow) / staged(csr), 0.001);
  // The uncached csr rate: the big-k layer's time less its fixed costs,
  // per FMA, for tiles above 1 MiB (between the two tiles measured: the
  // boundary itself is not measured). Only when it is at least 5% above
  // the cached rate; else one rate.
  double bigFixed = layerNs + rowsTiles(csrBigK) * p.csrNsPerRow +
                    staged(csrBigK) * p.stageNsPerElement;
  double uncached = (ns(csrBigK) - bigFixed) / fmas(csrBigK);
  p.csrCacheBytes = 0;
  p.csrUncachedNsPerFma = p.csrNsPerFma;
  if (uncached > 1.05 * p.csrNsPerFma) {
    p.csrCacheBytes = int64_t(1) << 20;
    p.csrUncachedNsPerFma = uncached;
  }
  // Direct reads: the layer's time per FMA (its rows of 28 are 2 vectors
  // each), with the fixed costs in it, at the sparsity where the choice
  // between csr and dense is made.
  p.csrDirectNsPerFma =
      atLeast((ns(csrDirect) - layerNs) /
                  (static_cast<double>(csrDirect.nonZeros) * csrDirect.side *
                   (ceilTo(csrDirect.side, lanes) / lanes)),
              0.001);
  // pattern against csr on the same layer: the same fixed costs, so the
  // difference is the per-FMA one.
  p.patternNsPerFma = atLeast(
      p.csrNsPerFma + (ns(pattern) - ns(csrSmall)) / fmas(pattern), 0.001);
  // m < 16: a weight matrix that stays in cache gives the compute rate, a
  // large one the streaming bandwidth.
  auto chunks = [&](const Layer &l) {
    return static_cast<double>(l.n * (ceilTo(l.k, lanes) / lanes));
  };
  p.narrowNsPerChunk = atLeast((ns(narrowSmall) - layerNs) /
                                   (chunks(narrowSmall) * narrowSmall.m),
                               0.001);
  p.memoryGBps = atLeast(chunks(narrowBig) * lanes * 4 /
                             atLeast(ns(narrowBig) - layerNs, 1.0),
                         1e-3);
  p.bitmapPermute = bitmapPermute.ms < bitmap.ms;
  const Layer &bitmapBest = p.bitmapPermute ? bitmapPermute : bitmap;
  p.bitmapNsPerChunk =
      atLeast((ns(bitmapBest) - layerNs) / chunks(bitmapBest), 0.001);

  // Round-trip through the parser: what is written is what the planner
  // accepts.
  llvm::json::Value json = toJSON(target, &ctx);
  if (auto *object = json.getAsObject())
    object->try_emplace("description",
                        (llvm::Twine("Measured by sparsity-calibrate on ") +
                         llvm::sys::getHostCPUName() + ", one thread")
                            .str());
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::formatv("{0:2}", json) << "\n";
  if (failed(parseTargetDescription(llvm::StringRef(text), error)))
    return fail("the measured description does not validate: " + error);
  std::error_code ec;
  llvm::ToolOutputFile out(outputFile, ec, llvm::sys::fs::OF_Text);
  if (ec)
    return fail("cannot write '" + outputFile + "': " + ec.message());
  out.os() << text;
  out.keep();
  return kSuccess;
}
