"""Helpers shared by bench/x86-layers.py and bench/x86-models.py."""
import os
import re
import resource
import subprocess
import sys
import time


class ForeignCpu:
    """Share of the machine's CPU time that went to processes other than
    this script and its children (and to the hypervisor: steal) between
    start() and stop(): a run with much of it measured a loaded machine."""

    def __init__(self):
        self.hz = os.sysconf("SC_CLK_TCK")
        self.ncpu = os.cpu_count() or 1

    def _sample(self):
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:9]]
        busy = (v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) / self.hz
        own = 0.0
        for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
            r = resource.getrusage(who)
            own += r.ru_utime + r.ru_stime
        return time.monotonic(), busy, own

    def start(self):
        self.t0 = self._sample()

    def stop(self):
        t1 = self._sample()
        wall = t1[0] - self.t0[0]
        if wall <= 0:
            return 0.0
        foreign = (t1[1] - self.t0[1]) - (t1[2] - self.t0[2])
        return round(max(0.0, foreign / (wall * self.ncpu)), 3)


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def best_of_rounds(repeats, fns):
    """Runs every fn of the dict `fns` once per round, `repeats` rounds, in
    turn (so that a slow phase of the machine hits every contender of the
    round, not just the one that happened to run then); returns, per name,
    the entry with the lowest median, with every round's median in
    "repeats_ms"."""
    entries = {name: [] for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            entries[name].append(fn())
    best = {}
    for name, runs in entries.items():
        good = [e for e in runs if "median_ms" in e]
        if not good:
            best[name] = runs[0]
            continue
        best[name] = dict(min(good, key=lambda e: e["median_ms"]))
        if repeats > 1:
            best[name]["repeats_ms"] = [e.get("median_ms") for e in runs]
    return best


def threads_flag(args):
    """sparsity-run's thread-count option, from its --help (--threads or
    --num-threads) unless --run-threads-flag names it; None when it has
    neither (then every 'ours' run is n/a, saying so)."""
    if args.run_threads_flag:
        return args.run_threads_flag
    if not hasattr(args, "_threads_flag"):
        try:
            text = subprocess.run(
                [os.path.join(args.bin, "sparsity-run"), "--help"],
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                timeout=60).stdout
        except (OSError, subprocess.TimeoutExpired):
            text = ""
        args._threads_flag = next(
            (f for f in ("--threads", "--num-threads")
             if re.search(r"^\s*" + re.escape(f) + r"[=\s]", text, re.M)),
            None)
    return args._threads_flag


def csv_list(text):
    return [s.strip() for s in text.split(",") if s.strip()]


BENCH_RE = re.compile(r"bench @\S+: .*median ([0-9.eE+-]+) ms, min "
                      r"([0-9.eE+-]+) ms, max ([0-9.eE+-]+) ms")


def run_cmd(cmd, timeout, env=None):
    """Runs cmd; returns (ok, stdout, stderr, first line of the error)."""
    try:
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return False, "", "", f"timed out after {timeout} s"
    except OSError as e:
        return False, "", "", str(e)
    if r.returncode != 0:
        lines = [l for l in (r.stderr + "\n" + r.stdout).splitlines()
                 if l.strip()]
        # The first line that says 'error' if any, else the first line.
        first = next((l for l in lines if "error" in l.lower()),
                     lines[0] if lines else "")
        return (False, r.stdout, r.stderr,
                f"exit {r.returncode}: {first.strip()[:300]}")
    return True, r.stdout, r.stderr, ""


def bench_ours(args, lowered, threads):
    """sparsity-run --bench args.iters of `lowered` on `threads` threads:
    {"median_ms", "min_ms", "max_ms"} or {"error"}."""
    flag = threads_flag(args)
    if not flag and threads != 1:
        return {"error": "sparsity-run has neither --threads nor "
                         "--num-threads"}
    ok, out, _, err = run_cmd([os.path.join(args.bin, "sparsity-run"),
                               lowered, "--bench", str(args.iters)]
                              + ([flag, str(threads)] if flag else []),
                              args.timeout)
    if not ok:
        return {"error": err}
    m = BENCH_RE.search(out)
    if not m:
        return {"error": "no 'bench @...: median' line in the output"}
    return {"median_ms": float(m.group(1)), "min_ms": float(m.group(2)),
            "max_ms": float(m.group(3))}


def add_common_args(p, work, iters, repeats_help, skip_help, keep_help,
                    timeout, timeout_help, from_results_help):
    """The options both benchmarks have; the texts that differ are given."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    p.add_argument("--work", default=os.path.join(root, "build", work),
                   help=f"work directory (default: build/{work})")
    p.add_argument("--bin", default=os.path.join(root, "build", "bin"),
                   help="directory of sparsity-import-onnx, sparsity-opt and "
                        "sparsity-run (default: build/bin)")
    p.add_argument("--threads", default="1,2",
                   help="comma-separated thread counts (default 1,2)")
    p.add_argument("--iters", type=int, default=iters[0], help=iters[1])
    p.add_argument("--repeats", type=int, default=1, help=repeats_help)
    p.add_argument("--run-threads-flag", metavar="FLAG",
                   help="sparsity-run's thread-count option (default: "
                        "--threads or --num-threads, whichever its --help "
                        "lists)")
    p.add_argument("--skip-ours", action="store_true", help=skip_help)
    p.add_argument("--keep-lowered", action="store_true", help=keep_help)
    p.add_argument("--timeout", type=int, default=timeout, help=timeout_help)
    p.add_argument("--from-results", metavar="JSON", help=from_results_help)
