#!/usr/bin/env python3
"""Checks that --sparsity-report's saved_macs_foldable on a model predicts the
MACs that --sparsity-fold-structured leaves: macs(before) - foldable(before)
== macs(after), for the model and for every layer (matched by position: the
fold keeps every layer). Exits 1 on any difference.

usage: foldable-macs.py before.json after.json
"""
import json
import sys


def main():
    before = json.load(open(sys.argv[1]))
    after = json.load(open(sys.argv[2]))
    bad = 0
    if len(before["layers"]) != len(after["layers"]):
        print("layer count differs: %d vs %d" %
              (len(before["layers"]), len(after["layers"])))
        return 1
    for b, a in zip(before["layers"], after["layers"]):
        if b["macs"] - b["saved_macs_foldable"] != a["macs"]:
            print("layer %s: %d - %d != %d" % (b["name"], b["macs"],
                  b["saved_macs_foldable"], a["macs"]))
            bad += 1
    m, f = before["model"], after["model"]
    predicted = m["macs"] - m["saved_macs_foldable"]
    print("model: %d - %d = %d, after folding %d, foldable left %d" %
          (m["macs"], m["saved_macs_foldable"], predicted, f["macs"],
           f["saved_macs_foldable"]))
    if predicted != f["macs"]:
        bad += 1
    if bad:
        print("MISMATCH")
        return 1
    print("foldable MACs exact")
    return 0


if __name__ == "__main__":
    sys.exit(main())
