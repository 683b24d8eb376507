#!/usr/bin/env bash
# Cost of --sparsity-prune on a full-size ResNet-50 (224x224, 25.5 M conv/fc
# weights) and on a BERT-base-size encoder (hidden 768, FFN 3072, 12 heads,
# sequence 128, 16 layers: 113.2 M MatMul weights, 113.4 M parameters; the
# 12-layer encoder has 85 M: BERT-base's 110 M include 23.8 M of embeddings,
# which are not matmul weights, so four more layers stand in for them).
# Each model is exported with models/export.py (seed 0) and imported with
# sparsity-import-onnx, then these commands run 3 times each, alternating, and
# the median wall time, the median CPU time (user + system) and the largest
# peak RSS (/usr/bin/time -v, "Maximum resident set size") are reported:
#   parse+print   sparsity-opt FILE > /dev/null
#   params        sparsity-opt FILE --sparsity-prune="metric=params target=0.5" > /dev/null
#   ops           sparsity-opt FILE --sparsity-prune="metric=ops target=0.5" > /dev/null
#   channel       sparsity-opt FILE --sparsity-prune="granularity=channel target=0.5" > /dev/null
# (global unstructured L1 for the first two). The module goes to stdout rather
# than -o /dev/null: a failing run removes its -o file, and as root that would
# be /dev/null itself.
# Acceptance: prune median <= 5 s (ResNet-50), <= 20 s (BERT); peak RSS <=
# 2 x the layers' weight bytes (the report's params x 4, f32) + the parse+print
# peak RSS. Exit status 1 if any prune run fails or misses either limit.
# Needs the build (build/bin) and Debian's python3-torch/torchvision/onnx.
# Prints a Markdown table; the figures behind the memory limit and the pass's
# remarks follow as HTML comments.
#
#   bench/prune.sh [work-dir]     (default: build/bench-prune)
#   RESNET50_ONNX=... BERT_ONNX=... bench/prune.sh   (reuse exports)
#   SPARSITY_BIN=DIR bench/prune.sh   (tools from DIR, e.g. a copy of build/bin
#                                      that a rebuild cannot change mid-run)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${1:-$root/build/bench-prune}"
mkdir -p "$work"
bin="${SPARSITY_BIN:-$root/build/bin}"
opt="$bin/sparsity-opt"
import="$bin/sparsity-import-onnx"
py=/usr/bin/python3
runs=3

declare -A onnx=([resnet50]="${RESNET50_ONNX:-$work/resnet50.onnx}"
                 [bert_base16]="${BERT_ONNX:-$work/bert_base16.onnx}")
declare -A export_args=([resnet50]="--arch resnet50"
                        [bert_base16]="--arch bert_encoder --layers 16")
declare -A limit_s=([resnet50]=5 [bert_base16]=20)
declare -A options=(
  [params]="--sparsity-prune=metric=params target=0.5"
  [ops]="--sparsity-prune=metric=ops target=0.5"
  [channel]="--sparsity-prune=granularity=channel target=0.5")
variants=(parse params ops channel)

measure() { # tag, command...: one run, stdout to /dev/null; appends
            # "<seconds> <peak KiB>" to $work/<tag>.txt
  local tag="$1"; shift
  local rc=0
  /usr/bin/time -v -o "$work/time.v" "$@" > /dev/null 2> "$work/$tag.err" || rc=$?
  if (( rc )); then
    echo "FAILED (exit $rc): $*" >&2
    cat "$work/$tag.err" >&2
    return $rc
  fi
  awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0
                                          for (i = 1; i <= n; ++i) s = s * 60 + p[i] }
              /Maximum resident set size/ { m = $2 }
              /User time \(seconds\)|System time \(seconds\)/ { c += $2 }
              END { print s, m, c }' "$work/time.v" >> "$work/$tag.txt"
}
median() { cut -d' ' -f1 "$work/$1.txt" | sort -g | sed -n "$(( (runs + 1) / 2 ))p"; }
peak() { cut -d' ' -f2 "$work/$1.txt" | sort -g | tail -1; }
cpu() { cut -d' ' -f3 "$work/$1.txt" | sort -g | sed -n "$(( (runs + 1) / 2 ))p"; }
runs_of() { cut -d' ' -f1 "$work/$1.txt" | tr '\n' ' ' | sed 's/ $//'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }

status=0
echo "| model | command | median of $runs (wall) | runs (s) | CPU (median) | peak RSS | limit | within |"
echo "|---|---|---:|---|---:|---:|---|---|"
for model in resnet50 bert_base16; do
  file="${onnx[$model]}"
  if [[ ! -f "$file" ]]; then
    # shellcheck disable=SC2086
    "$py" "$root/models/export.py" ${export_args[$model]} -q -o "$file"
  fi
  mlir="$work/$model.mlir"
  "$import" "$file" -o "$mlir"
  # Weight bytes of the layers the pass prunes (f32: 4 bytes a weight).
  "$opt" "$mlir" --sparsity-report="format=json output=$work/$model.report.json" \
    > /dev/null 2>&1
  params=$("$py" -c 'import json, sys; print(json.load(open(sys.argv[1]))["model"]["params"])' \
    "$work/$model.report.json")
  weight_kib=$(( params * 4 / 1024 ))
  for v in "${variants[@]}"; do rm -f "$work/$model.$v.txt"; done
  for _ in $(seq "$runs"); do
    for v in "${variants[@]}"; do
      if [[ $v == parse ]]; then
        measure "$model.$v" "$opt" "$mlir" || status=1
      else
        measure "$model.$v" "$opt" "$mlir" "${options[$v]}" || status=1
      fi
    done
  done
  base_kib=$(peak "$model.parse")
  mem_limit=$(( 2 * weight_kib + base_kib ))
  for v in "${variants[@]}"; do
    t=$(median "$model.$v"); m=$(peak "$model.$v")
    if [[ $v == parse ]]; then
      echo "| $model | \`sparsity-opt $model.mlir\` | $t s | $(runs_of "$model.$v") | $(cpu "$model.$v") s | $(mib "$m") MiB | | |"
      continue
    fi
    ok=yes
    awk -v t="$t" -v l="${limit_s[$model]}" 'BEGIN { exit !(t <= l) }' || ok=no
    (( m <= mem_limit )) || ok=no
    [[ $ok == yes ]] || status=1
    shown="${options[$v]/--sparsity-prune=/--sparsity-prune=\"}\""
    echo "| $model | \`sparsity-opt $model.mlir $shown\` | $t s | $(runs_of "$model.$v") | $(cpu "$model.$v") s | $(mib "$m") MiB | ${limit_s[$model]} s, $(mib "$mem_limit") MiB | $ok |"
  done
  echo "<!-- $model: $params layer weights = $(mib "$weight_kib") MiB; memory limit 2 x $(mib "$weight_kib") + parse+print $(mib "$base_kib") = $(mib "$mem_limit") MiB -->"
  grep -h "sparsity-prune:" "$work/$model".{params,ops,channel}.err | sed 's/^/<!-- /; s/$/ -->/'
done
exit $status
