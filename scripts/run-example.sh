#!/usr/bin/env bash
# Sets up, builds sparsity-opt, and runs the main job on the bundled example
# model (models/examples/tiny_cnn.mlir, a small pruned CNN): attach the exact
# sparsity pattern of every constant weight and print the annotated model.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

"$SPARSITY_ROOT/scripts/setup.sh"
dir="$SPARSITY_ROOT/build"
sparsity_configure "$dir" -DCMAKE_BUILD_TYPE=Release
ninja -C "$dir" -j "$SPARSITY_JOBS" sparsity-opt

model="$SPARSITY_ROOT/models/examples/tiny_cnn.mlir"
echo "== sparsity-opt --sparsity-annotate $model"
echo "   (weights elided in the print-out; patterns are exact)"
"$dir/bin/sparsity-opt" "$model" --sparsity-annotate \
  --mlir-elide-elementsattrs-if-larger=16
