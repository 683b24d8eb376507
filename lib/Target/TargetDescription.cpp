//===- TargetDescription.cpp - targets as data ----------------------------===//
//
// Part of sparsity-mlir. docs/targets.md is the schema implemented here.
//
//===----------------------------------------------------------------------===//

#include "sparsity-mlir/Target/TargetDescription.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cmath>
#include <utility>

using namespace mlir;
using namespace mlir::sparsity;

namespace {
struct Preset {
  const char *name;
  const char *json;
};
} // namespace

static const Preset kPresets[] = {
#include "TargetPresets.inc"
};

llvm::StringRef sparsity::stringifyTargetKind(TargetKind kind) {
  switch (kind) {
  case TargetKind::NpuRef:
    return "npu-ref";
  case TargetKind::X86AVX512:
    return "x86-avx512";
  }
  llvm_unreachable("unknown TargetKind");
}

std::optional<TargetKind> sparsity::symbolizeTargetKind(llvm::StringRef name) {
  return llvm::StringSwitch<std::optional<TargetKind>>(name)
      .Case("npu-ref", TargetKind::NpuRef)
      .Case("x86-avx512", TargetKind::X86AVX512)
      .Default(std::nullopt);
}

std::vector<std::string> sparsity::getTargetPresetNames() {
  std::vector<std::string> names;
  for (const Preset &p : kPresets)
    names.push_back(p.name);
  llvm::sort(names);
  return names;
}

llvm::StringRef sparsity::getTargetPresetJSON(llvm::StringRef name) {
  for (const Preset &p : kPresets)
    if (name == p.name)
      return p.json;
  return {};
}

//===----------------------------------------------------------------------===//
// Validation
//===----------------------------------------------------------------------===//

namespace {
/// Reads the fields of one JSON object, naming each by its dotted path in
/// errors, and rejects the fields nobody asked for.
class FieldReader {
public:
  FieldReader(const llvm::json::Object &object, std::string prefix,
              std::string &error)
      : object(object), prefix(std::move(prefix)), error(error) {}

  std::string path(llvm::StringRef key) const { return prefix + key.str(); }

  bool fail(llvm::StringRef key, const llvm::Twine &why) {
    if (error.empty())
      error = ("field '" + path(key) + "': " + why).str();
    return false;
  }

  const llvm::json::Value *get(llvm::StringRef key, bool required) {
    seen.insert(key);
    const llvm::json::Value *v = object.get(key);
    if (!v && required)
      fail(key, "missing");
    return v;
  }

  bool readString(llvm::StringRef key, std::string &out, bool required) {
    const llvm::json::Value *v = get(key, required);
    if (!v)
      return !required;
    std::optional<llvm::StringRef> s = v->getAsString();
    if (!s)
      return fail(key, "expected a string");
    out = s->str();
    return true;
  }

  /// An integer in [lo, hi].
  bool readInt(llvm::StringRef key, int64_t &out, int64_t lo, int64_t hi,
               bool required = true) {
    const llvm::json::Value *v = get(key, required);
    if (!v)
      return !required;
    std::optional<int64_t> i = v->getAsInteger();
    if (!i) {
      std::optional<double> d = v->getAsNumber();
      if (d && std::floor(*d) == *d && std::fabs(*d) < 9e15)
        i = static_cast<int64_t>(*d);
    }
    if (!i)
      return fail(key, "expected an integer");
    if (*i < lo || *i > hi)
      return fail(key, llvm::formatv("{0} is outside [{1}, {2}]", *i, lo, hi));
    out = *i;
    return true;
  }

  /// A number > 0 (and finite).
  bool readPositive(llvm::StringRef key, double &out, bool required = true) {
    const llvm::json::Value *v = get(key, required);
    if (!v)
      return !required;
    std::optional<double> d = v->getAsNumber();
    if (!d)
      return fail(key, "expected a number");
    if (!(*d > 0) || !std::isfinite(*d))
      return fail(key, llvm::formatv("{0} is not a positive number",
                                     llvm::json::Value(*d)));
    out = *d;
    return true;
  }

  const llvm::json::Object *readObject(llvm::StringRef key, bool required) {
    const llvm::json::Value *v = get(key, required);
    if (!v)
      return nullptr;
    const llvm::json::Object *o = v->getAsObject();
    if (!o)
      fail(key, "expected an object");
    return o;
  }

  /// Fails on the first field that was never read.
  bool rejectUnknown() {
    SmallVector<std::string> unknown;
    for (const auto &kv : object)
      if (!seen.contains(kv.first.str()))
        unknown.push_back(kv.first.str());
    if (unknown.empty())
      return true;
    llvm::sort(unknown);
    return fail(unknown.front(), "unknown field");
  }

private:
  const llvm::json::Object &object;
  std::string prefix;
  std::string &error;
  llvm::StringSet<> seen;
};
} // namespace

static constexpr int64_t kMaxSize = int64_t(1) << 30;

static bool parseNpuRef(FieldReader &top, const llvm::json::Object &root,
                        TargetDescription &target, std::string &error) {
  NpuRefParams &p = target.npuRef;
  if (!top.readPositive("clock_ghz", p.clockGHz) ||
      !top.readInt("element_bytes", p.elementBytes, 1, 8) ||
      !top.readPositive("dram_bytes_per_cycle", p.dramBytesPerCycle) ||
      !top.readInt("activation_buffer_bytes", p.activationBufferBytes, 0,
                   int64_t(1) << 40))
    return false;

  const llvm::json::Object *array = top.readObject("array", true);
  if (!array)
    return false;
  FieldReader arr(*array, "array.", error);
  if (!arr.readInt("rows", p.rows, 1, 4096) ||
      !arr.readInt("cols", p.cols, 1, 4096) ||
      !arr.readInt("tile_k", p.tileK, 1, kMaxSize) ||
      !arr.readInt("fill_cycles", p.fillCycles, 0, kMaxSize) ||
      !arr.rejectUnknown())
    return false;

  target.implementations = {kDenseImpl.str()};
  if (root.get("zero_skip")) {
    const llvm::json::Object *zs = top.readObject("zero_skip", false);
    if (!zs)
      return false;
    FieldReader z(*zs, "zero_skip.", error);
    if (!z.readInt("group", p.group, 1, 4096) ||
        !z.readInt("decode_cycles", p.decodeCycles, 0, kMaxSize) ||
        !z.rejectUnknown())
      return false;
    if (p.rows % p.group != 0)
      return z.fail("group", llvm::formatv("{0} does not divide 'array.rows' "
                                           "({1})",
                                           p.group, p.rows));
    if (p.tileK % p.group != 0)
      return z.fail("group", llvm::formatv("{0} does not divide "
                                           "'array.tile_k' ({1})",
                                           p.group, p.tileK));
    target.implementations.push_back("zskip");
  } else {
    top.get("zero_skip", false);
  }
  return true;
}

static bool parseX86(FieldReader &top, TargetDescription &target,
                     std::string &error) {
  X86Params &p = target.x86;
  if (!top.readInt("pattern_max_fmas", p.patternMaxFmas, 0, kMaxSize) ||
      !top.readPositive("layer_us", p.layerUs))
    return false;
  auto section = [&](llvm::StringRef name,
                     llvm::function_ref<bool(FieldReader &)> fields) {
    const llvm::json::Object *o = top.readObject(name, true);
    if (!o)
      return false;
    FieldReader r(*o, (name + ".").str(), error);
    return fields(r) && r.rejectUnknown();
  };
  if (!section("dense",
               [&](FieldReader &r) {
                 return r.readPositive("gflops", p.denseGflops);
               }) ||
      !section("csr",
               [&](FieldReader &r) {
                 p.csrDirectNsPerFma = 0;
                 p.csrCacheBytes = 0;
                 p.csrUncachedNsPerFma = 0;
                 if (!r.readPositive("ns_per_fma", p.csrNsPerFma) ||
                     !r.readPositive("ns_per_row", p.csrNsPerRow) ||
                     !r.readPositive("direct_ns_per_fma", p.csrDirectNsPerFma,
                                     /*required=*/false) ||
                     !r.readInt("cache_bytes", p.csrCacheBytes, 1, kMaxSize,
                                /*required=*/false) ||
                     !r.readPositive("uncached_ns_per_fma",
                                     p.csrUncachedNsPerFma,
                                     /*required=*/false))
                   return false;
                 if ((p.csrCacheBytes == 0) != (p.csrUncachedNsPerFma == 0))
                   return r.fail(p.csrCacheBytes == 0 ? "cache_bytes"
                                                      : "uncached_ns_per_fma",
                                 "missing (cache_bytes and "
                                 "uncached_ns_per_fma go together)");
                 if (p.csrDirectNsPerFma == 0)
                   p.csrDirectNsPerFma = p.csrNsPerFma;
                 if (p.csrUncachedNsPerFma == 0)
                   p.csrUncachedNsPerFma = p.csrNsPerFma;
                 return true;
               }) ||
      !section("pattern",
               [&](FieldReader &r) {
                 return r.readPositive("ns_per_fma", p.patternNsPerFma);
               }) ||
      !section(
          "narrow",
          [&](FieldReader &r) {
            std::string decode = "expandload";
            if (!r.readPositive("dense_ns_per_chunk", p.narrowNsPerChunk) ||
                !r.readPositive("bitmap_ns_per_chunk", p.bitmapNsPerChunk) ||
                !r.readString("bitmap_decode", decode, false))
              return false;
            if (decode != "expandload" && decode != "permute")
              return r.fail("bitmap_decode",
                            "'" + decode +
                                "' is not one of expandload, permute");
            p.bitmapPermute = decode == "permute";
            return true;
          }) ||
      !section("memory", [&](FieldReader &r) {
        return r.readPositive("gb_per_s", p.memoryGBps) &&
               r.readPositive("stage_ns_per_element", p.stageNsPerElement);
      }))
    return false;
  target.implementations = {kDenseImpl.str(), "csr", "pattern", "bitmap"};
  return true;
}

FailureOr<TargetDescription>
sparsity::parseTargetDescription(const llvm::json::Value &value,
                                 std::string &error) {
  error.clear();
  const llvm::json::Object *root = value.getAsObject();
  if (!root) {
    error = "a target description is a JSON object";
    return failure();
  }
  TargetDescription target;
  FieldReader top(*root, "", error);
  std::string description, kindName;
  if (!top.readString("name", target.name, true) ||
      !top.readString("kind", kindName, true) ||
      !top.readString("description", description, false))
    return failure();
  if (target.name.empty()) {
    top.fail("name", "must not be empty");
    return failure();
  }
  std::optional<TargetKind> kind = symbolizeTargetKind(kindName);
  if (!kind) {
    top.fail("kind", "'" + kindName +
                         "' is not a known kind (known: "
                         "npu-ref, x86-avx512)");
    return failure();
  }
  target.kind = *kind;
  bool parsed = false;
  switch (target.kind) {
  case TargetKind::NpuRef:
    parsed = parseNpuRef(top, *root, target, error);
    break;
  case TargetKind::X86AVX512:
    parsed = parseX86(top, target, error);
    break;
  }
  if (!parsed || !top.rejectUnknown())
    return failure();
  return target;
}

FailureOr<TargetDescription>
sparsity::parseTargetDescription(llvm::StringRef json, std::string &error) {
  llvm::Expected<llvm::json::Value> value = llvm::json::parse(json);
  if (!value) {
    error = "invalid JSON: " + llvm::toString(value.takeError());
    return failure();
  }
  return parseTargetDescription(*value, error);
}

/// Converts an attribute to the JSON value of the same shape.
static std::optional<llvm::json::Value>
attrToJSON(Attribute attr, const std::string &path, std::string &error) {
  if (auto s = dyn_cast<StringAttr>(attr))
    return llvm::json::Value(s.getValue().str());
  if (auto b = dyn_cast<BoolAttr>(attr))
    return llvm::json::Value(b.getValue());
  if (auto i = dyn_cast<IntegerAttr>(attr))
    return llvm::json::Value(i.getValue().getSExtValue());
  if (auto f = dyn_cast<FloatAttr>(attr))
    return llvm::json::Value(f.getValueAsDouble());
  if (auto d = dyn_cast<DictionaryAttr>(attr)) {
    llvm::json::Object object;
    for (NamedAttribute na : d) {
      std::optional<llvm::json::Value> v =
          attrToJSON(na.getValue(), path + na.getName().str() + ".", error);
      if (!v)
        return std::nullopt;
      object[na.getName().str()] = std::move(*v);
    }
    return llvm::json::Value(std::move(object));
  }
  std::string field = path.empty() ? path : path.substr(0, path.size() - 1);
  error = "field '" + field +
          "': expected a string, integer, float, bool or dictionary";
  return std::nullopt;
}

FailureOr<TargetDescription>
sparsity::parseTargetDescription(DictionaryAttr dict, std::string &error) {
  std::optional<llvm::json::Value> value = attrToJSON(dict, "", error);
  if (!value)
    return failure();
  return parseTargetDescription(*value, error);
}

FailureOr<TargetDescription> sparsity::resolveTarget(llvm::StringRef spec,
                                                     ModuleOp module,
                                                     std::string &error) {
  DictionaryAttr attr =
      module ? module->getAttrOfType<DictionaryAttr>(getTargetAttrName())
             : DictionaryAttr();
  if (spec.empty() || spec == "module") {
    if (!attr) {
      if (module && module->hasAttr(getTargetAttrName()))
        error = "the module's '" + getTargetAttrName().str() +
                "' attribute is not a dictionary";
      else
        error = "no target: give target=<preset>|<file.json> (presets: " +
                llvm::join(getTargetPresetNames(), ", ") + ") or a '" +
                getTargetAttrName().str() + "' attribute on the module";
      return failure();
    }
    FailureOr<TargetDescription> t = parseTargetDescription(attr, error);
    if (failed(t)) {
      error = "module attribute '" + getTargetAttrName().str() + "': " + error;
      return failure();
    }
    t->source = "module";
    return t;
  }

  llvm::StringRef preset = getTargetPresetJSON(spec);
  if (!preset.empty()) {
    FailureOr<TargetDescription> t = parseTargetDescription(preset, error);
    if (failed(t)) {
      error = "preset '" + spec.str() + "': " + error;
      return failure();
    }
    t->source = "preset";
    return t;
  }

  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> file =
      llvm::MemoryBuffer::getFile(spec);
  if (!file) {
    error = "target '" + spec.str() + "' is neither a preset (" +
            llvm::join(getTargetPresetNames(), ", ") +
            ") nor a readable file: " + file.getError().message();
    return failure();
  }
  FailureOr<TargetDescription> t =
      parseTargetDescription((*file)->getBuffer(), error);
  if (failed(t)) {
    error = "target file '" + spec.str() + "': " + error;
    return failure();
  }
  t->source = spec.str();
  return t;
}

llvm::json::Value sparsity::toJSON(const TargetDescription &target,
                                   MLIRContext *context) {
  // The attribute form is the one definition of the layout.
  std::string error;
  std::optional<llvm::json::Value> json =
      attrToJSON(toDictionaryAttr(target, context), "", error);
  assert(json && "a target's own attribute converts to JSON");
  return std::move(*json);
}

DictionaryAttr sparsity::toDictionaryAttr(const TargetDescription &target,
                                          MLIRContext *context) {
  const NpuRefParams &p = target.npuRef;
  Builder b(context);
  auto i64 = [&](llvm::StringRef name, int64_t v) {
    return b.getNamedAttr(name, b.getI64IntegerAttr(v));
  };
  auto f64 = [&](llvm::StringRef name, double v) {
    return b.getNamedAttr(name, b.getF64FloatAttr(v));
  };
  if (target.kind == TargetKind::X86AVX512) {
    const X86Params &x = target.x86;
    auto dict = [&](llvm::StringRef name, ArrayRef<NamedAttribute> fields) {
      return b.getNamedAttr(name, b.getDictionaryAttr(fields));
    };
    SmallVector<NamedAttribute> csrFields = {
        f64("ns_per_fma", x.csrNsPerFma), f64("ns_per_row", x.csrNsPerRow),
        f64("direct_ns_per_fma", x.csrDirectNsPerFma)};
    if (x.csrCacheBytes > 0) {
      csrFields.push_back(i64("cache_bytes", x.csrCacheBytes));
      csrFields.push_back(f64("uncached_ns_per_fma", x.csrUncachedNsPerFma));
    }
    return b.getDictionaryAttr({
        b.getNamedAttr("name", b.getStringAttr(target.name)),
        b.getNamedAttr("kind",
                       b.getStringAttr(stringifyTargetKind(target.kind))),
        i64("pattern_max_fmas", x.patternMaxFmas),
        f64("layer_us", x.layerUs),
        dict("dense", {f64("gflops", x.denseGflops)}),
        dict("csr", csrFields),
        dict("pattern", {f64("ns_per_fma", x.patternNsPerFma)}),
        dict("narrow",
             {f64("dense_ns_per_chunk", x.narrowNsPerChunk),
              f64("bitmap_ns_per_chunk", x.bitmapNsPerChunk),
              b.getNamedAttr("bitmap_decode",
                             b.getStringAttr(x.bitmapPermute ? "permute"
                                                             : "expandload"))}),
        dict("memory", {f64("gb_per_s", x.memoryGBps),
                        f64("stage_ns_per_element", x.stageNsPerElement)}),
    });
  }
  SmallVector<NamedAttribute> fields = {
      b.getNamedAttr("name", b.getStringAttr(target.name)),
      b.getNamedAttr("kind", b.getStringAttr(stringifyTargetKind(target.kind))),
      f64("clock_ghz", p.clockGHz),
      i64("element_bytes", p.elementBytes),
      f64("dram_bytes_per_cycle", p.dramBytesPerCycle),
      i64("activation_buffer_bytes", p.activationBufferBytes),
      b.getNamedAttr("array", b.getDictionaryAttr(
                                  {i64("rows", p.rows), i64("cols", p.cols),
                                   i64("tile_k", p.tileK),
                                   i64("fill_cycles", p.fillCycles)})),
  };
  if (llvm::is_contained(target.implementations, "zskip"))
    fields.push_back(b.getNamedAttr(
        "zero_skip",
        b.getDictionaryAttr(
            {i64("group", p.group), i64("decode_cycles", p.decodeCycles)})));
  return b.getDictionaryAttr(fields);
}
