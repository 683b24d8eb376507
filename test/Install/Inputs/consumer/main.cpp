//===- main.cpp - downstream use of the installed sparsity-mlir ----------===//
//
// Parses, queries and composes patterns through the installed C++ API.
//
//===----------------------------------------------------------------------===//

#include "sparsity-mlir/Dialect/Sparsity/IR/SparsityAttrs.h"
#include "sparsity-mlir/Dialect/Sparsity/IR/SparsityDialect.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::sparsity;

static PatternAttr parse(MLIRContext &context, llvm::StringRef text) {
  return llvm::cast<PatternAttr>(parseAttribute(text, &context));
}

int main() {
  MLIRContext context;
  context.loadDialect<SparsityDialect>();
  PatternAttr pattern =
      parse(context, "#sparsity.pattern<channels<dim = 0, pruned = [1, 3]>, "
                     "unstructured<nnz = 10>>");
  int64_t shape[] = {4, 8};
  llvm::outs() << "parsed: " << pattern << "\n";
  llvm::outs() << "max nnz for 4x8: " << *pattern.getMaxNnz(shape) << "\n";
  llvm::outs() << "kept output channels:";
  for (int64_t index : pattern.getKeptIndices(0, 4))
    llvm::outs() << " " << index;
  llvm::outs() << "\n";
  PatternAttr filter3 =
      parse(context, "#sparsity.pattern<channels<dim = 0, pruned = [3]>>");
  PatternAttr oneOfTwo = parse(context, "#sparsity.pattern<nm<1:2, dim = 1>>");
  llvm::outs() << "implies channels<dim = 0, pruned = [3]>: "
               << (pattern.implies(filter3, shape) ? "yes" : "no") << "\n";
  llvm::outs() << "implies nm<1:2, dim = 1>: "
               << (pattern.implies(oneOfTwo, shape) ? "yes" : "no") << "\n";
  FailureOr<PatternAttr> composed = pattern.compose(
      parse(context, "#sparsity.pattern<nm<3:4, dim = 1>>"), shape);
  if (failed(composed))
    return 1;
  llvm::outs() << "composed: " << *composed << "\n";
  return 0;
}
