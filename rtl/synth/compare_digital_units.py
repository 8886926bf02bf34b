#!/usr/bin/python3
"""Accuracy, latency and host time of one network with each digital unit (issue 6's accuracy comparison).

Usage: compare_digital_units.py [--aimcsim build/dev/aimcsim] [--config configs/quickstart.yaml]
                                [--model M.onnx --inputs X.npy --labels Y.npy] [--batch 450]
                                [--out out/compare_du] [--set key=value ...] [--min-accuracy A] [--json]

Runs `aimcsim run` once per digital unit on the same config, seed and inputs:
  nmpu/cpp        the fixed-point NMPU, C++ model (aimc::NmpuModel)
  ldpu_fp16/cpp   the FP16 LDPU, C++ model (aimc::LdpuFp16Model)
  nmpu/rtl        the Verilated NMPU (core.digital_unit.impl=rtl); skipped when the CLI was built without RTL
  nmpu narrow/cpp, nmpu wide/cpp   the NMPU with compare_area.py's narrow / wide stage formats
                  (core.digital_unit.format.*)
and prints one table row per unit (accuracy, agreement with the float reference, logit error, latency) plus
how many INT8 logits differ from the nmpu/cpp run. Only the digital unit changes between rows, so every
difference is the unit's.

--model/--inputs/--labels override the config's workload (e.g. models/digits_cnn.onnx once convolutions map
onto the chip); extra --set pairs go to every run. With --min-accuracy the exit status is 1 if any unit's
accuracy is below A, or if nmpu/rtl's logits are not byte-identical to nmpu/cpp's. --json prints the summary
as JSON (also written to OUT/summary.json).
"""
import argparse
import json
import os
import subprocess
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare_area import NMPU_FORMATS  # noqa: E402  (the narrow/default/wide formats of the area table)

# compare_area.py's format names -> the arch keys core.digital_unit.format.<key>.
FORMAT_KEYS = {"Gain": "gain", "Offset": "offset", "Corr": "corrected", "Scale": "scale", "Bias": "bias",
               "Acc": "accumulator", "SideScale": "side_scale"}


def format_sets(name):
    formats = dict(NMPU_FORMATS)[name]
    return [f"core.digital_unit.format.{FORMAT_KEYS[k]}=Q{i}.{f}" for k, (i, f) in formats.items()]


# (row name, kind, impl, extra --set pairs)
UNITS = [("nmpu/cpp", "nmpu", "cpp", []),
         ("ldpu_fp16/cpp", "ldpu_fp16", "cpp", []),
         ("nmpu/rtl", "nmpu", "rtl", []),
         ("nmpu narrow/cpp", "nmpu", "cpp", format_sets("narrow")),
         ("nmpu wide/cpp", "nmpu", "cpp", format_sets("wide"))]


def run_unit(args, name, kind, impl, sets):
    out = os.path.join(args.out, name.replace("/", "_").replace(" ", "_"))
    cmd = [args.aimcsim, "run", args.config, "--batch", str(args.batch), "--out", out,
           "--set", f"core.digital_unit.kind={kind}", "--set", f"core.digital_unit.impl={impl}"]
    for kv in sets:
        cmd += ["--set", kv]
    for flag, value in (("--model", args.model), ("--inputs", args.inputs), ("--labels", args.labels)):
        if value:
            cmd += [flag, value]
    for kv in args.set:
        cmd += ["--set", kv]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        # An RTL unit in a build without Verilator is a user error (exit 2) naming core.digital_unit.impl.
        if impl == "rtl" and proc.returncode == 2 and "core.digital_unit.impl" in proc.stderr:
            return None
        sys.exit(f"failed (status {proc.returncode}): {' '.join(cmd)}\n{proc.stderr}")
    with open(os.path.join(out, "report.json")) as f:
        report = json.load(f)
    logits = np.load(os.path.join(out, "logits.npy"))
    per_time = report["outputs"]["per_time"][0]
    return {
        "unit": name,
        "command": " ".join(cmd),
        "accuracy": per_time.get("accuracy"),
        "float_accuracy": report["outputs"].get("float_accuracy"),
        "agreement_with_float": per_time["agreement_with_float"],
        "logit_relative_error": per_time["logit_relative_error"],
        "first_sample_ns": report["latency"]["first_sample_ns"],
        "batch_makespan_ns": report["latency"]["batch_makespan_ns"],
        "digital_unit_host_s": report["host"]["digital_unit_seconds"],
        "samples": report["outputs"]["samples"],
        "_logits": logits,
    }


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--aimcsim", default=os.path.join(ROOT, "build/dev/aimcsim"))
    p.add_argument("--config", default="configs/quickstart.yaml")
    p.add_argument("--model")
    p.add_argument("--inputs")
    p.add_argument("--labels")
    p.add_argument("--batch", type=int, default=450, help="input rows (0 = all)")
    p.add_argument("--out", default=os.path.join(ROOT, "out/compare_du"))
    p.add_argument("--set", action="append", default=[], help="key=value for every run (repeatable)")
    p.add_argument("--min-accuracy", type=float)
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    args.aimcsim = os.path.abspath(args.aimcsim)
    args.out = os.path.abspath(args.out)

    rows, skipped = [], []
    for name, kind, impl, sets in UNITS:
        row = run_unit(args, name, kind, impl, sets)
        if row is None:
            skipped.append(name)
        else:
            rows.append(row)
    ref = rows[0]["_logits"]
    for row in rows:
        diff = np.abs(row["_logits"].astype(np.int32) - ref.astype(np.int32))
        row["logits_differing_from_nmpu_cpp"] = int(np.count_nonzero(diff))
        row["max_logit_difference_lsb"] = int(diff.max()) if diff.size else 0
        row["logits_total"] = int(diff.size)
        row["logits_identical_to_nmpu_cpp"] = bool(row["_logits"].tobytes() == ref.tobytes())
        del row["_logits"]

    failures = []
    if args.min_accuracy is not None:
        for row in rows:
            if row["accuracy"] is None or row["accuracy"] < args.min_accuracy:
                failures.append(f"{row['unit']}: accuracy {row['accuracy']} below {args.min_accuracy}")
        for row in rows:
            if row["unit"] == "nmpu/rtl" and not row["logits_identical_to_nmpu_cpp"]:
                failures.append("nmpu/rtl: logits differ from nmpu/cpp")
    summary = {"rows": rows, "skipped": skipped, "failures": failures}
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=1)

    if args.json:
        print(json.dumps(summary, indent=1))
    else:
        print("| digital unit | accuracy | agreement with float | logit rel. error | INT8 logits != nmpu/cpp "
              "| first sample | batch makespan | host time in digital units |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        for r in rows:
            acc = "n/a" if r["accuracy"] is None else f"{100 * r['accuracy']:.2f} %"
            print(f"| {r['unit']} | {acc} | {100 * r['agreement_with_float']:.2f} % "
                  f"| {100 * r['logit_relative_error']:.3f} % "
                  f"| {r['logits_differing_from_nmpu_cpp']} of {r['logits_total']} "
                  f"(max {r['max_logit_difference_lsb']} LSB) | {r['first_sample_ns']:.1f} ns "
                  f"| {r['batch_makespan_ns'] / 1e3:.2f} us | {1e3 * r['digital_unit_host_s']:.1f} ms |")
        if rows and rows[0]["float_accuracy"] is not None:
            print(f"| float reference | {100 * rows[0]['float_accuracy']:.2f} % | | | | | | |")
        for s in skipped:
            print(f"{s}: skipped (this aimcsim was built without the Verilated NMPU)")
        print(f"{rows[0]['samples']} samples; reports in {args.out}")
    for f_ in failures:
        print("FAIL " + f_, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
