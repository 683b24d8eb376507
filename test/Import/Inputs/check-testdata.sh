#!/bin/bash
# check-testdata.sh CASE_DIR WORK_PREFIX [--const=K,...] [sparsity-run options...]
# Imports CASE_DIR/model.onnx, converts test_data_set_0/{input,output}_*.pb to
# .npy and runs the module on the inputs with sparsity-run --compare against
# the expected outputs. Inputs listed in --const (by index) are baked into the
# model with --const-input instead (shapes, axes, pads the importer needs as
# constants). Exits non-zero on any failure or mismatch.
set -euo pipefail
dir=$1 work=$2
shift 2
consts=","
if [[ $# -gt 0 && $1 == --const=* ]]; then
  consts=",${1#--const=},"
  shift
fi
import=()
args=()
for f in "$dir"/test_data_set_0/input_*.pb; do
  [ -e "$f" ] || continue
  k=$(basename "$f" .pb)
  k=${k#input_}
  if [[ $consts == *",$k,"* ]]; then
    import+=(--const-input "$f")
    continue
  fi
  sparsity-import-onnx --tensor-to-npy "$f" -o "$work.input_$k.npy"
  args+=(--input "$work.input_$k.npy")
done
sparsity-import-onnx --locations=false "$dir/model.onnx" "${import[@]}" -o "$work.mlir"
for f in "$dir"/test_data_set_0/output_*.pb; do
  sparsity-import-onnx --tensor-to-npy "$f" -o "$work.$(basename "$f" .pb).npy"
  args+=(--compare "$work.$(basename "$f" .pb).npy")
done
sparsity-run "$work.mlir" "${args[@]}" "$@"
