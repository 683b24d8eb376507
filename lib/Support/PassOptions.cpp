//===- PassOptions.cpp - typed pass options and short errors --------------===//
//
// Part of sparsity-mlir. See PassOptions.h.
//
//===----------------------------------------------------------------------===//

#include "sparsity-mlir/Support/PassOptions.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace mlir::sparsity;

std::string mlir::sparsity::formatAlternatives(ArrayRef<StringRef> names) {
  std::string text;
  for (auto [i, name] : llvm::enumerate(names)) {
    if (i > 0)
      text += i + 1 == names.size() ? " or " : ", ";
    text += name.str();
  }
  return text;
}

std::string mlir::sparsity::checkDoubleOption(StringRef value) {
  double parsed;
  if (llvm::to_float(value, parsed))
    return "";
  return "'" + value.str() + "' is not a number";
}

std::string mlir::sparsity::checkIntegerOption(StringRef value) {
  int64_t parsed;
  if (!value.getAsInteger(0, parsed))
    return "";
  return "'" + value.str() + "' is not an integer";
}

std::string mlir::sparsity::checkBoolOption(StringRef value) {
  if (llvm::is_contained(
          {"true", "TRUE", "True", "1", "false", "FALSE", "False", "0"}, value))
    return "";
  return "'" + value.str() + "' is not a boolean (expected true or false)";
}

namespace {
/// One `key[=value]` of an option string.
struct OptionEntry {
  StringRef key;
  std::optional<StringRef> value;
};
} // namespace

/// Splits an option string the way MLIR's pass option parser does: entries
/// separated by spaces, a value running to the next space outside braces and
/// quotes, one pair of enclosing braces removed.
static SmallVector<OptionEntry> splitOptions(StringRef text) {
  SmallVector<OptionEntry> entries;
  while (!(text = text.ltrim()).empty()) {
    size_t keyEnd = text.find_first_of("= ");
    OptionEntry entry;
    entry.key = text.take_front(keyEnd);
    if (keyEnd == StringRef::npos || text[keyEnd] == ' ') {
      entries.push_back(entry);
      text = keyEnd == StringRef::npos ? StringRef() : text.drop_front(keyEnd);
      continue;
    }
    size_t end = keyEnd + 1;
    int depth = 0;
    char quote = 0;
    for (; end < text.size(); ++end) {
      char c = text[end];
      if (quote) {
        quote = c == quote ? 0 : quote;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '{') {
        ++depth;
      } else if (c == '}') {
        --depth;
      } else if (c == ' ' && depth <= 0) {
        break;
      }
    }
    StringRef value = text.slice(keyEnd + 1, end);
    if (value.size() >= 2 && value.front() == '{' && value.back() == '}')
      value = value.drop_front().drop_back();
    entry.value = value;
    entries.push_back(entry);
    text = text.drop_front(end);
  }
  return entries;
}

LogicalResult mlir::sparsity::checkPassOptions(
    Pass &pass, StringRef options, ArrayRef<OptionCheck> checks,
    function_ref<LogicalResult(const Twine &)> errorHandler) {
  // The pass's own option names, from its textual form
  // (`arg{name=value ...}`): the list cannot drift from the pass.
  std::string printed;
  llvm::raw_string_ostream os(printed);
  pass.printAsTextualPipeline(os);
  StringRef inner = StringRef(printed);
  size_t open = inner.find('{');
  inner = open == StringRef::npos
              ? StringRef()
              : inner.drop_front(open + 1).drop_back(inner.ends_with("}"));
  SmallVector<StringRef> names;
  for (const OptionEntry &entry : splitOptions(inner))
    names.push_back(entry.key);

  StringRef passName = pass.getArgument();
#ifndef NDEBUG
  for (const OptionCheck &check : checks)
    assert(llvm::is_contained(names, check.name) &&
           "a checked option is not an option of the pass");
#endif
  for (const OptionEntry &entry : splitOptions(options)) {
    if (!llvm::is_contained(names, entry.key)) {
      StringRef nearest;
      unsigned best = ~0u;
      for (StringRef name : names) {
        unsigned distance = entry.key.edit_distance(name, true, best);
        if (distance < best) {
          best = distance;
          nearest = name;
        }
      }
      std::string message =
          (passName + ": no option '" + entry.key + "'").str();
      if (!nearest.empty() &&
          best <= std::max<unsigned>(2, entry.key.size() / 3))
        message += " (did you mean '" + nearest.str() + "'?)";
      else if (!names.empty())
        message += " (options: " + formatAlternatives(names) + ")";
      return errorHandler(message);
    }
    const OptionCheck *check = llvm::find_if(
        checks, [&](const OptionCheck &c) { return c.name == entry.key; });
    bool isBool = check != checks.end() && check->check == checkBoolOption;
    if (!entry.value) {
      if (isBool || check == checks.end())
        continue;
      return errorHandler(passName + ": option '" + entry.key +
                          "' needs a value ('" + entry.key + "=...')");
    }
    if (check == checks.end())
      continue;
    if (entry.value->empty())
      return errorHandler(passName + ": option '" + entry.key +
                          "' has an empty value");
    std::string error = check->check(*entry.value);
    if (!error.empty())
      return errorHandler(passName + ": option '" + entry.key + "': " + error);
  }
  return success();
}
