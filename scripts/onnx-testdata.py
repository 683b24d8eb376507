#!/usr/bin/python3
"""Runs Debian's libonnx-testdata cases through sparsity-import-onnx and
sparsity-run and compares with the shipped expected outputs.

For every case directory (node/, pytorch-converted/, pytorch-operator/) it
  1. imports model.onnx with sparsity-import-onnx,
  2. converts test_data_set_0/input_*.pb and output_*.pb to .npy
     (sparsity-import-onnx --tensor-to-npy),
  3. runs sparsity-run on the inputs with --compare against the outputs,
and prints one line per case (PASS / FAIL / SKIP with the reason) and totals.
A case is skipped, never counted as passed, when the importer reports an
operator, attribute, type or opset it does not support, or a shape operand
only known at run time (the importer requires static shapes); the reason is
printed for every skipped case.

Tolerances follow ONNX's own backend tests: rtol 1e-3, atol 1e-7.

  /usr/bin/python3 scripts/onnx-testdata.py [--build build] [--filter REGEX]
      [--suites node,pytorch-converted,pytorch-operator] [--jobs N]
      [--summary-only]

Needs only the standard library and the built tools.
Exit status: 0 when no case failed, 1 otherwise.
"""

import argparse
import concurrent.futures
import os
import re
import subprocess
import sys
import tempfile

DATA_ROOT = "/usr/include/onnx/backend/test/data"
SUITES = ["node", "pytorch-converted", "pytorch-operator"]
RTOL, ATOL = "1e-3", "1e-7"


def first_line(text):
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return "(no message)"


def run_case(case_dir, tools, timeout):
    """Returns (status, detail)."""
    data_set = os.path.join(case_dir, "test_data_set_0")
    if not os.path.isdir(data_set):
        return "SKIP", "no test_data_set_0"
    with tempfile.TemporaryDirectory(prefix="onnx-case-") as tmp:
        mlir = os.path.join(tmp, "model.mlir")
        imp = subprocess.run(
            [tools["import"], os.path.join(case_dir, "model.onnx"), "-o", mlir],
            capture_output=True, text=True, timeout=timeout)
        if imp.returncode != 0:
            message = first_line(imp.stderr)
            # Outside what the importer promises: an operator, attribute, type
            # or opset it reports as not supported, a shape/axes/pads operand
            # only known at run time, or a model of another operator domain.
            if re.search(r"not supported|unsupported|must be a constant|"
                         r"imports no opset of the default ONNX domain",
                         message):
                return "SKIP", message
            return "FAIL", "import: " + message
        args = [tools["run"], mlir]
        inputs = sorted(f for f in os.listdir(data_set) if f.startswith("input_"))
        outputs = sorted(f for f in os.listdir(data_set) if f.startswith("output_"))
        for kind, names in (("input", inputs), ("compare", outputs)):
            for name in sorted(names, key=lambda n: int(re.findall(r"\d+", n)[0])):
                npy = os.path.join(tmp, name.replace(".pb", ".npy"))
                conv = subprocess.run(
                    [tools["import"], "--tensor-to-npy",
                     os.path.join(data_set, name), "-o", npy],
                    capture_output=True, text=True, timeout=timeout)
                if conv.returncode != 0:
                    message = first_line(conv.stderr)
                    if re.search(r"no \.npy form|not supported", message):
                        return "SKIP", f"test data {name}: {message}"
                    return "FAIL", f"test data {name}: {message}"
                args.append(f"--{kind}={npy}")
        args += [f"--rtol={RTOL}", f"--atol={ATOL}"]
        run = subprocess.run(args, capture_output=True, text=True,
                             timeout=timeout)
        if run.returncode == 0:
            return "PASS", ""
        message = first_line(run.stderr or run.stdout)
        if run.returncode == 2 and re.search(r"not supported|unsupported", message):
            return "SKIP", "run: " + message
        return "FAIL", f"run (exit {run.returncode}): {message}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", default="build", help="build directory")
    parser.add_argument("--filter", default="", help="regex on case names")
    parser.add_argument("--suites", default=",".join(SUITES))
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=int, default=120)
    parser.add_argument("--summary-only", action="store_true")
    args = parser.parse_args()

    tools = {"import": os.path.join(args.build, "bin", "sparsity-import-onnx"),
             "run": os.path.join(args.build, "bin", "sparsity-run")}
    for tool in tools.values():
        if not os.access(tool, os.X_OK):
            sys.exit(f"onnx-testdata: error: {tool} not found; build it first")

    cases = []
    for suite in args.suites.split(","):
        root = os.path.join(DATA_ROOT, suite)
        if not os.path.isdir(root):
            sys.exit(f"onnx-testdata: error: {root} not found "
                     "(install Debian's libonnx-testdata)")
        for name in sorted(os.listdir(root)):
            if re.search(args.filter, f"{suite}/{name}"):
                cases.append((f"{suite}/{name}", os.path.join(root, name)))

    counts = {"PASS": 0, "FAIL": 0, "SKIP": 0}
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        futures = {name: pool.submit(run_case, path, tools, args.timeout)
                   for name, path in cases}
        for name, future in futures.items():
            try:
                status, detail = future.result()
            except subprocess.TimeoutExpired:
                status, detail = "FAIL", f"timed out after {args.timeout} s"
            counts[status] += 1
            if not args.summary_only or status == "FAIL":
                print(f"{status} {name}" + (f": {detail}" if detail else ""),
                      flush=True)
    attempted = counts["PASS"] + counts["FAIL"]
    print(f"onnx-testdata: {counts['PASS']} passed, {counts['FAIL']} failed, "
          f"{counts['SKIP']} skipped ({attempted} attempted of {len(cases)})")
    return 1 if counts["FAIL"] else 0


if __name__ == "__main__":
    sys.exit(main())
