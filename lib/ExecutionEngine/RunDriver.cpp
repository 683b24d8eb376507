//===- RunDriver.cpp - JIT-run, verify and benchmark a function -----------===//
//
// Part of sparsity-mlir. The driver of sparsity-run, a library that
// sparsity-run and sparsity-sim link (RunDriver.h). Lowers a linalg-on-tensors
// program through the default CPU pipeline (sparsity-cpu-pipeline),
// JIT-compiles it with MLIR's ExecutionEngine and calls an entry function on
// random or .npy inputs; the outputs can be written as .npy, compared against
// .npy files or against a reference program, and timed. docs/sparsity-run.md is
// the user guide.
//
// Exit codes: 0 success (and every comparison matched), 1 a comparison did
// not match, 2 a usage, I/O or compilation error.
//
//===----------------------------------------------------------------------===//

#include "sparsity-mlir/ExecutionEngine/RunDriver.h"

#include "sparsity-mlir/Pipelines/Pipelines.h"
#include "sparsity-mlir/Registration/Registration.h"
#include "sparsity-mlir/Support/Npy.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/OpenMP/OpenMPToLLVMIRTranslation.h"

#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemAlloc.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"

#include <algorithm>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <chrono>
#include <cmath>
#include <cstring>
#include <random>

using namespace mlir;
using namespace mlir::sparsity::runtime;
using llvm::StringRef;

namespace cl = llvm::cl;

static cl::OptionCategory runCategory("sparsity-run options");

cl::OptionCategory &sparsity::run::getRunCategory() { return runCategory; }

static cl::opt<std::string>
    inputFilename(cl::Positional,
                  cl::desc("<input .mlir file, '-' for standard input>"),
                  cl::cat(runCategory));

static cl::opt<std::string>
    entryName("entry", cl::init("main"),
              cl::desc("Function to run (default: main)"),
              cl::value_desc("name"), cl::cat(runCategory));

static cl::list<std::string>
    inputFiles("input",
               cl::desc("An .npy file for the next argument of the entry "
                        "function; give one per argument, in order. Without "
                        "--input every argument is random (see --seed)"),
               cl::value_desc("file.npy"), cl::cat(runCategory));

static cl::opt<uint64_t>
    seed("seed", cl::init(0),
         cl::desc("Seed of the random inputs: floats uniform in [-1, 1), "
                  "integers uniform in [-4, 4] (default: 0)"),
         cl::value_desc("N"), cl::cat(runCategory));

static cl::opt<std::string>
    outputDir("output-dir",
              cl::desc("Write the results to DIR/out0.npy, DIR/out1.npy, ... "
                       "(DIR is created when missing)"),
              cl::value_desc("DIR"), cl::cat(runCategory));

static cl::opt<std::string> saveInputsDir(
    "save-inputs",
    cl::desc("Write the arguments the entry function ran on (random or read) "
             "to DIR/in0.npy, DIR/in1.npy, ... so that another runtime can "
             "be fed the same values (DIR is created when missing)"),
    cl::value_desc("DIR"), cl::cat(runCategory));

static cl::list<std::string> compareFiles(
    "compare",
    cl::desc("Compare the results with a reference: either one .mlir file, "
             "run with the same inputs (all results are compared), or one "
             ".npy file per result, in order (repeat the flag). Exit code 1 "
             "when they do not match"),
    cl::value_desc("ref.mlir|out.npy"), cl::cat(runCategory));

static cl::opt<std::string>
    refEntryName("ref-entry",
                 cl::desc("Entry function of a .mlir reference (default: "
                          "the --entry name)"),
                 cl::value_desc("name"), cl::cat(runCategory));

static cl::opt<double>
    relTol("rtol",
           cl::desc("Relative tolerance: |got - expected| <= atol + rtol * "
                    "|expected| (default: 1e-4 for f32/f64, 1e-2 for f16, 0 "
                    "for integers)"),
           cl::cat(runCategory));

static cl::opt<double>
    absTol("atol",
           cl::desc("Absolute tolerance (default: 1e-5 for f32/f64, 1e-3 for "
                    "f16, 0 for integers)"),
           cl::cat(runCategory));

static cl::opt<unsigned>
    benchIterations("bench", cl::init(0),
                    cl::desc("Time N calls after one warm-up call and print "
                             "the median, minimum and maximum latency"),
                    cl::value_desc("N"), cl::cat(runCategory));

static cl::opt<bool>
    printOutputs("print-outputs", cl::init(false),
                 cl::desc("Print every element of every result"),
                 cl::cat(runCategory));

static cl::opt<unsigned>
    optLevel("opt-level", cl::init(2),
             cl::desc("LLVM optimization level of the JIT, 0-3 (default: 2)"),
             cl::value_desc("N"), cl::cat(runCategory));

static cl::opt<unsigned>
    numThreads("num-threads", cl::init(1),
               cl::desc("Threads for the parallel loops of generated kernels "
                        "(sparsity-cpu-pipeline's threads option; default: 1)"),
               cl::value_desc("N"), cl::cat(runCategory));

static cl::list<std::string>
    sharedLibs("shared-libs", cl::CommaSeparated,
               cl::desc("Extra shared libraries the JIT-compiled code may "
                        "call (the MLIR C runner utilities are always "
                        "loaded when present)"),
               cl::value_desc("lib.so"), cl::cat(runCategory));

static cl::opt<bool> printPipeline(
    "print-pipeline", cl::init(false),
    cl::desc("Print the textual form of the lowering pipeline and exit"),
    cl::cat(runCategory));

using namespace mlir::sparsity::run;

namespace {

/// The hooks of the tool that runs the driver.
const RunHooks *hooks = nullptr;
} // namespace

int sparsity::run::fail(const llvm::Twine &msg) {
  llvm::WithColor::error(llvm::errs(), hooks ? hooks->toolName : "sparsity-run")
      << msg << "\n";
  return kError;
}

namespace {

/// A host buffer with 64-byte alignment, freed on destruction.
class HostBuffer {
public:
  explicit HostBuffer(size_t bytes) : size(bytes) {
    ptr = static_cast<uint8_t *>(
        llvm::allocate_buffer(std::max<size_t>(bytes, 1), kAlign));
    std::memset(ptr, 0, std::max<size_t>(bytes, 1));
  }
  HostBuffer(const HostBuffer &) = delete;
  HostBuffer &operator=(const HostBuffer &) = delete;
  ~HostBuffer() {
    llvm::deallocate_buffer(ptr, std::max<size_t>(size, 1), kAlign);
  }
  uint8_t *data() const { return ptr; }
  size_t bytes() const { return size; }

private:
  static constexpr size_t kAlign = 64;
  uint8_t *ptr;
  size_t size;
};

/// One argument or result of the entry function: a ranked static tensor.
struct TensorSpec {
  NpyDType dtype;
  SmallVector<int64_t> shape;
  std::string typeStr;

  int64_t numElements() const {
    int64_t n = 1;
    for (int64_t d : shape)
      n *= d;
    return n;
  }
  size_t bytes() const {
    return static_cast<size_t>(numElements()) * getNpyElementSize(dtype);
  }
};

/// The signature of an entry function.
struct Signature {
  SmallVector<TensorSpec> args;
  SmallVector<TensorSpec> results;
};

std::string formatShape(ArrayRef<int64_t> shape) {
  std::string s = "(";
  llvm::raw_string_ostream os(s);
  llvm::interleaveComma(shape, os);
  if (shape.size() == 1)
    os << ",";
  os << ")";
  return s;
}

std::optional<NpyDType> getDType(Type type) {
  if (type.isF16())
    return NpyDType::F16;
  if (type.isF32())
    return NpyDType::F32;
  if (type.isF64())
    return NpyDType::F64;
  if (auto intTy = dyn_cast<IntegerType>(type)) {
    if (intTy.isUnsigned())
      return std::nullopt;
    switch (intTy.getWidth()) {
    case 8:
      return NpyDType::I8;
    case 32:
      return NpyDType::I32;
    case 64:
      return NpyDType::I64;
    default:
      return std::nullopt;
    }
  }
  return std::nullopt;
}

/// Checks `type` (argument/result `index` of `@fn` in `file`) and describes
/// it; std::nullopt after reporting an error.
std::optional<TensorSpec> getSpec(Type type, StringRef what, unsigned index,
                                  StringRef fn, StringRef file) {
  std::string typeStr;
  llvm::raw_string_ostream(typeStr) << type;
  auto tensorTy = dyn_cast<RankedTensorType>(type);
  std::optional<NpyDType> dtype =
      tensorTy ? getDType(tensorTy.getElementType()) : std::nullopt;
  if (!tensorTy || !tensorTy.hasStaticShape() || tensorTy.getEncoding() ||
      !dtype) {
    fail(file + ": @" + fn + " " + what + " #" + llvm::Twine(index) +
         " has unsupported type '" + typeStr +
         "' (sparsity-run supports ranked static-shape tensors of f16, f32, "
         "f64, i8, i32 and i64)");
    return std::nullopt;
  }
  return TensorSpec{*dtype, llvm::to_vector(tensorTy.getShape()), typeStr};
}

/// A parsed program with its entry function checked.
struct Program {
  std::string file;
  std::string entry;
  OwningOpRef<ModuleOp> module;
  Signature sig;
  /// The host machine the transformer optimises for (outlives the engine).
  std::unique_ptr<llvm::TargetMachine> targetMachine;
  std::unique_ptr<ExecutionEngine> engine;
};

/// Parses `file` and checks that `entry` exists and has a supported
/// signature. Reports errors (read and parse errors prefixed by `flag`, e.g.
/// "--compare: ") and returns failure.
LogicalResult loadProgram(MLIRContext &ctx, StringRef file, StringRef entry,
                          Program &prog, StringRef flag = "") {
  prog.file = file.str();
  prog.entry = entry.str();
  std::string errorMessage;
  std::unique_ptr<llvm::MemoryBuffer> buf = openInputFile(file, &errorMessage);
  if (!buf)
    return fail(flag + "cannot read '" + file + "': " + errorMessage),
           failure();
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(std::move(buf), llvm::SMLoc());
  SourceMgrDiagnosticHandler diagHandler(sourceMgr, &ctx);
  prog.module = parseSourceFile<ModuleOp>(sourceMgr, &ctx);
  if (!prog.module)
    return fail(flag + "cannot parse '" + file + "'"), failure();

  auto fn = prog.module->lookupSymbol<func::FuncOp>(entry);
  if (!fn) {
    std::string names;
    llvm::raw_string_ostream os(names);
    llvm::interleaveComma(prog.module->getOps<func::FuncOp>(), os,
                          [&](func::FuncOp f) { os << "@" << f.getName(); });
    return fail(file + ": no function '@" + entry + "' to run" +
                (names.empty() ? llvm::Twine(" (the file has no functions)")
                               : llvm::Twine(" (functions: " + names + ")"))),
           failure();
  }
  if (fn.isDeclaration())
    return fail(file + ": @" + entry + " is a declaration without a body"),
           failure();
  for (auto [i, type] : llvm::enumerate(fn.getArgumentTypes())) {
    std::optional<TensorSpec> spec = getSpec(type, "argument", i, entry, file);
    if (!spec)
      return failure();
    prog.sig.args.push_back(std::move(*spec));
  }
  for (auto [i, type] : llvm::enumerate(fn.getResultTypes())) {
    std::optional<TensorSpec> spec = getSpec(type, "result", i, entry, file);
    if (!spec)
      return failure();
    prog.sig.results.push_back(std::move(*spec));
  }
  if (prog.sig.results.empty())
    return fail(file + ": @" + entry +
                " returns nothing; sparsity-run needs "
                "at least one tensor result"),
           failure();
  return success();
}

/// Lowers `prog` through the default CPU pipeline and JIT-compiles it; the
/// tool's extra symbols are registered for the program under test only
/// (`primary`), not for a reference.
LogicalResult compileProgram(Program &prog, bool primary) {
  MLIRContext *ctx = prog.module->getContext();
  auto fn = prog.module->lookupSymbol<func::FuncOp>(prog.entry);
  // The C interface takes one descriptor pointer per memref; the function
  // must be visible to the JIT's symbol lookup.
  fn->setAttr(LLVM::LLVMDialect::getEmitCWrapperAttrName(), UnitAttr::get(ctx));
  fn.setPublic();

  PassManager pm(ctx, ModuleOp::getOperationName());
  sparsity::CPUPipelineOptions options;
  options.threads = numThreads;
  sparsity::buildCPUPipeline(pm, options);
  if (failed(pm.run(*prog.module)))
    return fail("cannot lower '" + prog.file +
                "' to the LLVM dialect with sparsity-cpu-pipeline"),
           failure();

  SmallVector<StringRef> libs;
  for (const std::string &lib : sharedLibs)
    libs.push_back(lib);
  if (llvm::sys::fs::exists(SPARSITY_MLIR_C_RUNNER_UTILS))
    libs.push_back(SPARSITY_MLIR_C_RUNNER_UTILS);
  if (numThreads > 1) {
    if (!llvm::sys::fs::exists(SPARSITY_MLIR_OPENMP_RUNTIME))
      return fail("--num-threads " + llvm::Twine(numThreads.getValue()) +
                  " needs the OpenMP runtime '" + SPARSITY_MLIR_OPENMP_RUNTIME +
                  "' (Debian package libomp5-14), which is not installed"),
             failure();
    libs.push_back(SPARSITY_MLIR_OPENMP_RUNTIME);
  }
  for (StringRef lib : libs)
    if (!llvm::sys::fs::exists(lib))
      return fail("--shared-libs: cannot find '" + lib + "'"), failure();

  // Optimise for the host (its vector registers and cost model), as the
  // JIT compiles for it.
  auto tmBuilder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!tmBuilder)
    return fail("cannot describe the host machine: " +
                llvm::toString(tmBuilder.takeError())),
           failure();
  auto tm = tmBuilder->createTargetMachine();
  if (!tm)
    return fail("cannot create a target machine for the host: " +
                llvm::toString(tm.takeError())),
           failure();
  prog.targetMachine = std::move(*tm);
  std::function<llvm::Error(llvm::Module *)> transformer =
      makeOptimizingTransformer(optLevel, /*sizeLevel=*/0,
                                prog.targetMachine.get());
  ExecutionEngineOptions engineOptions;
  engineOptions.transformer = transformer;
  engineOptions.jitCodeGenOptLevel =
      static_cast<llvm::CodeGenOptLevel>(optLevel.getValue());
  engineOptions.sharedLibPaths = libs;
  // Profiling: `perf record -k 1` then `perf inject --jit` names the
  // JIT-compiled functions.
  engineOptions.enablePerfNotificationListener =
      std::getenv("SPARSITY_RUN_PERF") != nullptr;
  auto engine = ExecutionEngine::create(*prog.module, engineOptions);
  if (!engine)
    return fail("cannot JIT-compile '" + prog.file +
                "': " + llvm::toString(engine.takeError())),
           failure();
  prog.engine = std::move(*engine);
  if (primary && hooks->registerSymbols)
    hooks->registerSymbols(*prog.engine);
  return success();
}

/// A memref descriptor of rank r laid out as the LLVM lowering expects it:
/// {allocated, aligned, offset, sizes[r], strides[r]}, all 64-bit.
SmallVector<int64_t> makeDescriptor(void *data, ArrayRef<int64_t> shape) {
  SmallVector<int64_t> desc;
  desc.push_back(reinterpret_cast<intptr_t>(data));
  desc.push_back(reinterpret_cast<intptr_t>(data));
  desc.push_back(0);
  desc.append(shape.begin(), shape.end());
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int i = static_cast<int>(shape.size()) - 2; i >= 0; --i)
    strides[i] = strides[i + 1] * shape[i + 1];
  desc.append(strides.begin(), strides.end());
  return desc;
}

/// Calls the entry function of `prog` on copies of `inputs` (the compiled
/// code may write into its arguments) and fills `outputs`. Returns the time
/// of the call alone in milliseconds, or std::nullopt after an error.
std::optional<double> invoke(Program &prog,
                             ArrayRef<std::unique_ptr<HostBuffer>> inputs,
                             ArrayRef<std::unique_ptr<HostBuffer>> outputs) {
  static_assert(sizeof(void *) == sizeof(int64_t), "needs a 64-bit host");
  SmallVector<std::unique_ptr<HostBuffer>> argCopies;
  SmallVector<SmallVector<int64_t>> descs;
  for (auto [spec, in] : llvm::zip_equal(prog.sig.args, inputs)) {
    argCopies.push_back(std::make_unique<HostBuffer>(in->bytes()));
    std::memcpy(argCopies.back()->data(), in->data(), in->bytes());
    descs.push_back(makeDescriptor(argCopies.back()->data(), spec.shape));
  }
  for (auto [spec, out] : llvm::zip_equal(prog.sig.results, outputs))
    descs.push_back(makeDescriptor(out->data(), spec.shape));
  SmallVector<void *> descPtrs;
  for (SmallVector<int64_t> &d : descs)
    descPtrs.push_back(d.data());
  SmallVector<void *> packed;
  for (void *&p : descPtrs)
    packed.push_back(&p);

  std::string name = "_mlir_ciface_" + prog.entry;
  auto start = std::chrono::steady_clock::now();
  llvm::Error err = prog.engine->invokePacked(name, packed);
  auto stop = std::chrono::steady_clock::now();
  if (err)
    return fail("cannot call @" + prog.entry + " of '" + prog.file +
                "': " + llvm::toString(std::move(err))),
           std::nullopt;
  return std::chrono::duration<double, std::milli>(stop - start).count();
}

/// Reads element `i` of an integer buffer of `dtype` exactly.
int64_t loadInteger(const uint8_t *data, NpyDType dtype, int64_t i) {
  const uint8_t *p = data + i * getNpyElementSize(dtype);
  auto read = [&](auto v) {
    std::memcpy(&v, p, sizeof(v));
    return static_cast<int64_t>(v);
  };
  switch (dtype) {
  case NpyDType::I8:
    return read(int8_t());
  case NpyDType::I16:
    return read(int16_t());
  case NpyDType::I32:
    return read(int32_t());
  case NpyDType::I64:
    return read(int64_t());
  case NpyDType::U8:
  case NpyDType::Bool:
    return read(uint8_t());
  case NpyDType::F16:
  case NpyDType::F32:
  case NpyDType::F64:
    break;
  }
  llvm_unreachable("not an integer NpyDType");
}

/// Reads element `i` of a buffer of `dtype` as a double.
double loadElement(const uint8_t *data, NpyDType dtype, int64_t i) {
  const uint8_t *p = data + i * getNpyElementSize(dtype);
  auto read = [&](auto v) {
    std::memcpy(&v, p, sizeof(v));
    return v;
  };
  switch (dtype) {
  case NpyDType::F16: {
    llvm::APFloat f(llvm::APFloat::IEEEhalf(),
                    llvm::APInt(16, read(uint16_t())));
    bool losesInfo;
    f.convert(llvm::APFloat::IEEEdouble(), llvm::APFloat::rmNearestTiesToEven,
              &losesInfo);
    return f.convertToDouble();
  }
  case NpyDType::F32:
    return read(float());
  case NpyDType::F64:
    return read(double());
  case NpyDType::I8:
    return read(int8_t());
  case NpyDType::I16:
    return read(int16_t());
  case NpyDType::I32:
    return read(int32_t());
  case NpyDType::I64:
    return static_cast<double>(read(int64_t()));
  case NpyDType::U8:
  case NpyDType::Bool:
    return read(uint8_t());
  }
  llvm_unreachable("unknown NpyDType");
}

/// Fills `buf` with seeded random values: floats uniform in [-1, 1),
/// integers uniform in [-4, 4]. The bit stream is std::mt19937_64's, which
/// the C++ standard fixes, and the mapping to values is ours, so the inputs
/// are the same on every platform.
void fillRandom(HostBuffer &buf, const TensorSpec &spec, std::mt19937_64 &rng) {
  uint8_t *p = buf.data();
  for (int64_t i = 0, e = spec.numElements(); i < e; ++i) {
    uint64_t bits = rng();
    double u = static_cast<double>(bits >> 11) * 0x1.0p-53 * 2.0 - 1.0;
    int64_t k = static_cast<int64_t>(bits % 9) - 4;
    switch (spec.dtype) {
    case NpyDType::F16: {
      llvm::APFloat f(u);
      bool losesInfo;
      f.convert(llvm::APFloat::IEEEhalf(), llvm::APFloat::rmNearestTiesToEven,
                &losesInfo);
      uint16_t h = static_cast<uint16_t>(f.bitcastToAPInt().getZExtValue());
      std::memcpy(p + 2 * i, &h, 2);
      break;
    }
    case NpyDType::F32: {
      float f = static_cast<float>(u);
      std::memcpy(p + 4 * i, &f, 4);
      break;
    }
    case NpyDType::F64:
      std::memcpy(p + 8 * i, &u, 8);
      break;
    case NpyDType::I8: {
      int8_t v = static_cast<int8_t>(k);
      std::memcpy(p + i, &v, 1);
      break;
    }
    case NpyDType::I32: {
      int32_t v = static_cast<int32_t>(k);
      std::memcpy(p + 4 * i, &v, 4);
      break;
    }
    case NpyDType::I64:
      std::memcpy(p + 8 * i, &k, 8);
      break;
    case NpyDType::I16:
    case NpyDType::U8:
    case NpyDType::Bool:
      llvm_unreachable("not an entry function element type");
    }
  }
}

bool isFloat(NpyDType dtype) {
  return dtype == NpyDType::F16 || dtype == NpyDType::F32 ||
         dtype == NpyDType::F64;
}

/// The flat index `i` of `shape` as `[a, b, c]`.
std::string formatIndex(int64_t i, ArrayRef<int64_t> shape) {
  SmallVector<int64_t> idx(shape.size());
  for (int d = static_cast<int>(shape.size()) - 1; d >= 0; --d) {
    idx[d] = shape[d] ? i % shape[d] : 0;
    i = shape[d] ? i / shape[d] : 0;
  }
  std::string s = "[";
  llvm::raw_string_ostream os(s);
  llvm::interleaveComma(idx, os);
  os << "]";
  return s;
}

std::string formatValue(double v) {
  std::string s;
  llvm::raw_string_ostream(s) << llvm::format("%.8g", v);
  return s;
}

/// Element `i` of a buffer of `dtype`, integers exactly.
std::string formatElement(const uint8_t *data, NpyDType dtype, int64_t i) {
  if (isFloat(dtype))
    return formatValue(loadElement(data, dtype, i));
  return std::to_string(loadInteger(data, dtype, i));
}

/// Compares `got` with `expected` (both laid out as `spec`); prints one line
/// and returns whether they matched.
bool compareOutput(unsigned index, const TensorSpec &spec, const uint8_t *got,
                   const uint8_t *expected, StringRef refName) {
  double rt = 0, at = 0;
  if (spec.dtype == NpyDType::F16) {
    rt = 1e-2;
    at = 1e-3;
  } else if (isFloat(spec.dtype)) {
    rt = 1e-4;
    at = 1e-5;
  }
  if (relTol.getNumOccurrences())
    rt = relTol;
  if (absTol.getNumOccurrences())
    at = absTol;

  double maxAbs = 0, maxRel = 0;
  int64_t bad = 0, firstBad = -1;
  for (int64_t i = 0, e = spec.numElements(); i < e; ++i) {
    double a, b, diff;
    bool equal;
    if (isFloat(spec.dtype)) {
      a = loadElement(got, spec.dtype, i);
      b = loadElement(expected, spec.dtype, i);
      equal = a == b || (std::isnan(a) && std::isnan(b));
      diff = std::fabs(a - b);
    } else {
      // Exact for all of i64 (a double holds only 53 bits).
      int64_t x = loadInteger(got, spec.dtype, i);
      int64_t y = loadInteger(expected, spec.dtype, i);
      equal = x == y;
      diff = static_cast<double>(x > y ? uint64_t(x) - uint64_t(y)
                                       : uint64_t(y) - uint64_t(x));
      a = static_cast<double>(x);
      b = static_cast<double>(y);
    }
    bool ok;
    double absErr = 0, relErr = 0;
    if (equal) {
      ok = true;
    } else {
      absErr = diff;
      relErr = b != 0 ? absErr / std::fabs(b) : INFINITY;
      if (std::isnan(absErr))
        absErr = relErr = INFINITY;
      ok = absErr <= at + rt * std::fabs(b);
    }
    maxAbs = std::max(maxAbs, absErr);
    maxRel = std::max(maxRel, relErr);
    if (!ok && bad++ == 0)
      firstBad = i;
  }
  llvm::outs() << "out" << index << " (" << spec.typeStr << ") vs " << refName
               << ": ";
  if (bad == 0)
    llvm::outs() << "match";
  else
    llvm::outs() << "MISMATCH in " << bad << " of " << spec.numElements()
                 << " elements, first at " << formatIndex(firstBad, spec.shape)
                 << ": got " << formatElement(got, spec.dtype, firstBad)
                 << ", expected "
                 << formatElement(expected, spec.dtype, firstBad);
  llvm::outs() << " (max abs err " << formatValue(maxAbs) << ", max rel err "
               << formatValue(maxRel) << "; rtol " << formatValue(rt)
               << ", atol " << formatValue(at) << ")\n";
  return bad == 0;
}

/// Checks that an .npy array fits a tensor of the signature.
LogicalResult checkArray(const NpyArray &array, const TensorSpec &spec,
                         const llvm::Twine &flag, StringRef file,
                         const llvm::Twine &what) {
  if (array.dtype == spec.dtype &&
      ArrayRef(array.shape) == ArrayRef(spec.shape))
    return success();
  return fail(flag + " '" + file + "': array of shape " +
              formatShape(array.shape) + " and dtype " +
              getNpyDTypeName(array.dtype) + " does not fit " + what + " " +
              spec.typeStr),
         failure();
}

/// Writes array i to `dir`/<stem><i>.npy (for the flag `flag`): every file
/// goes to a temporary file first, and only when all are complete are they
/// renamed into place, so an error leaves no partial file and no partial set.
LogicalResult writeArrays(StringRef flag, const std::string &dir,
                          StringRef stem, ArrayRef<TensorSpec> specs,
                          ArrayRef<std::unique_ptr<HostBuffer>> arrays) {
  if (std::error_code ec = llvm::sys::fs::create_directories(dir))
    return fail(flag + ": cannot create '" + dir + "': " + ec.message()),
           failure();
  SmallVector<llvm::sys::fs::TempFile> temps;
  SmallVector<std::string> paths;
  auto discardAll = [&] {
    for (llvm::sys::fs::TempFile &t : temps)
      llvm::consumeError(t.discard());
  };
  for (auto [i, spec] : llvm::enumerate(specs)) {
    llvm::SmallString<128> path(dir);
    llvm::sys::path::append(path, stem + llvm::Twine(i) + ".npy");
    llvm::Expected<llvm::sys::fs::TempFile> temp =
        llvm::sys::fs::TempFile::create(path + "-%%%%%%.tmp");
    if (!temp) {
      discardAll();
      return fail(flag + ": cannot write '" + path +
                  "': " + llvm::toString(temp.takeError())),
             failure();
    }
    temps.push_back(std::move(*temp));
    paths.push_back(path.str().str());
    llvm::raw_fd_ostream os(temps.back().FD, /*shouldClose=*/false);
    writeNpy(os, spec.dtype, spec.shape,
             ArrayRef<uint8_t>(arrays[i]->data(), arrays[i]->bytes()));
    os.flush();
    if (os.has_error()) {
      std::string msg = os.error().message();
      os.clear_error();
      discardAll();
      return fail(flag + ": cannot write '" + path + "': " + msg), failure();
    }
  }
  for (auto [i, temp] : llvm::enumerate(temps)) {
    if (llvm::Error err = temp.keep(paths[i])) {
      std::string msg = llvm::toString(std::move(err));
      for (size_t j = i; j < temps.size(); ++j)
        llvm::consumeError(temps[j].discard());
      for (size_t j = 0; j < i; ++j)
        llvm::sys::fs::remove(paths[j]);
      return fail(flag + ": cannot write '" + paths[i] + "': " + msg),
             failure();
    }
  }
  return success();
}

int runDriver() {
  if (optLevel > 3)
    return fail("--opt-level must be 0, 1, 2 or 3");
  if ((relTol.getNumOccurrences() && !(relTol >= 0)) ||
      (absTol.getNumOccurrences() && !(absTol >= 0)))
    return fail("--rtol and --atol must be non-negative");

  if (printPipeline) {
    mlir::PassManager pm(
        [] {
          static MLIRContext ctx;
          return &ctx;
        }(),
        ModuleOp::getOperationName());
    sparsity::CPUPipelineOptions options;
    options.threads = numThreads;
    sparsity::buildCPUPipeline(pm, options);
    pm.printAsTextualPipeline(llvm::outs());
    llvm::outs() << "\n";
    return kSuccess;
  }

  // Sort the --compare files into one .mlir reference or .npy files.
  if (inputFilename.empty())
    return fail("no input file (usage: sparsity-run [options] file.mlir; "
                "see --help)");

  std::optional<std::string> refMlir;
  SmallVector<std::string> refNpys;
  for (const std::string &f : compareFiles) {
    if (StringRef(f).ends_with(".npy")) {
      refNpys.push_back(f);
    } else {
      if (refMlir)
        return fail("--compare: give one .mlir reference, not '" + *refMlir +
                    "' and '" + f + "'");
      refMlir = f;
    }
  }
  if (refMlir && !refNpys.empty())
    return fail("--compare: give either one .mlir reference or .npy files, "
                "not both");
  if (!refMlir && refEntryName.getNumOccurrences())
    return fail("--ref-entry needs a .mlir file in --compare");

  DialectRegistry registry;
  sparsity::registerToolDialects(registry);
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  registerOpenMPDialectTranslation(registry);
  MLIRContext ctx(registry);
  ctx.loadAllAvailableDialects();

  Program prog;
  if (failed(loadProgram(ctx, inputFilename, entryName, prog)))
    return kError;
  if (hooks->prepare) {
    bool stop = false;
    if (failed(hooks->prepare(*prog.module, stop)))
      return kError;
    if (stop)
      return kSuccess;
  }
  const Signature &sig = prog.sig;

  // Inputs, checked against the signature before anything is compiled.
  SmallVector<std::unique_ptr<HostBuffer>> inputs;
  if (!inputFiles.empty()) {
    if (inputFiles.size() != sig.args.size())
      return fail("@" + prog.entry + " in '" + prog.file + "' takes " +
                  llvm::Twine(sig.args.size()) + " argument(s), but " +
                  llvm::Twine(inputFiles.size()) + " --input file(s) given");
    for (auto [i, file] : llvm::enumerate(inputFiles)) {
      llvm::Expected<NpyArray> array = readNpyFile(file);
      if (!array)
        return fail("--input: " + llvm::toString(array.takeError()));
      if (failed(checkArray(*array, sig.args[i], "--input", file,
                            "argument #" + llvm::Twine(i) + " of @" +
                                prog.entry + ":")))
        return kError;
      inputs.push_back(std::make_unique<HostBuffer>(array->data.size()));
      std::memcpy(inputs.back()->data(), array->data.data(),
                  array->data.size());
    }
  } else {
    std::mt19937_64 rng(seed);
    for (const TensorSpec &spec : sig.args) {
      inputs.push_back(std::make_unique<HostBuffer>(spec.bytes()));
      fillRandom(*inputs.back(), spec, rng);
    }
  }

  // References, checked before running.
  SmallVector<NpyArray> expectedNpys;
  if (!refNpys.empty() && refNpys.size() != sig.results.size())
    return fail("--compare: @" + prog.entry + " has " +
                llvm::Twine(sig.results.size()) + " result(s), but " +
                llvm::Twine(refNpys.size()) + " .npy file(s) given");
  for (auto [i, file] : llvm::enumerate(refNpys)) {
    llvm::Expected<NpyArray> array = readNpyFile(file);
    if (!array)
      return fail("--compare: " + llvm::toString(array.takeError()));
    if (failed(checkArray(*array, sig.results[i], "--compare", file,
                          "result #" + llvm::Twine(i) + " of @" + prog.entry +
                              ":")))
      return kError;
    expectedNpys.push_back(std::move(*array));
  }
  Program ref;
  if (refMlir) {
    std::string refEntry =
        refEntryName.getNumOccurrences() ? refEntryName : entryName;
    if (failed(loadProgram(ctx, *refMlir, refEntry, ref, "--compare: ")))
      return kError;
    auto sameTypes = [](ArrayRef<TensorSpec> a, ArrayRef<TensorSpec> b) {
      return a.size() == b.size() &&
             llvm::all_of(llvm::zip_equal(a, b), [](auto pair) {
               return std::get<0>(pair).typeStr == std::get<1>(pair).typeStr;
             });
    };
    if (!sameTypes(sig.args, ref.sig.args) ||
        !sameTypes(sig.results, ref.sig.results))
      return fail("--compare '" + *refMlir + "': the signature of @" +
                  refEntry + " differs from that of @" + prog.entry + " in '" +
                  prog.file + "'");
  }

  // The directory itself is only created once there is something to write.
  if (!outputDir.empty() && llvm::sys::fs::exists(outputDir) &&
      !llvm::sys::fs::is_directory(outputDir))
    return fail("--output-dir: '" + outputDir + "' is not a directory");
  if (!saveInputsDir.empty() && llvm::sys::fs::exists(saveInputsDir) &&
      !llvm::sys::fs::is_directory(saveInputsDir))
    return fail("--save-inputs: '" + saveInputsDir + "' is not a directory");

  if (failed(compileProgram(prog, /*primary=*/true)) ||
      (refMlir && failed(compileProgram(ref, /*primary=*/false))))
    return kError;

  auto makeOutputs = [](const Signature &s) {
    SmallVector<std::unique_ptr<HostBuffer>> outs;
    for (const TensorSpec &spec : s.results)
      outs.push_back(std::make_unique<HostBuffer>(spec.bytes()));
    return outs;
  };
  SmallVector<std::unique_ptr<HostBuffer>> outputs = makeOutputs(sig);
  if (!invoke(prog, inputs, outputs))
    return kError;
  SmallVector<std::unique_ptr<HostBuffer>> refOutputs;
  if (refMlir) {
    refOutputs = makeOutputs(ref.sig);
    if (!invoke(ref, inputs, refOutputs))
      return kError;
  }

  if (printOutputs) {
    for (auto [i, spec] : llvm::enumerate(sig.results)) {
      llvm::outs() << "out" << i << ": " << spec.typeStr << " = [";
      for (int64_t j = 0, e = spec.numElements(); j < e; ++j)
        llvm::outs() << (j ? ", " : "")
                     << formatElement(outputs[i]->data(), spec.dtype, j);
      llvm::outs() << "]\n";
    }
  }

  if (!saveInputsDir.empty() &&
      failed(
          writeArrays("--save-inputs", saveInputsDir, "in", sig.args, inputs)))
    return kError;
  if (!outputDir.empty() && failed(writeArrays("--output-dir", outputDir, "out",
                                               sig.results, outputs)))
    return kError;

  bool allMatch = true;
  for (auto [i, spec] : llvm::enumerate(sig.results)) {
    if (refMlir) {
      allMatch &=
          compareOutput(i, spec, outputs[i]->data(), refOutputs[i]->data(),
                        "'" + *refMlir + "' @" + ref.entry);
    } else if (!expectedNpys.empty()) {
      allMatch &=
          compareOutput(i, spec, outputs[i]->data(),
                        expectedNpys[i].data.data(), "'" + refNpys[i] + "'");
    }
  }

  if (benchIterations > 0) {
    if (!invoke(prog, inputs, outputs)) // warm-up
      return kError;
    SmallVector<double> times;
    for (unsigned i = 0; i < benchIterations; ++i) {
      std::optional<double> ms = invoke(prog, inputs, outputs);
      if (!ms)
        return kError;
      times.push_back(*ms);
    }
    llvm::sort(times);
    size_t n = times.size();
    double median =
        n % 2 ? times[n / 2] : 0.5 * (times[n / 2 - 1] + times[n / 2]);
    llvm::outs() << "bench @" << prog.entry << ": " << n
                 << " iterations after 1 warm-up: median "
                 << llvm::format("%.4f", median) << " ms, min "
                 << llvm::format("%.4f", times.front()) << " ms, max "
                 << llvm::format("%.4f", times.back()) << " ms\n";
  }

  if (!allMatch) {
    llvm::outs().flush();
    llvm::errs() << hooks->toolName << ": results do not match the reference\n";
    return kMismatch;
  }
  return kSuccess;
}

} // namespace

int sparsity::run::runMain(const RunHooks &runHooks) {
  hooks = &runHooks;
#ifdef __GLIBC__
  // The compiled code allocates its intermediate buffers with malloc on
  // every call. glibc serves large ones with fresh mmap pages and returns
  // freed heap tops to the system, so each call would pay page faults for
  // memory the previous call had; keep the memory in the process instead
  // (what an inference runtime's arena does).
  mallopt(M_MMAP_THRESHOLD, 32 << 20); // glibc's upper limit on 64-bit
  mallopt(M_TRIM_THRESHOLD, -1);
#endif
  return runDriver();
}
