#!/usr/bin/env python3
"""Writes the deterministic sections of an aimcsim report.json into the golden file.

usage: regen.py <report.json> <expected.json>   (see README.md)
"""
import json
import sys

SECTIONS = ["latency", "energy", "area", "outputs", "mapping", "stats"]

report = json.load(open(sys.argv[1]))
with open(sys.argv[2], "w") as f:
    json.dump({k: report[k] for k in SECTIONS}, f, indent=1, sort_keys=True)
    f.write("\n")
