#!/usr/bin/python3
"""Layer benchmark of the x86 AVX-512 target: single weight layers at several
sparsities, against OpenBLAS sgemm and ONNX Runtime, at 1 and 2 threads.

Shapes (fp32; --shapes picks a subset by name):
  bert-768x768     MatMul X[128][768]  . W[768][768]    (BERT-base FC, 128 tokens)
  bert-768x3072    MatMul X[128][768]  . W[768][3072]
  bert-3072x768    MatMul X[128][3072] . W[3072][768]
  r50-conv2-3x3    Conv 64->64 3x3 pad 1 on 1x64x56x56   (ResNet-50 conv2_x)
  r50-conv3-3x3    Conv 128->128 3x3 pad 1 on 1x128x28x28 (ResNet-50 conv3_x)
  r50-conv5-1x1    Conv 512->2048 1x1 on 1x512x7x7        (ResNet-50 conv5_x)
  fc-4096-b1       MatMul X[1][4096] . W[4096][4096]      (batch-1 FC)
The weight is a constant initializer (random normal, seeded per shape); convs
have no bias. Sparsities (--sparsities): 0, 0.5, 0.7, 0.9, 0.95 unstructured
(exactly round(s * numel) zeros at seeded random positions of the weight) and
2:4 (two of every four consecutive reduction elements kept, at seeded random
positions: along K of a MatMul's W[K][N], along C of a Conv's W[F][C][kh][kw]).

For every (shape, sparsity) the ONNX model is written and imported
(sparsity-import-onnx; both are reused on a rerun when the spec is unchanged);
then for every thread count T:
  OpenBLAS  cblas_sgemm of the layer's dense GEMM, from bench/x86-baseline.cpp
            (--gemm mode, built with bench/x86-baseline.sh into WORK/openblas;
            OPENBLAS_CORETYPE=SkylakeX when the CPU has avx512f and the
            variable is unset; a warning when it is set to a core without
            AVX-512 kernels on such a CPU). A Conv is timed as its im2col GEMM, M = F,
            N = Ho*Wo, K = C*kh*kw, which leaves out the im2col itself (an
            advantage for OpenBLAS). Timed again in every row, next to the
            runs it is compared with. For M = 1 cblas_sgemv is timed too
            (--blas-m1 chooses which one is the baseline).
  ORT       the ONNX model in onnxruntime-node (scripts/ort/bench-ort.mjs:
            intra-op threads T, inter-op 1, sequential, optimization 'all').
  ours      for every implementation IMPL of --impls (and "planned", the
            planner's own choice, always):
              sparsity-opt model.mlir --sparsity-plan="target=TARGET force=IMPL"
                  --sparsity-lower="target=TARGET" -o model.IMPL.mlir
              sparsity-run model.IMPL.mlir --bench N --threads T
            (--num-threads T where sparsity-run's --help lists that one
            instead; --run-threads-flag overrides). "planned" has no force= and also writes --sparsity-report (the
            plan's choice and predicted microseconds of every candidate).
            When model.planned.mlir is byte-identical to a forced
            model.IMPL.mlir (the planner chose IMPL), it is not timed
            again: its time is IMPL's (marked "= IMPL" in the table).
            A failing command is recorded as n/a with the first line of its
            error (the first line of stderr that says 'error', else the
            first line), and the run goes on.
  rounds    every contender of a row (OpenBLAS, ORT, each of ours) runs
            once per round, --repeats rounds, and keeps its lowest median,
            so that a slow phase of the machine hits all of them alike.
  check     once per (shape, sparsity): sparsity-run model.planned.mlir
            --compare model.mlir (default tolerances).

Writes WORK/results.json (every raw number) and WORK/table.md (also printed):
a row per (shape, sparsity, threads) with the milliseconds and the speedup
over OpenBLAS dense of the same shape and thread count (x = OpenBLAS_ms /
ms), and a summary that checks the issue's floors at one thread (PASS/FAIL,
with the numbers). A row marked † was measured while other processes took
more than 5% of the machine's CPU time. --plot writes one subplot per shape:
speedup over OpenBLAS dense (1 thread) against sparsity, one line per
implementation.

  /usr/bin/python3 bench/x86-layers.py [--work DIR] [--iters N] [--repeats R]
      [--threads 1,2] [--impls dense,csr,bitmap,pattern] [--shapes a,b]
      [--sparsities 0,0.5,0.7,0.9,0.95,2:4] [--target x86-avx512 | --calibrate]
      [--blas-m1 sgemm|sgemv|best] [--skip-ours] [--plot OUT.png]
  /usr/bin/python3 bench/x86-layers.py --from-results DIR/results.json
      [--plot OUT.png]            (tabulate and plot saved results only)
"""

import argparse
import datetime
import filecmp
import json
import os
import re
import shlex
import statistics
import subprocess
import sys
import time
import zlib

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from x86bench import (ForeignCpu, add_common_args, bench_ours,  # noqa: E402
                      best_of_rounds, csv_list, log, run_cmd)


ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ORT_SCRIPT = os.path.join(ROOT, "scripts", "ort", "bench-ort.mjs")

# name -> description. kind "matmul": x [m, k], w [k, n]; kind "conv":
# x [1, c, h, w], w [f, c, kh, kw], stride 1, symmetric pad.
SHAPES = {
    "bert-768x768": dict(kind="matmul", m=128, k=768, n=768,
                         title="BERT FC X[128][768]·W[768][768]"),
    "bert-768x3072": dict(kind="matmul", m=128, k=768, n=3072,
                          title="BERT FC X[128][768]·W[768][3072]"),
    "bert-3072x768": dict(kind="matmul", m=128, k=3072, n=768,
                          title="BERT FC X[128][3072]·W[3072][768]"),
    "r50-conv2-3x3": dict(kind="conv", c=64, f=64, h=56, w=56, kh=3, kw=3,
                          pad=1, title="ResNet-50 conv2_x 3x3 64->64, 56x56"),
    "r50-conv3-3x3": dict(kind="conv", c=128, f=128, h=28, w=28, kh=3, kw=3,
                          pad=1, title="ResNet-50 conv3_x 3x3 128->128, 28x28"),
    "r50-conv5-1x1": dict(kind="conv", c=512, f=2048, h=7, w=7, kh=1, kw=1,
                          pad=0, title="ResNet-50 conv5_x 1x1 512->2048, 7x7"),
    "fc-4096-b1": dict(kind="matmul", m=1, k=4096, n=4096,
                       title="FC X[1][4096]·W[4096][4096]"),
}
BERT_SHAPES = ("bert-768x768", "bert-768x3072", "bert-3072x768")
SPARSITIES = ("0", "0.5", "0.7", "0.9", "0.95", "2:4")
DEFAULT_IMPLS = ("dense", "csr", "bitmap", "pattern")
# Rows whose foreign CPU share (ForeignCpu) exceeds this are marked.
FOREIGN_LIMIT = 0.05


# --------------------------------------------------------------------------
# Shapes and weights


def gemm_shape(sh):
    """The dense GEMM C[M][N] = A[M][K] B[K][N] OpenBLAS is timed on."""
    if sh["kind"] == "matmul":
        return sh["m"], sh["n"], sh["k"]
    ho = sh["h"] + 2 * sh["pad"] - sh["kh"] + 1
    wo = sh["w"] + 2 * sh["pad"] - sh["kw"] + 1
    return sh["f"], ho * wo, sh["c"] * sh["kh"] * sh["kw"]


def weight_shape(sh):
    if sh["kind"] == "matmul":
        return (sh["k"], sh["n"])
    return (sh["f"], sh["c"], sh["kh"], sh["kw"])


def seed_of(*parts):
    return zlib.crc32("/".join(map(str, parts)).encode())


def make_weight(name, sh, sparsity):
    """Random normal weight of the shape, pruned to `sparsity` (see the
    module docstring); the dense values depend on the shape only."""
    shape = weight_shape(sh)
    w = np.random.default_rng(seed_of("weight", name)).standard_normal(
        shape, dtype=np.float32)
    # Scale like a trained layer (fan-in), keeps the outputs near 1.
    fan_in = int(np.prod(shape)) // (shape[1] if sh["kind"] == "matmul"
                                     else shape[0])
    w *= np.float32(1.0 / np.sqrt(fan_in))
    rng = np.random.default_rng(seed_of("mask", name, sparsity))
    if sparsity == "2:4":
        axis = 0 if sh["kind"] == "matmul" else 1
        moved = np.moveaxis(w, axis, -1)  # a view: reduction axis last
        if moved.shape[-1] % 4:
            raise SystemExit(f"{name}: reduction {moved.shape[-1]} is not a "
                             "multiple of 4 for 2:4")
        groups = moved.reshape(-1, 4)  # copy (moved is not contiguous)
        keys = rng.random(groups.shape)
        drop = np.argsort(keys, axis=1)[:, :2]
        np.put_along_axis(groups, drop, 0.0, axis=1)
        w = np.ascontiguousarray(np.moveaxis(groups.reshape(moved.shape), -1,
                                             axis))
    else:
        s = float(sparsity)
        zeros = int(round(s * w.size))
        if zeros:
            flat = w.reshape(-1)
            flat[rng.choice(w.size, size=zeros, replace=False)] = 0.0
    return w


def write_onnx(path, name, sh, w):
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    init = numpy_helper.from_array(w, name="W")
    if sh["kind"] == "matmul":
        x = helper.make_tensor_value_info("X", TensorProto.FLOAT,
                                          [sh["m"], sh["k"]])
        y = helper.make_tensor_value_info("Y", TensorProto.FLOAT,
                                          [sh["m"], sh["n"]])
        node = helper.make_node("MatMul", ["X", "W"], ["Y"], name="layer")
    else:
        _, n, _ = gemm_shape(sh)
        ho = sh["h"] + 2 * sh["pad"] - sh["kh"] + 1
        wo = sh["w"] + 2 * sh["pad"] - sh["kw"] + 1
        x = helper.make_tensor_value_info("X", TensorProto.FLOAT,
                                          [1, sh["c"], sh["h"], sh["w"]])
        y = helper.make_tensor_value_info("Y", TensorProto.FLOAT,
                                          [1, sh["f"], ho, wo])
        p = sh["pad"]
        node = helper.make_node("Conv", ["X", "W"], ["Y"], name="layer",
                                kernel_shape=[sh["kh"], sh["kw"]],
                                pads=[p, p, p, p], strides=[1, 1])
    graph = helper.make_graph([node], name, [x], [y], initializer=[init])
    model = helper.make_model(graph, producer_name="bench/x86-layers.py",
                              opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 7
    onnx.checker.check_model(model)
    onnx.save(model, path)


# --------------------------------------------------------------------------
# Running commands


def openblas_env():
    env = dict(os.environ)
    if not env.get("OPENBLAS_CORETYPE"):
        with open("/proc/cpuinfo") as f:
            if re.search(r"\bavx512f\b", f.read()):
                env["OPENBLAS_CORETYPE"] = "SkylakeX"
    return env


def build_baseline(work):
    ok, out, _, err = run_cmd([os.path.join(ROOT, "bench", "x86-baseline.sh"),
                            os.path.join(work, "openblas"), "--build-only"],
                           timeout=600)
    if not ok:
        log(f"x86-layers: OpenBLAS baseline does not build: {err}")
        return None
    return out.strip().splitlines()[-1]


def bench_openblas(binary, m, n, k, threads, iters, timeout):
    if not binary:
        return {"error": "x86-baseline did not build"}
    ok, out, _, err = run_cmd([binary, "--gemm", str(m), str(n), str(k),
                            "--threads", str(threads), "--iters", str(iters),
                            "--warmup", "3"], timeout, env=openblas_env())
    if not ok:
        return {"error": err}
    return json.loads(out.strip().splitlines()[-1])


def bench_ort(onnx_path, threads, iters, timeout):
    ok, out, _, err = run_cmd(["node", ORT_SCRIPT, onnx_path, "--threads",
                            str(threads), "--iters", str(iters), "--warmup",
                            "3"], timeout)
    if not ok:
        return {"error": err}
    return json.loads(out.strip().splitlines()[-1])


def first_plan(report_path):
    """The plan of the (only) planned layer in a --sparsity-report JSON."""
    with open(report_path) as f:
        rep = json.load(f)
    for layer in rep.get("layers", []):
        p = layer.get("plan")
        if p:
            return {"layer": layer.get("name"), "choice": p.get("choice"),
                    "override": p.get("override"),
                    "candidates": p.get("candidates", {}),
                    "op_sparsity": layer.get("op_sparsity"),
                    "param_sparsity": layer.get("param_sparsity"),
                    "nm": layer.get("nm")}
    return None


# --------------------------------------------------------------------------
# Measuring


def prepare_model(args, name, sh, sparsity):
    """Writes (or reuses) DIR/name/s<sparsity>/model.onnx and model.mlir;
    returns (dir, point fields, import error or None)."""
    tag = "s" + sparsity.replace(":", "of")
    d = os.path.join(args.work, name, tag)
    os.makedirs(d, exist_ok=True)
    onnx_path = os.path.join(d, "model.onnx")
    mlir_path = os.path.join(d, "model.mlir")
    spec_path = os.path.join(d, "spec.json")
    spec = {"shape": name, "desc": {k: v for k, v in sh.items()},
            "sparsity": sparsity, "version": 1}
    old = None
    if os.path.exists(spec_path):
        with open(spec_path) as f:
            old = json.load(f)
    w = None
    if old != spec or not os.path.exists(onnx_path):
        for p in (onnx_path, mlir_path, spec_path):
            if os.path.exists(p):
                os.remove(p)
        w = make_weight(name, sh, sparsity)
        write_onnx(onnx_path, name, sh, w)
        zeros = int(np.count_nonzero(w == 0))
        spec["zeros"], spec["numel"] = zeros, int(w.size)
        with open(spec_path, "w") as f:
            json.dump(spec, f)
    else:
        spec = old
    err = None
    if not os.path.exists(mlir_path):
        ok, _, _, err = run_cmd([os.path.join(args.bin, "sparsity-import-onnx"),
                              onnx_path, "-o", mlir_path], args.timeout)
        if ok:
            err = None
    return d, spec, err


def lower(args, d, impl, report=None):
    """sparsity-opt plan (+ report) + lower; returns (path, error)."""
    out = os.path.join(d, f"model.{impl}.mlir")
    plan = f"target={args.target}" + ("" if impl == "planned"
                                      else f" force={impl}")
    cmd = [os.path.join(args.bin, "sparsity-opt"), os.path.join(d,
           "model.mlir"), f"--sparsity-plan={plan}"]
    if report:
        cmd.append(f"--sparsity-report=format=json output={report}")
    cmd += [f"--sparsity-lower=target={args.target}", "-o", out]
    try:
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, timeout=args.timeout)
    except (subprocess.TimeoutExpired, OSError) as e:
        return None, str(e)
    if r.returncode != 0:
        lines = [l for l in r.stderr.splitlines() if l.strip()]
        first = next((l for l in lines if "error" in l.lower()),
                     lines[0] if lines else "")
        return None, f"exit {r.returncode}: {first.strip()[:300]}"
    stderr_text = r.stderr
    # sparsity-plan plans a forced implementation that does not apply to the
    # layer (e.g. csr with m < 16, pattern over the code-size guard) as dense
    # and says so; that run would be dense under another name.
    for line in (stderr_text or "").splitlines():
        if "does not apply to it" in line:
            return None, "n/a: " + line.split("sparsity-plan: ", 1)[-1]
    return out, None


def warn_slow_openblas_core():
    """A preset OPENBLAS_CORETYPE without AVX-512 kernels on an AVX-512 CPU
    handicaps the baseline (on the Zen 5 of 2026-12-02 the environment set
    Haswell: 94 against 181 GFLOP/s with SkylakeX on 128x768x768)."""
    core = os.environ.get("OPENBLAS_CORETYPE")
    with open("/proc/cpuinfo") as f:
        avx512 = re.search(r"\bavx512f\b", f.read()) is not None
    if core and avx512 and core.lower() not in ("skylakex", "cooperlake",
                                                "sapphirerapids"):
        log(f"x86-layers: warning: OPENBLAS_CORETYPE={core} is set: OpenBLAS "
            f"runs without its AVX-512 kernels on this AVX-512 CPU (run with "
            f"OPENBLAS_CORETYPE=SkylakeX for the fair baseline)")


def measure(args):
    impls = [i for i in args.impls if i != "planned"] + ["planned"]
    warn_slow_openblas_core()
    baseline = build_baseline(args.work)
    probe = ForeignCpu()
    ort_version = None
    points = []
    for name in args.shapes:
        sh = SHAPES[name]
        m, n, k = gemm_shape(sh)
        for sparsity in args.sparsities:
            t0 = time.time()
            d, spec, import_err = prepare_model(args, name, sh, sparsity)
            point = {"shape": name, "kind": sh["kind"], "sparsity": sparsity,
                     "zeros": spec.get("zeros"), "numel": spec.get("numel"),
                     "gemm": {"m": m, "n": n, "k": k},
                     "dir": os.path.relpath(d, ROOT),
                     "import_error": import_err, "plan": None,
                     "plan_error": None, "check": None, "threads": {}}
            lowered = {}
            if not args.skip_ours:
                for impl in impls:
                    if import_err:
                        lowered[impl] = (None, "import failed: " + import_err)
                        continue
                    report = (os.path.join(d, "plan-report.json")
                              if impl == "planned" else None)
                    lowered[impl] = lower(args, d, impl, report)
                    if impl == "planned":
                        if lowered[impl][0] and os.path.exists(report):
                            try:
                                point["plan"] = first_plan(report)
                            except (OSError, ValueError) as e:
                                point["plan_error"] = str(e)
                        else:
                            point["plan_error"] = lowered[impl][1]
                planned_path, err = lowered["planned"]
                # The planned module of a one-layer model is often the very
                # code of a forced run (the planner chose that
                # implementation): it is then timed as that run, not as a
                # second sample of the same code.
                if planned_path:
                    point["planned_same_as"] = next(
                        (i for i in impls if i != "planned" and lowered[i][0]
                         and filecmp.cmp(planned_path, lowered[i][0],
                                         shallow=False)), None)
                if planned_path:
                    ok, out, _, err = run_cmd(
                        [os.path.join(args.bin, "sparsity-run"), planned_path,
                         "--compare", os.path.join(d, "model.mlir")],
                        args.timeout)
                    point["check"] = {"ok": ok, "error": err or None,
                                      "output": out.strip()[-500:]}
                else:
                    point["check"] = {"ok": None, "error": err}
            same = point.get("planned_same_as")
            for t in args.threads:
                probe.start()
                # Every contender of the row runs once per round, --repeats
                # rounds; OpenBLAS does not depend on the sparsity, but it
                # is timed again in every row so that each speedup compares
                # runs made within seconds of each other (this machine
                # drifts).
                fns = {
                    "openblas": lambda t=t: bench_openblas(
                        baseline, m, n, k, t, max(args.iters, 10),
                        args.timeout),
                    "ort": lambda t=t: bench_ort(
                        os.path.join(d, "model.onnx"), t, args.iters,
                        args.timeout)}
                for impl in impls if not args.skip_ours else []:
                    path = lowered[impl][0]
                    if path and not (impl == "planned" and same):
                        fns[impl] = (lambda path=path, t=t:
                                     bench_ours(args, path, t))
                best = best_of_rounds(args.repeats, fns)
                blas = best["openblas"]
                if args.blas_m1 != "sgemm" and "sgemv_median_ms" in blas:
                    blas["sgemm_median_ms"] = blas["median_ms"]
                    blas["median_ms"] = (
                        blas["sgemv_median_ms"] if args.blas_m1 == "sgemv"
                        else min(blas["median_ms"], blas["sgemv_median_ms"]))
                    blas["baseline"] = args.blas_m1
                row = {"openblas": blas, "ort": best["ort"],
                       "ours": {}, "loadavg": os.getloadavg()[0]}
                ort_version = ort_version or row["ort"].get("ort")
                for impl in impls if not args.skip_ours else []:
                    if impl in best:
                        row["ours"][impl] = best[impl]
                    elif impl == "planned" and same:
                        row["ours"][impl] = dict(best[same],
                                                 same_code_as=same)
                    else:
                        row["ours"][impl] = {"error": lowered[impl][1]}
                row["foreign_cpu"] = probe.stop()
                point["threads"][str(t)] = row
            if not args.keep_lowered:
                for path, _ in lowered.values():
                    if path and os.path.exists(path):
                        os.remove(path)
            points.append(point)
            r1 = point["threads"].get(str(args.threads[0]), {})
            blas_note = ms_text(r1.get("openblas"))
            summary = ", ".join(
                f"{i} {ms_text(r1.get('ours', {}).get(i))}"
                for i in (impls if not args.skip_ours else []))
            log(f"  {name} {sparsity}: T={args.threads[0]} OpenBLAS "
                f"{blas_note}, ORT {ms_text(r1.get('ort'))}"
                + (f"; {summary}" if summary else "")
                + f"; {time.time() - t0:.1f} s")
    with open("/proc/cpuinfo") as f:
        cpu = re.search(r"model name\s*:\s*(.*)", f.read())
    git = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         text=True).stdout.strip()
    meta = {"date": datetime.datetime.now().isoformat(timespec="seconds"),
            "git": git, "cpu": cpu.group(1) if cpu else None,
            "cores": os.cpu_count(),
            "openblas_coretype": openblas_env().get("OPENBLAS_CORETYPE"),
            "ort": ort_version, "target": args.target,
            "calibrated": bool(getattr(args, "calibrate", False)),
            "target_json": getattr(args, "target_json", None),
            "iters": args.iters,
            "repeats": args.repeats, "blas_m1": args.blas_m1,
            "threads": args.threads, "impls": impls,
            "skip_ours": args.skip_ours,
            "command": " ".join(shlex.quote(a) for a in sys.argv),
            "note": "OpenBLAS times a Conv as its im2col GEMM (M=F, "
                    "N=Ho*Wo, K=C*kh*kw) without the im2col itself"}
    return {"schema": "x86-layers/1", "meta": meta, "points": points}


# --------------------------------------------------------------------------
# Tables, floors, plot


def ms(entry):
    if entry and "median_ms" in entry:
        return entry["median_ms"]
    return None


def ms_text(entry):
    v = ms(entry)
    return f"{v:.3f}" if v is not None else "n/a"


def cell(entry, base):
    v = ms(entry)
    if v is None:
        return "n/a"
    return f"{v:.3f} ({base / v:.2f}x)" if base else f"{v:.3f}"


def impls_of(results):
    return results["meta"]["impls"] if not results["meta"]["skip_ours"] \
        else []


def forced(results):
    return [i for i in impls_of(results) if i != "planned"]


def table(results):
    out = []
    meta = results["meta"]
    impls = forced(results)
    out.append(f"Machine: {meta['cpu']}, {meta['cores']} cores; OpenBLAS core "
               f"{meta['openblas_coretype'] or 'detected'}; ONNX Runtime "
               f"{meta['ort'] or '?'} (onnxruntime-node); target "
               f"`{meta['target']}`"
               f"{' (measured by sparsity-calibrate in this run)' if meta.get('calibrated') else ''}"
               f"; {meta['iters']} timed iterations"
               f"{', best of %d runs' % meta['repeats'] if meta.get('repeats', 1) > 1 else ''}; "
               f"git {meta['git']}, {meta['date']}.")
    out.append("")
    out.append("Milliseconds (median), and in brackets the speedup over "
               "OpenBLAS dense sgemm of the same shape and thread count "
               "(x = OpenBLAS ms / ms). " + meta["note"] + "; ORT runs the "
               "whole Conv. `planned`: the planner's choice without force=; "
               "\"= IMPL\": its lowered module is byte-identical to "
               "force=IMPL's, and that run's time is shown.")
    out.append("")
    head = ["shape", "sparsity", "T", "GEMM M x N x K", "OpenBLAS", "ORT"]
    head += [f"ours {i}" for i in impls] + ["planned choice", "ours planned",
                                            "check"]
    out.append("| " + " | ".join(head) + " |")
    align = ["---"] * 4 + ["---:"] * (2 + len(impls)) + ["---", "---:", "---"]
    out.append("|" + "|".join(align) + "|")
    loaded = 0
    for p in results["points"]:
        for t, row in p["threads"].items():
            base = ms(row["openblas"])
            g = p["gemm"]
            busy = row.get("foreign_cpu", 0) > FOREIGN_LIMIT
            loaded += busy
            cells = [p["shape"], p["sparsity"], t + (" †" if busy else ""),
                     f"{g['m']} x {g['n']} x {g['k']}",
                     ms_text(row["openblas"]), cell(row["ort"], base)]
            cells += [cell(row["ours"].get(i), base) for i in impls]
            plan = p.get("plan")
            if meta["skip_ours"]:
                choice, check = "-", "-"
            else:
                choice = plan["choice"] if plan else "n/a"
                c = p.get("check") or {}
                check = ("pass" if c.get("ok") else
                         "FAIL" if c.get("ok") is False else "n/a")
            pl = row["ours"].get("planned") or {}
            planned = "-" if meta["skip_ours"] else \
                cell(pl, base) + (f" = {pl['same_code_as']}"
                                  if pl.get("same_code_as") else "")
            cells += [choice, planned, check]
            out.append("| " + " | ".join(str(c) for c in cells) + " |")
    out.append("")
    if loaded:
        out.append(f"†: {loaded} row(s) measured while other processes used "
                   f"more than {FOREIGN_LIMIT:.0%} of the machine's CPU time "
                   "(results.json: foreign_cpu); rerun them on an idle "
                   "machine.")
        out.append("")
    by = {}
    for p in results["points"]:
        for t, row in p["threads"].items():
            b = row["openblas"]
            if "sgemv_median_ms" in b:
                e = by.setdefault((p["shape"], t), ([], []))
                e[0].append(b.get("sgemm_median_ms", b["median_ms"]))
                e[1].append(b["sgemv_median_ms"])
    gemv = [f"{shape} T={t}: sgemm {statistics.median(a):.3f} ms, sgemv "
            f"{statistics.median(v):.3f} ms" for (shape, t), (a, v)
            in by.items()]
    if gemv:
        used = meta.get("blas_m1", "sgemm")
        out.append(f"M = 1: the OpenBLAS column is {used} "
                   + ("(the faster of sgemm and sgemv)" if used == "best"
                      else "") + "; OpenBLAS 0.3.21 does not forward an M = "
                   "1 sgemm to its GEMV kernel, so cblas_sgemv of the same "
                   "product is timed too (medians over the rows): " + "; ".join(gemv) + ".")
        out.append("")
    # (where, message) of every n/a; the message with the point's directory
    # written as DIR, so that one cause shows once.
    errors = []
    for p in results["points"]:
        tag = f"{p['shape']} {p['sparsity']}"
        d = os.path.normpath(os.path.join(ROOT, p["dir"]))

        def add(where, msg):
            errors.append((where, str(msg).replace(d, "DIR")))
        if p.get("import_error"):
            add(f"{tag} import", p["import_error"])
        c = p.get("check") or {}
        if c.get("ok") is False:
            add(f"{tag} check", c.get("error"))
        for t, row in p["threads"].items():
            for what, e in [("OpenBLAS", row["openblas"]), ("ORT", row["ort"])] \
                    + [(f"ours {i}", v) for i, v in row["ours"].items()]:
                if e and "error" in e:
                    add(f"{tag} T={t} {what}", e["error"])
    if errors:
        out.append("n/a and failures (first line of the error; DIR is the "
                   "point's directory under the work directory):")
        out.append("")
        seen = {}
        for where, msg in errors:
            seen.setdefault(msg, []).append(where)
        for msg, where in seen.items():
            more = f" and {len(where) - 1} more" if len(where) > 1 else ""
            out.append(f"- {where[0]}{more}: `{msg}`")
        out.append("")
    return out


def floors(results):
    """The issue's floors at one thread: PASS/FAIL lines with the numbers."""
    out = ["## Floors (1 thread)", ""]
    if results["meta"]["skip_ours"]:
        return out + ["Not checked: --skip-ours.", ""]
    impls = forced(results)
    pts = [p for p in results["points"] if "1" in p["threads"]]
    if not pts:
        return out + ["Not checked: no 1-thread runs.", ""]

    def verdict(ok, text):
        out.append(f"- {'PASS' if ok else 'FAIL'}: {text}" if ok is not None
                   else f"- n/a: {text}")

    def r1(p):
        return p["threads"]["1"]

    def over(ok, measured, total, what):
        """A floor on each of `total` shapes: (verdict, note). A subset of
        them can fail it but not meet it (n/a)."""
        if measured == total:
            return ok, ""
        if not measured:
            return None, ""
        return (False if ok is False else None,
                f" (only {measured} of the {total} {what} measured)")

    # 1. dense >= 0.9x OpenBLAS, every shape.
    lines, ok, measured = [], True, 0
    for shape in dict.fromkeys(p["shape"] for p in pts):
        sp = [p for p in pts if p["shape"] == shape]
        base = ms(r1(sp[0])["openblas"])
        at0 = [p for p in sp if p["sparsity"] == "0"]
        use = at0 or sp
        dense = [ms(r1(p)["ours"].get("dense")) for p in use]
        dense = [v for v in dense if v is not None]
        if not dense or not base:
            lines.append(f"{shape} n/a")
            ok = False
            continue
        measured += 1
        d = statistics.median(dense)
        x = base / d
        ok = ok and x >= 0.9
        src = "s=0" if at0 else "median over sparsities"
        lines.append(f"{shape} {x:.2f}x ({d:.3f} vs {base:.3f} ms, {src})")
    ok, partial = over(ok, measured, len(SHAPES), "shapes")
    verdict(ok, "ours dense >= 0.9x OpenBLAS on every shape" + partial + ": "
            + "; ".join(lines))

    # 2./3. csr-or-planned at 90% >= 2.5x and at 95% >= 4x, BERT FC shapes.
    for level, floor in (("0.9", 2.5), ("0.95", 4.0)):
        lines, ok, any_pt, measured = [], True, False, 0
        for shape in BERT_SHAPES:
            sp = [p for p in pts if p["shape"] == shape and
                  p["sparsity"] == level]
            if not sp:
                continue
            any_pt = True
            row = r1(sp[0])
            base = ms(row["openblas"])
            cands = {i: ms(row["ours"].get(i)) for i in ("csr", "planned")}
            cands = {i: v for i, v in cands.items() if v is not None}
            if not cands or not base:
                lines.append(f"{shape} n/a")
                ok = False
                continue
            measured += 1
            best = min(cands, key=cands.get)
            x = base / cands[best]
            ok = ok and x >= floor
            lines.append(f"{shape} {x:.2f}x ({best} {cands[best]:.3f} vs "
                         f"{base:.3f} ms)")
        ok, partial = over(ok, measured, len(BERT_SHAPES), "BERT FC shapes")
        verdict(ok,
                f"at {float(level):.0%} csr or planned >= {floor}x OpenBLAS "
                "on each BERT FC shape" + partial + ": "
                + ("; ".join(lines) if any_pt else "no points measured"))

    # 4. planned never more than 3% slower than ours dense.
    worst, ok, n = None, True, 0
    for p in pts:
        d, pl = ms(r1(p)["ours"].get("dense")), ms(r1(p)["ours"].get("planned"))
        if d is None or pl is None:
            continue
        n += 1
        ratio = pl / d
        ok = ok and ratio <= 1.03
        if worst is None or ratio > worst[0]:
            worst = (ratio, p["shape"], p["sparsity"], pl, d)
    verdict(ok if n else None,
            f"planned <= 1.03x ours dense at every point ({n} points; worst "
            + (f"{worst[0]:.3f}x at {worst[1]} {worst[2]}: {worst[3]:.3f} vs "
               f"{worst[4]:.3f} ms)" if worst else "n/a)"))

    # 5. planner picks the measured-fastest impl at >= 90% of the points.
    agree, total, misses, near = 0, 0, [], 0
    pred_err, all_err = [], []
    for p in pts:
        plan = p.get("plan")
        row = r1(p)
        times = {i: ms(row["ours"].get(i)) for i in impls}
        times = {i: v for i, v in times.items() if v is not None}
        if not plan or not times:
            continue
        choice = plan["choice"]
        if choice not in times and ms(row["ours"].get("planned")) is not None:
            times[choice] = ms(row["ours"]["planned"])
        if choice not in times:
            continue
        total += 1
        fastest = min(times, key=lambda i: (times[i], i != "dense"))
        if choice == fastest:
            agree += 1
        else:
            misses.append(f"{p['shape']} {p['sparsity']}: chose {choice} "
                          f"{times[choice]:.3f} ms, fastest {fastest} "
                          f"{times[fastest]:.3f} ms")
        if times[choice] <= 1.03 * times[fastest]:
            near += 1
        # 6. predicted vs measured speedup over dense of the choice. The
        # choice's time is its forced run (the same code as the planned
        # one; a dense choice then measures exactly 1x, as predicted), the
        # planned run when the choice was not forced.
        cand = plan.get("candidates") or {}
        dense_ms, chosen_ms = ms(row["ours"].get("dense")), times[choice]
        if ("dense" in cand and choice in cand and cand[choice] and
                dense_ms and chosen_ms):
            pred = cand["dense"] / cand[choice]
            meas = dense_ms / chosen_ms
            pred_err.append((abs(pred - meas) / meas, p["shape"],
                             p["sparsity"], pred, meas, choice))
        # The same for every measured candidate but dense, whose predicted
        # and measured speedup over itself are 1 by definition
        # (information, no floor).
        if "dense" in cand and dense_ms:
            for i, t_ms in times.items():
                if i != "dense" and cand.get(i) and t_ms:
                    pred = cand["dense"] / cand[i]
                    meas = dense_ms / t_ms
                    all_err.append((abs(pred - meas) / meas, p["shape"],
                                    p["sparsity"], i, pred, meas))
    share = agree / total if total else None
    verdict(share >= 0.9 if total else None,
            f"planner's choice is the measured fastest at {agree}/{total} "
            f"points ({100 * share:.0f}%; within 3% of the fastest at "
            f"{near}/{total})" if total else
            "planner's choice is the measured fastest: no points")
    for miss in misses:
        out.append(f"  - {miss}")
    if pred_err:
        med = statistics.median(e[0] for e in pred_err)
        worst = max(pred_err)
        # A dense choice predicts and measures 1x by construction; the
        # median over the other choices says how good the model is.
        sparse = [e[0] for e in pred_err if e[5] != "dense"]
        sparse_text = (f"; over the {len(sparse)} point(s) whose choice is "
                       f"not dense: median "
                       f"{100 * statistics.median(sparse):.1f}%"
                       if sparse else "; every choice is dense")
        verdict(med <= 0.2,
                f"median |predicted - measured| / measured speedup of the "
                f"choice over dense (dense_us / chosen_us) = "
                f"{100 * med:.1f}% over {len(pred_err)} points (<= 20%)"
                f"{sparse_text}; worst {100 * worst[0]:.1f}% at {worst[1]} "
                f"{worst[2]} (predicted {worst[3]:.2f}x, measured "
                f"{worst[4]:.2f}x)")
    else:
        verdict(None, "prediction error of the speedup: no points")
    if all_err:
        med = statistics.median(e[0] for e in all_err)
        worst = max(all_err)
        out.append(f"- (information) the same error over every measured "
                   f"candidate but dense, not just the choice: median "
                   f"{100 * med:.1f}% "
                   f"over {len(all_err)} (point, impl) pairs; worst "
                   f"{100 * worst[0]:.1f}% at {worst[1]} {worst[2]} "
                   f"{worst[3]} (predicted {worst[4]:.2f}x, measured "
                   f"{worst[5]:.2f}x)")
    # The lowered model must compute what the unlowered one does, or its
    # times mean nothing.
    checks = [(p["shape"], p["sparsity"], (p.get("check") or {}).get("ok"))
              for p in pts]
    bad = [f"{s} {sp}" for s, sp, ok in checks if ok is not True]
    verdict(not bad if checks else None,
            f"planned module matches the unlowered one (sparsity-run "
            f"--compare) at {len(checks) - len(bad)}/{len(checks)} points"
            + (f"; not at: {', '.join(bad)}" if bad else ""))
    out.append("")
    return out


def plot(results, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    shapes = list(dict.fromkeys(p["shape"] for p in results["points"]))
    if not shapes:
        return
    cols = min(4, len(shapes))
    rows = (len(shapes) + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(4.6 * cols, 3.8 * rows),
                             squeeze=False)
    series = ["ORT"] + [f"ours {i}" for i in forced(results)] + \
        (["ours planned"] if not results["meta"]["skip_ours"] else [])
    colors = dict(zip(series, plt.rcParams["axes.prop_cycle"].by_key()
                      ["color"] * 3))
    for ax, shape in zip(axes.flat, shapes):
        pts = [p for p in results["points"] if p["shape"] == shape and
               "1" in p["threads"]]
        for s in series:
            xs, ys, x24, y24 = [], [], None, None
            for p in pts:
                row = p["threads"]["1"]
                base = ms(row["openblas"])
                e = row["ort"] if s == "ORT" else \
                    row["ours"].get(s.split(" ", 1)[1])
                v = ms(e)
                if v is None or not base:
                    continue
                if p["sparsity"] == "2:4":
                    x24, y24 = 0.5, base / v
                else:
                    xs.append(float(p["sparsity"]))
                    ys.append(base / v)
            order = np.argsort(xs)
            style = "--" if s == "ORT" else "-"
            width = 2.5 if s == "ours planned" else 1.3
            if xs:
                ax.plot(np.array(xs)[order], np.array(ys)[order], style,
                        marker="o", markersize=4, color=colors[s], label=s,
                        linewidth=width,
                        alpha=0.6 if s == "ours planned" else 1.0)
            if x24 is not None:
                ax.plot([x24], [y24], marker="*", markersize=11,
                        linestyle="none", color=colors[s],
                        label=None if xs else s)
        ax.axhline(1.0, color="gray", linewidth=0.8, linestyle=":")
        ax.set_title(SHAPES.get(shape, {}).get("title", shape), fontsize=9)
        ax.set_xlabel("weight sparsity (★ = 2:4, at 0.5)")
        ax.set_ylabel("speedup over OpenBLAS dense, 1 thread")
        ax.set_ylim(bottom=0)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7)
    for ax in list(axes.flat)[len(shapes):]:
        ax.axis("off")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    log(f"wrote {path}")


# --------------------------------------------------------------------------


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawTextHelpFormatter)
    add_common_args(
        p, "bench-x86-layers",
        (20, "timed iterations of every measurement (default 20; OpenBLAS "
             "at least 10)"),
        "rounds: every contender of a row runs once per round (fresh "
        "processes, in turn) and keeps its lowest median (default 1; this "
        "machine's run-to-run noise is 10-30%%)",
        "measure OpenBLAS and ORT only",
        "keep the lowered model.IMPL.mlir files (large)", 900,
        "seconds before one command is given up as n/a (default 900)",
        "tabulate (and plot) a saved results.json; measure nothing")
    p.add_argument("--blas-m1", choices=("sgemm", "sgemv", "best"),
                   default="sgemm",
                   help="OpenBLAS baseline of the M = 1 shape (fc-4096-b1): "
                        "sgemm (default), sgemv, or the faster of the two; "
                        "OpenBLAS 0.3.21 does not forward M = 1 sgemm to "
                        "sgemv, which is several times faster; both are "
                        "recorded either way")
    p.add_argument("--impls", default=",".join(DEFAULT_IMPLS),
                   help="comma-separated implementations forced with "
                        "force=IMPL (default dense,csr,bitmap,pattern); "
                        "'planned' (no force) is always added")
    p.add_argument("--shapes", default=",".join(SHAPES),
                   help="comma-separated subset of: " + ", ".join(SHAPES))
    p.add_argument("--sparsities", default=",".join(SPARSITIES),
                   help="comma-separated, from: " + ", ".join(SPARSITIES)
                        + " (any fraction in [0, 1) works too)")
    p.add_argument("--target", default="x86-avx512",
                   help="target of --sparsity-plan and --sparsity-lower: a "
                        "preset name or a JSON file (default x86-avx512)")
    p.add_argument("--calibrate", action="store_true",
                   help="first run sparsity-calibrate (about a minute) into "
                        "WORK/target.json and use that as --target: the "
                        "planner's rates of this machine; the description "
                        "is kept in results.json")
    p.add_argument("--plot", metavar="OUT.png", help="write the plot here")
    args = p.parse_args()
    if args.from_results:
        with open(args.from_results) as f:
            results = json.load(f)
        args.work = os.path.dirname(os.path.abspath(args.from_results))
    else:
        args.threads = [int(t) for t in csv_list(args.threads)]
        args.impls = csv_list(args.impls)
        args.shapes = csv_list(args.shapes)
        args.sparsities = csv_list(args.sparsities)
        for s in args.shapes:
            if s not in SHAPES:
                p.error(f"unknown shape '{s}' (known: {', '.join(SHAPES)})")
        for s in args.sparsities:
            if s != "2:4":
                try:
                    ok = 0 <= float(s) < 1
                except ValueError:
                    ok = False
                if not ok:
                    p.error(f"bad sparsity '{s}'")
        if args.target.endswith(".json"):
            args.target = os.path.abspath(args.target)
        args.work = os.path.abspath(args.work)
        os.makedirs(args.work, exist_ok=True)
        args.target_json = None
        if args.calibrate:
            out = os.path.join(args.work, "target.json")
            cmd = [os.path.join(args.bin, "sparsity-calibrate"), "-o", out]
            log("calibrating: " + " ".join(shlex.quote(a) for a in cmd))
            t0 = time.time()
            r = subprocess.run(cmd, stderr=subprocess.PIPE, text=True)
            if r.returncode != 0:
                sys.exit(f"x86-layers: sparsity-calibrate failed "
                         f"(exit {r.returncode}): {r.stderr.strip()}")
            log(f"  {time.time() - t0:.1f} s; wrote {out}")
            args.target = out
            with open(out) as f:
                args.target_json = json.load(f)
        elif args.target.endswith(".json"):
            with open(args.target) as f:
                args.target_json = json.load(f)
        results = measure(args)
        with open(os.path.join(args.work, "results.json"), "w") as f:
            json.dump(results, f, indent=1)
        log(f"wrote {os.path.join(args.work, 'results.json')}")
    lines = ["# x86 layer benchmark", ""] + table(results) + floors(results)
    text = "\n".join(lines)
    print(text)
    md = os.path.join(args.work, "table.md")
    try:
        with open(md, "w") as f:
            f.write(text + "\n")
        log(f"wrote {md}")
    except OSError as e:
        log(f"x86-layers: cannot write {md}: {e}")
    if args.plot:
        plot(results, args.plot)


if __name__ == "__main__":
    main()
