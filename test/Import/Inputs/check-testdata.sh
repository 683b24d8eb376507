#!/bin/bash
# check-testdata.sh CASE_DIR WORK_PREFIX [sparsity-run options...]
# Imports CASE_DIR/model.onnx, converts test_data_set_0/{input,output}_*.pb to
# .npy and runs the module on the inputs with sparsity-run --compare against
# the expected outputs. Exits non-zero on any failure or mismatch.
set -euo pipefail
dir=$1 work=$2
shift 2
sparsity-import-onnx "$dir/model.onnx" -o "$work.mlir"
args=()
for f in "$dir"/test_data_set_0/input_*.pb; do
  [ -e "$f" ] || continue
  sparsity-import-onnx --tensor-to-npy "$f" -o "$work.$(basename "$f" .pb).npy"
  args+=(--input "$work.$(basename "$f" .pb).npy")
done
for f in "$dir"/test_data_set_0/output_*.pb; do
  sparsity-import-onnx --tensor-to-npy "$f" -o "$work.$(basename "$f" .pb).npy"
  args+=(--compare "$work.$(basename "$f" .pb).npy")
done
sparsity-run "$work.mlir" "${args[@]}" "$@"
