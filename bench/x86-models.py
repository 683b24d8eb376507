#!/usr/bin/python3
"""Model benchmark of the x86 AVX-512 target: whole networks in ONNX Runtime
(dense) and in sparsity-mlir (dense, and hybrid-pruned), at 1 and 2 threads.

Models (--models; seeded, untrained, from models/export.py):
  resnet50         torchvision ResNet-50, 1x3x224x224
                   (build/models/resnet50.onnx; exported when missing)
  bert_encoder_2l  BERT-base-shaped encoder (hidden 768, FFN 3072, sequence
                   128), 2 of its 12 layers, as bench/npu-ref-model.py uses
                   (build/bench-npu/bert_encoder_2l.onnx; exported when missing)
  bert_encoder     the same with all 12 layers (build/models/bert_encoder.onnx)

For every model (imported once with sparsity-import-onnx into WORK/) and every
thread count T:
  ORT dense   scripts/ort/bench-ort.mjs model.onnx --threads T (intra-op T,
              inter-op 1, sequential, optimization 'all'), random inputs
  ours dense  sparsity-opt model.mlir --sparsity-plan="target=TARGET
              force=dense" --sparsity-lower=target=TARGET
              then sparsity-run --bench N --threads T (--num-threads where
              sparsity-run's --help lists that instead; --run-threads-flag)
  ours hybrid sparsity-opt model.mlir --sparsity-prune="hybrid=auto
              metric=ops target=S device=TARGET" --sparsity-report=...
              --sparsity-fold-structured        (S = --level, default 0.7)
              then sparsity-opt --sparsity-plan=target=TARGET
              --sparsity-report=... --sparsity-lower=target=TARGET,
              then sparsity-run --bench N --threads T
The hybrid model's s_op comes from the report written right after pruning
(before folding: the share of the original model's MACs that pruning saves);
the structured share hybrid=auto chose from its remark; the planner's
predicted latency from the second report. A failing step is recorded as n/a
with the first line of its error and the run goes on. With --check, the
lowered hybrid model is also run against the pruned, unlowered one
(sparsity-run --compare).

Writes WORK/results.json and WORK/table.md (also printed): per model and T,
the milliseconds and ORT_dense_ms / ours_ms for ours dense and ours hybrid
(> 1: ours is faster). A row marked † was measured while other processes
took more than 5% of the machine's CPU time.

  /usr/bin/python3 bench/x86-models.py [--work DIR] [--models resnet50,...]
      [--threads 1,2] [--iters N] [--level 0.7] [--target x86-avx512]
      [--repeats R] [--hybrid-steps K] [--check] [--skip-ours]
  /usr/bin/python3 bench/x86-models.py --from-results DIR/results.json
"""

import argparse
import datetime
import json
import os
import re
import shlex
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from x86bench import (ForeignCpu, add_common_args, bench_ours,  # noqa: E402
                      best_of_rounds, csv_list, log, run_cmd)


ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PY = "/usr/bin/python3"
ORT_SCRIPT = os.path.join(ROOT, "scripts", "ort", "bench-ort.mjs")
SHARE_RE = re.compile(r"hybrid=auto on '[^']*' chose structured share "
                      r"([0-9.]+)")

# name -> (ONNX files to look for, in order, relative to ROOT; export args)
MODELS = {
    "resnet50": (["build/models/resnet50.onnx"], ["--arch", "resnet50"]),
    "bert_encoder_2l": (["build/bench-npu/bert_encoder_2l.onnx",
                         "build/bench-npu2/bert_encoder_2l.onnx"],
                        ["--arch", "bert_encoder", "--layers", "2"]),
    "bert_encoder": (["build/models/bert_encoder.onnx"],
                     ["--arch", "bert_encoder"]),
}


FOREIGN_LIMIT = 0.05


def bench_ort(args, onnx, threads):
    ok, out, _, err = run_cmd(["node", ORT_SCRIPT, onnx, "--threads",
                               str(threads), "--iters", str(args.iters),
                               "--warmup", "3"], args.timeout)
    if not ok:
        return {"error": err}
    return json.loads(out.strip().splitlines()[-1])


def find_onnx(args, name):
    """The model's ONNX file; exported into WORK when none exists."""
    candidates, export = MODELS[name]
    for rel in candidates:
        path = os.path.join(ROOT, rel)
        if os.path.exists(path):
            return path, None
    path = os.path.join(args.work, name + ".onnx")
    if os.path.exists(path):
        return path, None
    log(f"  exporting {name} (models/export.py {' '.join(export)})")
    ok, _, _, err = run_cmd([PY, os.path.join(ROOT, "models", "export.py"),
                             *export, "-o", path], args.timeout)
    return (path, None) if ok else (None, "export: " + err)


def import_model(args, name, onnx):
    mlir = os.path.join(args.work, name + ".mlir")
    if os.path.exists(mlir) and os.path.getmtime(mlir) >= \
            os.path.getmtime(onnx):
        return mlir, None
    ok, _, _, err = run_cmd([os.path.join(args.bin, "sparsity-import-onnx"),
                             onnx, "-o", mlir], args.timeout)
    return (mlir, None) if ok else (None, "import: " + err)


def opt(args, *argv):
    return [os.path.join(args.bin, "sparsity-opt"), *argv]


def prepare_ours(args, name, mlir, entry):
    """Lowers the dense and the hybrid variant; fills entry; returns
    {variant: lowered path or None}."""
    t = args.target
    lowered = {}
    dense = os.path.join(args.work, f"{name}.dense.lowered.mlir")
    ok, _, _, err = run_cmd(opt(args, mlir,
                                f"--sparsity-plan=target={t} force=dense",
                                f"--sparsity-lower=target={t}", "-o", dense),
                            args.timeout)
    lowered["dense"] = dense if ok else None
    entry["errors"]["dense lowering"] = err or None

    pruned = os.path.join(args.work, f"{name}.hybrid{args.level}.mlir")
    prune_rep = os.path.join(args.work, f"{name}.hybrid{args.level}.prune.json")
    prune = (f"--sparsity-prune=hybrid=auto metric=ops target={args.level} "
             f"device={t}")
    if args.hybrid_steps:
        prune += f" hybrid-steps={args.hybrid_steps}"
    t0 = time.time()
    ok, _, stderr, err = run_cmd(opt(
        args, mlir, prune, f"--sparsity-report=format=json output={prune_rep}",
        "--sparsity-fold-structured", "-mlir-print-debuginfo", "-o", pruned),
        args.timeout)
    entry["hybrid"] = {"prune_cmd": prune, "prune_s": round(time.time() - t0,
                                                            1)}
    if not ok:
        entry["errors"]["hybrid prune"] = err
        lowered["hybrid"] = None
        return lowered
    m = SHARE_RE.search(stderr)
    entry["hybrid"]["structured_share"] = float(m.group(1)) if m else None
    try:
        with open(prune_rep) as f:
            rep = json.load(f)["model"]
        entry["hybrid"]["s_op"] = rep.get("op_sparsity")
        entry["hybrid"]["param_sparsity"] = rep.get("param_sparsity")
        entry["hybrid"]["saved_macs_structured"] = rep.get(
            "saved_macs_structured")
        entry["hybrid"]["saved_macs_unstructured"] = rep.get(
            "saved_macs_unstructured")
    except (OSError, ValueError, KeyError) as e:
        entry["errors"]["hybrid report"] = str(e)
    hybrid = os.path.join(args.work, f"{name}.hybrid{args.level}.lowered.mlir")
    plan_rep = os.path.join(args.work, f"{name}.hybrid{args.level}.plan.json")
    ok, _, _, err = run_cmd(opt(
        args, pruned, f"--sparsity-plan=target={t}",
        f"--sparsity-report=format=json output={plan_rep}",
        f"--sparsity-lower=target={t}", "-o", hybrid), args.timeout)
    lowered["hybrid"] = hybrid if ok else None
    entry["errors"]["hybrid lowering"] = err or None
    if ok:
        try:
            with open(plan_rep) as f:
                rep = json.load(f)
            entry["hybrid"]["predicted_us"] = rep["model"].get("predicted_us")
            choices = {}
            for layer in rep.get("layers", []):
                p = layer.get("plan")
                if p:
                    choices[p["choice"]] = choices.get(p["choice"], 0) + 1
            entry["hybrid"]["choices"] = choices
        except (OSError, ValueError, KeyError) as e:
            entry["errors"]["hybrid plan report"] = str(e)
        if args.check:
            ok, out, _, err = run_cmd(
                [os.path.join(args.bin, "sparsity-run"), hybrid, "--compare",
                 pruned], args.timeout)
            entry["check"] = {"ok": ok, "error": err or None,
                              "output": out.strip()[-500:]}
    return lowered


def measure(args):
    results = []
    ort_version = None
    probe = ForeignCpu()
    for name in args.models:
        t0 = time.time()
        entry = {"model": name, "onnx": None, "errors": {}, "threads": {},
                 "hybrid": None, "check": None}
        onnx, err = find_onnx(args, name)
        entry["onnx"] = os.path.relpath(onnx, ROOT) if onnx else None
        entry["errors"]["onnx"] = err
        lowered = {}
        if onnx and not args.skip_ours:
            mlir, err = import_model(args, name, onnx)
            entry["errors"]["import"] = err
            if mlir:
                lowered = prepare_ours(args, name, mlir, entry)
        log(f"  {name}: prepared in {time.time() - t0:.1f} s")
        for t in args.threads:
            probe.start()
            # Each contender once per round, --repeats rounds, in turn.
            fns = {}
            if onnx:
                fns["ort_dense"] = lambda t=t: bench_ort(args, onnx, t)
            for variant in ("dense", "hybrid") if not args.skip_ours else ():
                path = lowered.get(variant)
                if path:
                    fns[f"ours_{variant}"] = (lambda path=path, t=t:
                                              bench_ours(args, path, t))
            best = best_of_rounds(args.repeats, fns)
            row = {"ort_dense": best.get("ort_dense", {"error": err}),
                   "loadavg": os.getloadavg()[0]}
            ort_version = ort_version or row["ort_dense"].get("ort")
            if not args.skip_ours:
                for variant in ("dense", "hybrid"):
                    row[f"ours_{variant}"] = best.get(
                        f"ours_{variant}",
                        {"error": first_error(entry, variant)})
            row["foreign_cpu"] = probe.stop()
            entry["threads"][str(t)] = row
            log(f"  {name} T={t}: ORT {ms_text(row['ort_dense'])}, ours dense "
                f"{ms_text(row.get('ours_dense'))}, ours hybrid "
                f"{ms_text(row.get('ours_hybrid'))}")
        if not args.keep_lowered:
            for path in lowered.values():
                if path and os.path.exists(path):
                    os.remove(path)
        results.append(entry)
    with open("/proc/cpuinfo") as f:
        cpu = re.search(r"model name\s*:\s*(.*)", f.read())
    git = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         text=True).stdout.strip()
    meta = {"date": datetime.datetime.now().isoformat(timespec="seconds"),
            "git": git, "cpu": cpu.group(1) if cpu else None,
            "cores": os.cpu_count(), "ort": ort_version,
            "target": args.target, "level": args.level,
            "iters": args.iters, "repeats": args.repeats,
            "threads": args.threads, "skip_ours": args.skip_ours,
            "command": " ".join(shlex.quote(a) for a in sys.argv)}
    return {"schema": "x86-models/1", "meta": meta, "models": results}


def first_error(entry, variant):
    keys = ["onnx", "import"] + (["dense lowering"] if variant == "dense"
                                 else ["hybrid prune", "hybrid lowering"])
    for k in keys:
        if entry["errors"].get(k):
            return f"{k}: {entry['errors'][k]}"
    return "not run"


def ms(e):
    return e["median_ms"] if e and "median_ms" in e else None


def ms_text(e):
    v = ms(e)
    return f"{v:.2f}" if v is not None else "n/a"


def table(results):
    meta = results["meta"]
    out = ["# x86 model benchmark", "",
           f"Machine: {meta['cpu']}, {meta['cores']} cores; ONNX Runtime "
           f"{meta['ort'] or '?'} (onnxruntime-node); target "
           f"`{meta['target']}`; hybrid: hybrid=auto metric=ops target="
           f"{meta['level']}; {meta['iters']} timed iterations"
           + (f", best of {meta['repeats']} runs" if meta["repeats"] > 1
              else "") + f"; git {meta['git']}, {meta['date']}.", "",
           "Milliseconds (median); `ORT / ours` = ORT dense ms / ours ms "
           "(> 1: ours is faster).", ""]
    out.append("| model | T | ORT dense | ours dense | ORT / ours dense | "
               "ours hybrid | ORT / ours hybrid | hybrid s_op | structured "
               "share | planner's choices (hybrid) |")
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    notes = []
    loaded = 0
    for e in results["models"]:
        h = e.get("hybrid") or {}
        s_op = h.get("s_op")
        share = h.get("structured_share")
        choices = ", ".join(f"{k} {v}" for k, v in
                            sorted((h.get("choices") or {}).items()))
        for t, row in e["threads"].items():
            ort = ms(row["ort_dense"])
            busy = row.get("foreign_cpu", 0) > FOREIGN_LIMIT
            loaded += busy
            cells = [e["model"], t + (" †" if busy else ""),
                     ms_text(row["ort_dense"])]
            for v in ("dense", "hybrid"):
                o = ms(row.get(f"ours_{v}"))
                cells += [ms_text(row.get(f"ours_{v}")),
                          f"{ort / o:.2f}x" if ort and o else "n/a"]
            cells += [f"{100 * s_op:.1f}%" if s_op is not None else "n/a",
                      f"{share:.3f}" if share is not None else "n/a",
                      choices or "n/a"]
            out.append("| " + " | ".join(str(c) for c in cells) + " |")
            for key in ("ort_dense", "ours_dense", "ours_hybrid"):
                err = (row.get(key) or {}).get("error")
                if err:
                    notes.append((e["model"], f"T={t} {key}", err))
        if e.get("check"):
            c = e["check"]
            notes.append((e["model"], "check",
                          "pass" if c["ok"] else f"FAIL: {c['error']}"))
        pred = (h.get("predicted_us") or {})
        if pred.get("planned"):
            notes.append((e["model"], "hybrid plan",
                          f"predicted {pred['planned'] / 1000:.2f} ms planned"
                          f", {pred['dense'] / 1000:.2f} ms dense over "
                          f"{pred.get('planned_layers')} planned layers"))
    out.append("")
    if loaded:
        out.append(f"†: measured while other processes used more than "
                   f"{FOREIGN_LIMIT:.0%} of the machine's CPU time "
                   "(results.json: foreign_cpu); rerun on an idle machine.")
        out.append("")
    if notes:
        seen = {}
        for model, where, msg in notes:
            seen.setdefault((model, msg), []).append(where)
        out.append("Notes and n/a (first line of the error):")
        out.append("")
        for (model, msg), where in seen.items():
            out.append(f"- {model} {', '.join(where)}: `{msg}`")
        out.append("")
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawTextHelpFormatter)
    add_common_args(
        p, "bench-x86-models", (10, "timed iterations (default 10)"),
        "rounds: ORT, ours dense and ours hybrid each run once per round, "
        "in turn, and keep their lowest median (default 1)",
        "measure ONNX Runtime only", "keep the lowered .mlir files", 3600,
        "seconds before one command is given up (default 3600)",
        "tabulate a saved results.json; measure nothing")
    p.add_argument("--models", default="resnet50,bert_encoder_2l",
                   help="comma-separated, from: " + ", ".join(MODELS)
                        + " (default resnet50,bert_encoder_2l)")
    p.add_argument("--level", type=float, default=0.7,
                   help="s_op target of the hybrid pruning (default 0.7)")
    p.add_argument("--hybrid-steps", type=int,
                   help="hybrid-steps of --sparsity-prune (default: the "
                        "pass's own)")
    p.add_argument("--target", default="x86-avx512",
                   help="target of prune (device=), plan and lower: a preset "
                        "or a JSON file (default x86-avx512)")
    p.add_argument("--check", action="store_true",
                   help="also compare the lowered hybrid model with the "
                        "pruned unlowered one (slow: the reference runs as "
                        "plain loops)")
    args = p.parse_args()
    if args.from_results:
        with open(args.from_results) as f:
            results = json.load(f)
        args.work = os.path.dirname(os.path.abspath(args.from_results))
    else:
        args.models = csv_list(args.models)
        for m in args.models:
            if m not in MODELS:
                p.error(f"unknown model '{m}' (known: {', '.join(MODELS)})")
        args.threads = [int(t) for t in csv_list(args.threads)]
        if not 0 < args.level < 1:
            p.error("--level must be in (0, 1)")
        if args.target.endswith(".json"):
            args.target = os.path.abspath(args.target)
        args.work = os.path.abspath(args.work)
        os.makedirs(args.work, exist_ok=True)
        results = measure(args)
        with open(os.path.join(args.work, "results.json"), "w") as f:
            json.dump(results, f, indent=1)
        log(f"wrote {os.path.join(args.work, 'results.json')}")
    text = "\n".join(table(results))
    print(text)
    with open(os.path.join(args.work, "table.md"), "w") as f:
        f.write(text + "\n")
    log(f"wrote {os.path.join(args.work, 'table.md')}")


if __name__ == "__main__":
    main()
