#!/usr/bin/env bash
# --sparsity-fold-structured on the full-size models: each is exported with
# models/export.py (seed 0, 224x224 CNNs, BERT-style encoder with 12 layers,
# sequence 128), imported, channel-pruned with
#   --sparsity-prune="granularity=channel scope=layer target=T"
# (T = 0.5 unless FOLD_TARGETS says otherwise), then folded. Per model and T:
#   fold s      median wall time of 3 runs of the fold (parse and print
#               included), and of a plain parse+print of the pruned model
#   MACs        before and after (the pass's summary remark)
#   compare     sparsity-run folded.mlir --compare pruned.mlir (rtol 1e-5,
#               atol 1e-5, the same random inputs): must match
#   latency     sparsity-run --bench N (default 5) of the pruned and of the
#               folded model, same pipeline (sparsity-cpu-pipeline), medians
#               in ms, and their ratio
# Exit status 1 if a fold or a comparison fails. Prints a Markdown table.
# Needs the build (build/bin) and Debian's python3-torch/torchvision/onnx.
#
#   bench/fold.sh [work-dir]               (default: build/bench-fold)
#   FOLD_MODELS="resnet50 mobilenet_v2" FOLD_TARGETS="0.3 0.5 0.7" bench/fold.sh
#   FOLD_BENCH=N bench/fold.sh      (FOLD_BENCH=0: no latency runs)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${1:-$root/build/bench-fold}"
mkdir -p "$work"
bin="${SPARSITY_BIN:-$root/build/bin}"
py=/usr/bin/python3
models=(${FOLD_MODELS:-resnet18 resnet50 mobilenet_v2 vgg16 bert_encoder})
targets=(${FOLD_TARGETS:-0.5})
bench_n="${FOLD_BENCH:-5}"

seconds() { # command...: wall seconds of one run, output discarded
  local start end
  start=$(date +%s.%N)
  "$@" > /dev/null 2>&1
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}
median3() { printf '%s\n' "$@" | sort -g | sed -n 2p; }
latency() { # file: median latency in ms from sparsity-run --bench
  "$bin/sparsity-run" "$1" --bench "$bench_n" 2>&1 |
    sed -n 's/.*median \([0-9.]*\) ms.*/\1/p' | head -1
}

echo "| model | T | parse+print s | fold s | MACs pruned | MACs folded | compare | pruned ms | folded ms | speedup |"
echo "|---|---:|---:|---:|---:|---:|---|---:|---:|---:|"
status=0
for m in "${models[@]}"; do
  onnx="$work/$m.onnx"
  [[ -f $onnx ]] || $py "$root/models/export.py" --arch "$m" -o "$onnx" > /dev/null
  "$bin/sparsity-import-onnx" "$onnx" -o "$work/$m.mlir"
  for t in "${targets[@]}"; do
    p="$work/$m.p$t.mlir" f="$work/$m.f$t.mlir"
    "$bin/sparsity-opt" "$work/$m.mlir" --mlir-print-debuginfo \
      --sparsity-prune="granularity=channel scope=layer target=$t" -o "$p" 2> /dev/null
    parse=() fold=()
    for _ in 1 2 3; do
      parse+=("$(seconds "$bin/sparsity-opt" "$p" -o "$work/parse.mlir")")
      fold+=("$(seconds "$bin/sparsity-opt" "$p" --sparsity-fold-structured -o "$f")")
    done
    if ! "$bin/sparsity-opt" "$p" --sparsity-fold-structured -o "$f" 2> "$work/$m.f$t.log"; then
      echo "fold failed: $m $t" >&2; status=1; continue
    fi
    macs=$(sed -n 's/.*MACs \([0-9]*\) -> \([0-9]*\).*/\1 \2/p' "$work/$m.f$t.log")
    cmp=match
    "$bin/sparsity-run" "$f" --compare "$p" --rtol 1e-5 --atol 1e-5 > "$work/$m.cmp$t.log" 2>&1 ||
      { cmp="MISMATCH"; status=1; }
    lp=- lf=- speedup=-
    if (( bench_n > 0 )); then
      lp=$(latency "$p") lf=$(latency "$f")
      speedup=$(printf '%.2fx' "$(echo "$lp / $lf" | bc -l)")
    fi
    printf '| %s | %s | %.2f | %.2f | %s | %s | %s | %s | %s | %s |\n' "$m" "$t" \
      "$(median3 "${parse[@]}")" "$(median3 "${fold[@]}")" ${macs:-? ?} "$cmp" \
      "$lp" "$lf" "$speedup"
  done
done
exit $status
