#!/usr/bin/python3
"""The npu-ref cost model against the simulator, layer by layer.

For every model, sparsity kind and operation-sparsity level, the model is
pruned (and, for structured and hybrid sparsity, folded) once; then, for every
npu-ref preset, it is planned three times with --sparsity-plan (the planner's
own choice, force=dense, force=zskip), lowered with --sparsity-lower, and the
cycles of every layer are counted by `sparsity-sim --cycles-only` from the
packed weights. The predictions come from the plan (--sparsity-report JSON),
the simulated times from the simulator's JSON.

Kinds (all op-guided, `metric=ops`, to the level's share of MACs):
  unstructured   --sparsity-prune="metric=ops target=L"
  structured     --sparsity-prune="granularity=channel metric=ops target=L"
                 then --sparsity-fold-structured
  hybrid         --sparsity-prune="metric=ops target=L structured=L/2"
                 then --sparsity-fold-structured
  hybrid-auto    --sparsity-prune="hybrid=auto metric=ops target=L device=P"
                 then --sparsity-fold-structured (per preset; --auto-models)

Writes, under the work directory, results.json (every layer of every run) and
prints Markdown tables: the per-preset prediction error (median and largest,
over every layer and both implementations), the share of layers where the
planner's choice is the simulator's fastest, and per model the predicted and
simulated planned latency against s_op. With --plot, a PNG per model.

  /usr/bin/python3 bench/npu-ref-model.py [--work DIR] [--models ...]
      [--levels 0 0.3 ...] [--presets npu-ref-g1 npu-ref-g8] [--plot DIR]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PY = "/usr/bin/python3"
# array.tile_k of both presets: a reduction longer than this spans tiles,
# where the cost model's spread of a lane's groups is a guess.
TILE_K = 256

# Export arguments: full-size models; the encoder keeps BERT-base's shapes
# (hidden 768, FFN 3072, sequence 128) with 2 of its 12 identical layers.
EXPORTS = {
    "resnet50": ["--arch", "resnet50"],
    "mobilenet_v2": ["--arch", "mobilenet_v2"],
    "bert_encoder_2l": ["--arch", "bert_encoder", "--layers", "2"],
}


def run(cmd, log=None):
    """Runs cmd; on failure prints its output and exits."""
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    if log:
        with open(log, "w") as f:
            f.write(r.stdout)
    if r.returncode != 0:
        sys.stderr.write(f"command failed ({r.returncode}): {' '.join(cmd)}\n")
        sys.stderr.write(r.stdout[-4000:])
        sys.exit(1)
    return r.stdout


def model_mlir(args, name):
    """Imports (exporting first if needed) the model; returns its .mlir."""
    mlir = os.path.join(args.work, name + ".mlir")
    if os.path.exists(mlir):
        return mlir
    onnx = os.path.join(args.work, name + ".onnx")
    if not os.path.exists(onnx):
        run([PY, os.path.join(ROOT, "models", "export.py"), *EXPORTS[name],
             "-o", onnx])
    run([os.path.join(args.bin, "sparsity-import-onnx"), onnx, "-o", mlir])
    return mlir


def prune_options(kind, level, preset, steps):
    if level == 0:
        return [], False
    if kind == "unstructured":
        return [f"--sparsity-prune=metric=ops target={level}"], False
    if kind == "structured":
        return [f"--sparsity-prune=granularity=channel metric=ops "
                f"target={level}"], True
    if kind == "hybrid":
        return [f"--sparsity-prune=metric=ops target={level} "
                f"structured={level / 2}"], True
    if kind == "hybrid-auto":
        return [f"--sparsity-prune=hybrid=auto metric=ops target={level} "
                f"device={preset} hybrid-steps={steps}"], True
    raise ValueError(kind)


def plan_and_simulate(args, pruned, preset, force, tag):
    """Plans (the report gives the predictions), lowers and counts the
    cycles in one sparsity-opt run and one sparsity-sim run; returns
    (report JSON, simulator JSON with layers by name)."""
    lowered = os.path.join(args.work, f"tmp-{tag}-lowered.mlir")
    report = os.path.join(args.work, f"tmp-{tag}-report.json")
    sim_json = os.path.join(args.work, f"tmp-{tag}-sim.json")
    opt = f"target={preset}" + (f" force={force}" if force else "")
    run([os.path.join(args.bin, "sparsity-opt"), pruned,
         f"--sparsity-plan={opt}",
         f"--sparsity-report=format=json output={report}",
         "--sparsity-lower", "-mlir-print-debuginfo", "-o", lowered])
    run([os.path.join(args.bin, "sparsity-sim"), lowered, "--cycles-only",
         "--json", sim_json])
    with open(report) as f:
        rep = json.load(f)
    with open(sim_json) as f:
        sim = json.load(f)
    for path in (lowered, report, sim_json):
        os.remove(path)
    sim["by_name"] = {l["name"]: l for l in sim["layers"]}
    return rep, sim


def one_point(args, model, kind, level, preset, pruned, s_op):
    """Plans, lowers and simulates one pruned module for one preset."""
    tag = f"{model}-{kind}-{level}-{preset}"
    point = {"model": model, "kind": kind, "level": level, "preset": preset,
             "s_op": s_op, "layers": []}
    sims = {}
    for force in ("dense", "zskip"):
        _, sim = plan_and_simulate(args, pruned, preset, force, tag)
        sims[force] = sim["by_name"]
    rep, chosen = plan_and_simulate(args, pruned, preset, None, tag)
    chosen_sim, chosen_total = chosen["by_name"], chosen
    for layer in rep["layers"]:
        p = layer.get("plan")
        name = layer["name"]
        if not p or name not in sims["dense"] or name not in sims["zskip"]:
            continue
        entry = {"name": name, "choice": p["choice"],
                 "k": sims["dense"][name]["k"],
                 "predicted": p["candidates"],
                 "simulated": {m: sims[m][name]["us"] for m in sims},
                 "simulated_choice": chosen_sim[name]["mode"]}
        point["layers"].append(entry)
    point["predicted_us"] = rep["model"]["predicted_us"]
    point["simulated_us"] = chosen_total["total_us"]
    return point


def measure(args):
    results = []
    for model in args.models:
        mlir = model_mlir(args, model)
        kinds = ["unstructured", "structured", "hybrid"]
        if model in args.auto_models:
            kinds.append("hybrid-auto")
        for kind in kinds:
            for level in args.levels:
                # The dense model is measured once, as unstructured at 0.
                if level == 0 and kind != "unstructured":
                    continue
                presets = args.presets if kind == "hybrid-auto" else [None]
                for search_preset in presets:
                    t0 = time.time()
                    pruned = os.path.join(args.work, "tmp-pruned.mlir")
                    report = os.path.join(args.work, "tmp-pruned.json")
                    opts, fold = prune_options(kind, level, search_preset,
                                               args.hybrid_steps)
                    cmd = [os.path.join(args.bin, "sparsity-opt"), mlir, *opts,
                           f"--sparsity-report=format=json output={report}",
                           "-mlir-print-debuginfo"]
                    if fold:
                        cmd.append("--sparsity-fold-structured")
                    run(cmd + ["-o", pruned])
                    with open(report) as f:
                        s_op = json.load(f)["model"]["op_sparsity"]
                    for preset in ([search_preset] if search_preset
                                   else args.presets):
                        results.append(one_point(args, model, kind, level,
                                                 preset, pruned, s_op))
                    print(f"  {model} {kind} {level} {search_preset or ''}: "
                          f"s_op {s_op:.4f}, {time.time() - t0:.1f} s",
                          file=sys.stderr, flush=True)
    return results


def error_table(results, presets):
    """Prediction error |predicted - simulated| / simulated per layer and
    implementation; dense predictions and zero-skip layers whose reduction
    fits one tile are exact by construction, so the zero-skip points are
    also given on their own."""
    print("| preset | layer x impl points | median error | largest error | "
          "zero-skip points | median | largest | zero-skip, k > tile_k | "
          "median | planner = simulator's fastest |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for preset in presets:
        errors, zskip, multi, agree, total, worst = [], [], [], 0, 0, None
        for point in results:
            if point["preset"] != preset:
                continue
            for layer in point["layers"]:
                for mode, sim in layer["simulated"].items():
                    pred = layer["predicted"][mode]
                    e = abs(pred - sim) / sim if sim > 0 else 0.0
                    errors.append(e)
                    if mode == "zskip":
                        zskip.append(e)
                        if layer.get("k", 0) > TILE_K:
                            multi.append(e)
                    if worst is None or e > worst[0]:
                        worst = (e, point["model"], point["kind"],
                                 point["level"], layer["name"], mode)
                fastest = min(layer["simulated"], key=lambda m: (
                    layer["simulated"][m], m != "dense"))
                agree += layer["choice"] == fastest
                total += 1
        if not errors:
            continue
        print(f"| {preset} | {len(errors)} | "
              f"{100 * statistics.median(errors):.2f}% | "
              f"{100 * max(errors):.2f}% | {len(zskip)} | "
              f"{100 * statistics.median(zskip):.3f}% | "
              f"{100 * max(zskip):.2f}% | {len(multi)} | "
              f"{100 * statistics.median(multi) if multi else 0:.2f}% | "
              f"{agree}/{total} ({100 * agree / total:.1f}%) |")
        print(f"Largest error ({preset}): {100 * worst[0]:.2f}% on "
              f"{worst[1]} {worst[2]} {worst[3]}, layer {worst[4]} "
              f"({worst[5]})", file=sys.stderr)
    print()


def latency_table(results, model):
    print(f"\n**{model}** (planned latency, us: predicted / simulated)\n")
    print("| preset | kind | target | s_op | predicted | simulated | "
          "speedup vs dense (sim) |")
    print("|---|---|---:|---:|---:|---:|---:|")
    dense = {}
    for point in results:
        if point["model"] == model and point["level"] == 0:
            dense.setdefault(point["preset"], point["simulated_us"])
    for point in sorted((p for p in results if p["model"] == model),
                        key=lambda p: (p["preset"], p["kind"], p["level"])):
        base = dense.get(point["preset"])
        speed = f"{base / point['simulated_us']:.2f}x" if base else "-"
        print(f"| {point['preset']} | {point['kind']} | {point['level']:.2f} "
              f"| {100 * point['s_op']:.1f}% | "
              f"{point['predicted_us']['planned']:.0f} | "
              f"{point['simulated_us']:.0f} | {speed} |")


def plot(results, model, presets, out):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(1, len(presets), figsize=(6 * len(presets), 4.5),
                             squeeze=False)
    colors = {"unstructured": "tab:red", "structured": "tab:blue",
              "hybrid": "tab:green", "hybrid-auto": "tab:purple"}
    for ax, preset in zip(axes[0], presets):
        for kind, color in colors.items():
            pts = sorted((p for p in results if p["model"] == model and
                          p["preset"] == preset and
                          (p["kind"] == kind or p["level"] == 0)),
                         key=lambda p: p["s_op"])
            if not pts:
                continue
            xs = [100 * p["s_op"] for p in pts]
            # Structured is drawn wide and light: hybrid=auto may choose it
            # and then lies on top of it.
            wide = kind == "structured"
            ax.plot(xs, [p["simulated_us"] / 1000 for p in pts], "-o",
                    color=color, label=f"{kind} (simulated)",
                    linewidth=5 if wide else 1.5, alpha=0.4 if wide else 1,
                    markersize=9 if wide else 5)
            ax.plot(xs, [p["predicted_us"]["planned"] / 1000 for p in pts],
                    "x--", color=color, label=f"{kind} (predicted)")
        dense = [p for p in results if p["model"] == model and
                 p["preset"] == preset and p["level"] == 0]
        if dense:
            base = dense[0]["simulated_us"] / 1000
            ax.plot([0, 100], [base, 0], ":", color="gray",
                    label="dense x (1 - s_op)")
        ax.set_title(f"{model} on {preset}")
        ax.set_xlabel("operation sparsity s_op (%)")
        ax.set_ylabel("planned latency (ms)")
        ax.set_ylim(bottom=0)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7)
    fig.tight_layout()
    path = os.path.join(out, f"npu-ref-{model}.png")
    fig.savefig(path, dpi=110)
    print(f"wrote {path}", file=sys.stderr)


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--work", default=os.path.join(ROOT, "build", "bench-npu"))
    p.add_argument("--bin", default=os.path.join(ROOT, "build", "bin"))
    p.add_argument("--models", nargs="+", default=list(EXPORTS))
    p.add_argument("--auto-models", nargs="*",
                   default=["resnet50", "mobilenet_v2"],
                   help="models that also get the hybrid=auto search")
    p.add_argument("--levels", nargs="+", type=float,
                   default=[0, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95])
    p.add_argument("--presets", nargs="+",
                   default=["npu-ref-g1", "npu-ref-g8"])
    p.add_argument("--hybrid-steps", type=int, default=4)
    p.add_argument("--plot", metavar="DIR", help="write PNG plots to DIR")
    p.add_argument("--results", nargs="+", metavar="JSON",
                   help="tabulate (and plot) saved results.json files, "
                        "measure nothing; a later file replaces the models "
                        "it holds in earlier ones")
    args = p.parse_args()
    os.makedirs(args.work, exist_ok=True)
    if args.results:
        # Later files replace the models they hold in earlier ones.
        results = []
        for path in args.results:
            with open(path) as f:
                more = json.load(f)
            models = {p["model"] for p in more}
            results = [p for p in results if p["model"] not in models] + more
    else:
        results = measure(args)
        with open(os.path.join(args.work, "results.json"), "w") as f:
            json.dump(results, f, indent=1)
    error_table(results, args.presets)
    for model in args.models:
        latency_table(results, model)
        if args.plot:
            os.makedirs(args.plot, exist_ok=True)
            plot(results, model, args.presets, args.plot)


if __name__ == "__main__":
    main()
