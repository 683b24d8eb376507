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


def best_of(repeats, fn):
    """Runs fn() `repeats` times (each a fresh process); returns the entry
    with the lowest median, with every repeat's median in "repeats_ms"."""
    entries = [fn() for _ in range(repeats)]
    good = [e for e in entries if "median_ms" in e]
    if not good:
        return entries[0]
    best = dict(min(good, key=lambda e: e["median_ms"]))
    if repeats > 1:
        best["repeats_ms"] = [e.get("median_ms") for e in entries]
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
