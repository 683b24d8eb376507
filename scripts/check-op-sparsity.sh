#!/usr/bin/env bash
# Operation sparsity of the full-size (224x224) CNNs: exports torchvision's
# resnet18, resnet50, mobilenet_v2 and vgg16 (seeded, untrained) dense and
# pruned with global L1 magnitude pruning at 50/80/90 %, imports each, runs
# sparsity-opt --sparsity-report, checks the dense MACs against the published
# figures (within 1 %) and every report against test/Analysis/independent-count.py
# (exactly, layer by layer), then prints a table. "s_op, zeros only" leaves
# out the propagated savings: (structured + unstructured) / macs. Needs the build (build/bin)
# and Debian's python3-torch, python3-torchvision, python3-onnx, python3-numpy.
#
#   scripts/check-op-sparsity.sh [DIR]     (default /tmp/models)
#   ARCHS="resnet18 mobilenet_v2" scripts/check-op-sparsity.sh    (a subset)
#
# DIR keeps the ONNX files (reused when present: <arch>.onnx and
# <arch>_l1global<pct>.onnx), the reports (<name>.report.json), the
# comparisons (<name>.compare.txt) and a log with the time and peak memory of
# every step. The imported MLIR is deleted after use (VGG-16: over 1 GB).
# Exit status 1 if a MAC count is off by more than 1 % or a report differs
# from the independent count.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${1:-/tmp/models}"
bin="$root/build/bin"
py=/usr/bin/python3
count="$root/test/Analysis/independent-count.py"
mkdir -p "$dir"
log="$dir/check-op-sparsity.log"
: > "$log"

# Published dense multiply-accumulates at 224x224 (in GMACs).
declare -A published=([resnet18]=1.82 [resnet50]=4.09 [mobilenet_v2]=0.30 [vgg16]=15.5)

step() { # output-file, label, command...: runs it, logs wall time and peak RSS
  local out="$1" label="$2"; shift 2
  local rc=0
  /usr/bin/time -f "%e s, peak RSS %M KiB" -o "$dir/time.txt" "$@" >> "$out" 2>&1 || rc=$?
  echo "$label: $(tail -1 "$dir/time.txt")$( ((rc)) && echo ", FAILED (exit $rc)")" \
    | tee -a "$log" >&2
  return $rc
}

status=0
rows=()
for arch in ${ARCHS:-resnet18 resnet50 mobilenet_v2 vgg16}; do
  for pct in 0 50 80 90; do
    if (( pct == 0 )); then name=$arch; prune=(); label=dense
    else name=${arch}_l1global$pct; prune=(--prune "l1-global=0.$pct"); label="l1-global $pct %"
    fi
    onnx="$dir/$name.onnx"
    report="$dir/$name.report.json"
    mlir="$dir/$name.mlir"
    if [[ ! -s "$onnx" ]]; then
      step "$log" "export $name" "$py" "$root/models/export.py" --arch "$arch" "${prune[@]}" -q -o "$onnx"
    fi
    step "$log" "import $name" "$bin/sparsity-import-onnx" "$onnx" --mlir-print-debuginfo -o "$mlir"
    # The module goes to stdout, redirected: a failing run would remove its
    # -o file, /dev/null included when run as root.
    step "$log" "report $name" bash -c '"$@" > /dev/null' - "$bin/sparsity-opt" "$mlir" \
      --sparsity-report="format=json output=$report"
    rm -f "$mlir"
    match=yes
    : > "$dir/$name.compare.txt"
    if ! step "$dir/$name.compare.txt" "compare $name" "$py" "$count" "$onnx" --compare "$report"; then
      match=no
      status=1
    fi
    head -1 "$dir/$name.compare.txt" >> "$log"
    row=$("$py" -c '
import json, sys
m = json.load(open(sys.argv[1]))["model"]
pub = float(sys.argv[2]) * 1e9
dev = (m["macs"] - pub) / pub
zeros = m["saved_macs_structured"] + m["saved_macs_unstructured"]
print("{:.2f} % | {:.2f} % | {:.2f} % | {:,} | {:+.2f} %{}".format(
    100 * m["param_sparsity"], 100 * m["op_sparsity"], 100 * zeros / m["macs"],
    m["macs"], 100 * dev, "" if abs(dev) <= 0.01 else " (over 1 %)"))
' "$report" "${published[$arch]}")
    [[ "$row" != *"over 1 %"* ]] || status=1
    rows+=("| $arch | $label | $row | ${published[$arch]} G | $match |")
  done
done

echo
echo "| model | prune | s_param | s_op | s_op, zeros only | dense MACs | deviation | published | matches independent count |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---|"
printf '%s\n' "${rows[@]}"
exit $status
