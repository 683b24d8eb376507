#!/usr/bin/env bash
# Proves that a change of the code leaves the tools' output unchanged, byte
# for byte, on the full-size models: run it once with the binaries from
# before the change and once with those from after, then compare.
#
#   scripts/check-equivalence.sh run BIN_DIR MODEL_DIR OUT_DIR
#       runs every stage below on every model MODEL_DIR/<model>.onnx
#       (default models: resnet50 mobilenet_v2 vgg16 bert_encoder, or
#       EQUIV_MODELS="..."), writes OUT_DIR/<model>.<stage>.{out,err} and
#       OUT_DIR/manifest.txt: one line "<model> <stage> <rc> <sha256 out>
#       <sha256 stderr>" per stage.
#   scripts/check-equivalence.sh compare OUT_DIR_A OUT_DIR_B
#       prints every stage whose exit status, output or stderr differs;
#       exit status 1 if any output or exit status differs.
#
# The models come from models/export.py (seed 0, full size):
#   for a in resnet50 mobilenet_v2 vgg16 bert_encoder; do
#     /usr/bin/python3 models/export.py --arch $a -o MODEL_DIR/$a.onnx; done
#
# Stages, each on the output of the stage it names (all printed with
# --mlir-print-debuginfo, so locations count too):
#   import        sparsity-import-onnx <model>.onnx
#   annotate      --sparsity-annotate                           (import)
#   report        --sparsity-report=format=json, the JSON file  (import)
#   prune-params  --sparsity-prune=metric=params target=0.7     (import)
#   prune-ops     --sparsity-prune=metric=ops target=0.7        (import)
#   prune-channel --sparsity-prune=granularity=channel scope=layer
#                 target=0.5                                    (import)
#   prune-hybrid  --sparsity-prune=hybrid=auto device=npu-ref-g1
#                 metric=ops target=0.7                         (import)
#   fold          --sparsity-fold-structured                    (prune-channel)
#   fold-hybrid   --sparsity-fold-structured                    (prune-hybrid)
#   lower-npu     --sparsity-plan=target=npu-ref-g1 --sparsity-lower
#                                                               (prune-ops)
#   lower-x86     --sparsity-plan=target=x86-avx512 --sparsity-lower
#                                                               (prune-ops)
# EQUIV_KEEP=0 deletes a model's outputs once hashed (keep them for the
# "before" run, to look into a difference). Each stage's stderr (remarks,
# summaries) is hashed too; a difference there is reported but, where
# intended (a reworded message), does not fail the comparison by itself.
set -uo pipefail

usage() { sed -n '2,39p' "$0"; exit 2; }

run_stages() {
  local bin="$1" models="$2" out="$3"
  mkdir -p "$out"
  local manifest="$out/manifest.txt"
  : > "$manifest"
  local m
  for m in ${EQUIV_MODELS:-resnet50 mobilenet_v2 vgg16 bert_encoder}; do
    local onnx="$models/$m.onnx"
    [[ -f $onnx ]] || { echo "check-equivalence: no $onnx" >&2; exit 2; }
    stage() { # name input-stage tool-args...
      local name="$1" input="$2"
      shift 2
      local o="$out/$m.$name.out" e="$out/$m.$name.err" rc=0
      local start=$SECONDS
      if [[ $input == onnx ]]; then
        "$bin/sparsity-import-onnx" "$onnx" --mlir-print-debuginfo -o "$o" \
          2> "$e" || rc=$?
      else
        "$bin/sparsity-opt" "$out/$m.$input.out" --mlir-print-debuginfo \
          "$@" -o "$o" 2> "$e" || rc=$?
      fi
      # The report pass writes its JSON to a file: hash that, not the IR.
      if [[ $name == report ]]; then mv "$out/$m.report.json" "$o"; fi
      sed -i "s|$out/||g" "$e"
      echo "$m $name $rc $(sha256sum < "$o" | cut -c1-16)" \
        "$(sha256sum < "$e" | cut -c1-16)" >> "$manifest"
      echo "check-equivalence: $m $name rc=$rc ($((SECONDS - start)) s)" >&2
    }
    stage import onnx
    stage annotate import --sparsity-annotate
    stage report import \
      "--sparsity-report=format=json output=$out/$m.report.json"
    stage prune-params import "--sparsity-prune=metric=params target=0.7"
    stage prune-ops import "--sparsity-prune=metric=ops target=0.7"
    stage prune-channel import \
      "--sparsity-prune=granularity=channel scope=layer target=0.5"
    stage prune-hybrid import \
      "--sparsity-prune=hybrid=auto device=npu-ref-g1 metric=ops target=0.7"
    stage fold prune-channel --sparsity-fold-structured
    stage fold-hybrid prune-hybrid --sparsity-fold-structured
    stage lower-npu prune-ops --sparsity-plan=target=npu-ref-g1 \
      --sparsity-lower
    stage lower-x86 prune-ops --sparsity-plan=target=x86-avx512 \
      --sparsity-lower
    # EQUIV_KEEP=0: the outputs (a GiB each for vgg16) are not kept once
    # hashed; the stderr files stay.
    if [[ ${EQUIV_KEEP:-1} == 0 ]]; then rm -f "$out/$m".*.out; fi
  done
}

compare() {
  local a="$1/manifest.txt" b="$2/manifest.txt" status=0 same=0 total=0
  [[ -f $a && -f $b ]] || { echo "check-equivalence: missing manifest" >&2; exit 2; }
  while read -r m name rc out err; do
    total=$((total + 1))
    local other
    other=$(awk -v m="$m" -v n="$name" '$1 == m && $2 == n' "$b")
    if [[ -z $other ]]; then
      echo "MISSING $m $name"; status=1; continue
    fi
    read -r _ _ rc2 out2 err2 <<< "$other"
    if [[ $rc != "$rc2" || $out != "$out2" ]]; then
      echo "DIFFERS $m $name: exit $rc -> $rc2, output $out -> $out2"
      status=1
    elif [[ $err != "$err2" ]]; then
      echo "STDERR  $m $name: output identical, diagnostics differ:"
      diff "$1/$m.$name.err" "$2/$m.$name.err" | head -20 | sed 's/^/    /'
      same=$((same + 1))
    else
      echo "SAME    $m $name (exit $rc, output $out)"
      same=$((same + 1))
    fi
  done < "$a"
  echo "check-equivalence: $same of $total stages byte-identical output and exit status"
  exit $status
}

case "${1:-}" in
  run) [[ $# -eq 4 ]] || usage; run_stages "$2" "$3" "$4" ;;
  compare) [[ $# -eq 3 ]] || usage; compare "$2" "$3" ;;
  *) usage ;;
esac
