//===- PassOptions.h - typed pass options and short errors ------*- C++ -*-===//
//
// Part of sparsity-mlir. What every pass of the project needs to take typed
// options and reject bad ones in one line:
//  - `EnumOptionParser<E>`: an llvm::cl parser for an enum whose names are
//    listed once, in `OptionEnumTraits<E>`; it is what the pass options of
//    type `E` parse with (specialize `llvm::cl::parser<E>` to derive from
//    it), and its error lists the valid names;
//  - `checkPassOptions`: called from a pass's `initializeOptions`, it checks
//    an option string before MLIR parses it, so that a misspelt option name
//    gets the nearest valid one suggested and a bad value a one-line error
//    naming the option (MLIR's own parser prints llvm::cl's message and an
//    empty error line instead).
//
//===----------------------------------------------------------------------===//

#ifndef SPARSITY_MLIR_SUPPORT_PASSOPTIONS_H
#define SPARSITY_MLIR_SUPPORT_PASSOPTIONS_H

#include "mlir/Pass/Pass.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>
#include <string>
#include <utility>

namespace mlir {
namespace sparsity {

/// The names of the values of an enum-valued option, in the order they are
/// listed in messages: specialize with
/// `static ArrayRef<std::pair<StringLiteral, E>> getValues()`.
template <typename E> struct OptionEnumTraits;

/// "a", "a or b", "a, b or c".
std::string formatAlternatives(ArrayRef<StringRef> names);

/// The name of `value`.
template <typename E> StringRef stringifyOptionEnum(E value) {
  for (const auto &[name, candidate] : OptionEnumTraits<E>::getValues())
    if (candidate == value)
      return name;
  return "";
}

/// The value named `name`; otherwise std::nullopt, with `error` saying which
/// names are valid.
template <typename E>
std::optional<E> symbolizeOptionEnum(StringRef name, std::string &error) {
  SmallVector<StringRef> names;
  for (const auto &[candidate, value] : OptionEnumTraits<E>::getValues()) {
    if (candidate == name)
      return value;
    names.push_back(candidate);
  }
  error = "unknown value '" + name.str() + "' (expected " +
          formatAlternatives(names) + ")";
  return std::nullopt;
}

/// What the llvm::cl parsers of typed options share: `Derived` provides
/// `static std::optional<T> parseValue(StringRef, std::string &error)`; the
/// option is parsed, and checked before MLIR parses the pass options, by
/// that one function.
template <typename T, typename Derived>
class CheckedOptionParser : public llvm::cl::basic_parser<T> {
public:
  using llvm::cl::basic_parser<T>::basic_parser;

  /// Parses `arg`; true (after reporting on `option`) on error.
  bool parse(llvm::cl::Option &option, StringRef, StringRef arg, T &value) {
    std::string error;
    std::optional<T> parsed = Derived::parseValue(arg, error);
    if (!parsed)
      return option.error(error);
    value = *parsed;
    return false;
  }

  /// The parse error of `arg`, or "" when it is valid.
  static std::string check(StringRef arg) {
    std::string error;
    (void)Derived::parseValue(arg, error);
    return error;
  }

  StringRef getValueName() const override { return "value"; }
};

/// The llvm::cl parser of an enum with OptionEnumTraits: pass options of
/// type E use it once `llvm::cl::parser<E>` derives from it.
template <typename E>
class EnumOptionParser : public CheckedOptionParser<E, EnumOptionParser<E>> {
public:
  using CheckedOptionParser<E, EnumOptionParser<E>>::CheckedOptionParser;

  /// The value named `arg`, or std::nullopt with the valid names in `error`.
  static std::optional<E> parseValue(StringRef arg, std::string &error) {
    return symbolizeOptionEnum<E>(arg, error);
  }

  /// The name of `value`, for printed pipelines.
  static void print(raw_ostream &os, E value) {
    os << stringifyOptionEnum(value);
  }

  /// Prints the value and its default (`--help-list` style).
  void printOptionDiff(const llvm::cl::Option &option, E value,
                       const llvm::cl::OptionValue<E> &defaultValue,
                       size_t globalWidth) const {
    this->printOptionName(option, globalWidth);
    llvm::outs() << "= " << stringifyOptionEnum(value);
    if (defaultValue.hasValue())
      llvm::outs() << " (default: "
                   << stringifyOptionEnum(defaultValue.getValue()) << ")";
    llvm::outs() << "\n";
  }
};

/// The llvm::cl parser of a value type T with `static std::optional<T>
/// T::parse(StringRef, std::string &error)` and `void T::print(raw_ostream
/// &) const`: pass options of type T use it once `llvm::cl::parser<T>`
/// derives from it.
template <typename T>
class ValueOptionParser : public CheckedOptionParser<T, ValueOptionParser<T>> {
public:
  using CheckedOptionParser<T, ValueOptionParser<T>>::CheckedOptionParser;

  /// The value `arg` spells, or std::nullopt with the reason in `error`.
  static std::optional<T> parseValue(StringRef arg, std::string &error) {
    return T::parse(arg, error);
  }

  /// The value as its option text, for printed pipelines.
  static void print(raw_ostream &os, const T &value) { value.print(os); }

  /// Prints the value (`--help-list` style).
  void printOptionDiff(const llvm::cl::Option &option, const T &value,
                       const llvm::cl::OptionValue<T> &, size_t width) const {
    this->printOptionName(option, width);
    llvm::outs() << "= ";
    value.print(llvm::outs());
    llvm::outs() << "\n";
  }
};

/// How the value of one option is checked: its parse error, or "".
struct OptionCheck {
  StringRef name;
  std::string (*check)(StringRef value);
};

/// The parse error of a floating-point option value, or "".
std::string checkDoubleOption(StringRef value);
/// The parse error of an integer option value, or "".
std::string checkIntegerOption(StringRef value);
/// The parse error of a boolean option value, or "".
std::string checkBoolOption(StringRef value);

/// Checks the option string `options` of `pass` before MLIR parses it: every
/// key must be one of the pass's options (the nearest one is suggested
/// otherwise), and the values of the options in `checks` must be given and
/// parse (a boolean may be a bare flag; an empty value is an error). Reports
/// the first problem through `errorHandler`, one line prefixed by the pass's
/// argument, and returns failure; success otherwise.
LogicalResult
checkPassOptions(Pass &pass, StringRef options, ArrayRef<OptionCheck> checks,
                 function_ref<LogicalResult(const Twine &)> errorHandler);

} // namespace sparsity
} // namespace mlir

#endif // SPARSITY_MLIR_SUPPORT_PASSOPTIONS_H
