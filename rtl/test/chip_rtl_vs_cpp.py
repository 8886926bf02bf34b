#!/usr/bin/env python3
"""The Verilated NMPU inside the chip (core.digital_unit.impl: rtl) against the C++ NMPU (impl cpp).

Runs `aimcsim run configs/quickstart.yaml` twice -- impl cpp, then impl rtl -- and requires logits.npy to be
byte-identical and the deterministic report sections (latency, energy, outputs, stats) to be equal: the RTL
takes the cycles the chip charges (DigitalUnit asserts it on every vector). It also checks that the RTL really
ran (report host.digital_unit_impl names nmpu/rtl on every mapped core), that a subset of cores (rtl_cores)
gives the same bytes, and that an arch the Verilated build cannot match is a user error (exit 2) naming the
key, and that the FP16 LDPU gives other bytes (the comparison can fail). Prints the host-time ratio rtl/cpp (whole run and digital units only).

usage: chip_rtl_vs_cpp.py AIMCSIM REPO_ROOT WORK_DIR [--batch N]
"""
import argparse
import json
import os
import subprocess
import sys


def run(cli, root, out, extra):
    cmd = [cli, "run", os.path.join(root, "configs/quickstart.yaml"), "--out", out] + extra
    p = subprocess.run(cmd, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return p, cmd


def run_variants(run_one, work, variants, reports, logits):
    """Runs each variant into WORK/NAME with run_one(out, extra); reads its report and logits bytes.
    False (after printing the failure) if a run does not exit 0."""
    for name, extra in variants.items():
        out = os.path.join(work, name)
        p, cmd = run_one(out, extra)
        if p.returncode != 0:
            print("FAIL: %s exited %d\n%s\n%s" % (" ".join(cmd), p.returncode, p.stdout, p.stderr))
            return False
        with open(os.path.join(out, "report.json")) as f:
            reports[name] = json.load(f)
        with open(os.path.join(out, "logits.npy"), "rb") as f:
            logits[name] = f.read()
    return True


def compare_with_cpp(reports, logits, names, failures):
    """The named runs against the "cpp" run: logits byte for byte, the deterministic report sections equal;
    and the "ldpu_fp16" run must differ (else the comparison could not fail)."""
    for name in names:
        if logits[name] != logits["cpp"]:
            failures.append("logits.npy of %s differs from the C++ run" % name)
        for section in ("latency", "energy", "outputs", "stats"):
            if reports[name][section] != reports["cpp"][section]:
                failures.append("report section '%s' of %s differs from the C++ run" % (section, name))
    if logits["ldpu_fp16"] == logits["cpp"]:
        failures.append("the FP16 LDPU gave the NMPU's logits byte for byte: the comparison cannot fail")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cli")
    ap.add_argument("root")
    ap.add_argument("work")
    ap.add_argument("--batch", type=int, default=100)
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    batch = ["--batch", str(a.batch)]
    failures = []
    reports = {}
    logits = {}
    variants = {
        "cpp": ["--set", "core.digital_unit.impl=cpp"],
        "rtl": ["--set", "core.digital_unit.impl=rtl"],
        "rtl_subset": ["--set", "core.digital_unit.impl=rtl", "--set", "core.digital_unit.rtl_cores=1"],
        # Another digital unit (FP16) must give other bytes: the byte comparison can fail.
        "ldpu_fp16": ["--set", "core.digital_unit.kind=ldpu_fp16"],
    }
    if not run_variants(lambda out, extra: run(a.cli, a.root, out, batch + extra), a.work, variants, reports,
                        logits):
        return 1

    impls = {k: r["host"]["digital_unit_impl"] for k, r in reports.items()}
    if set(impls["cpp"].values()) != {"nmpu/cpp"}:
        failures.append("cpp run used %s" % impls["cpp"])
    if set(impls["rtl"].values()) != {"nmpu/rtl"}:
        failures.append("rtl run used %s (expected nmpu/rtl on every mapped core)" % impls["rtl"])
    sub = impls["rtl_subset"]
    if sub.get("1") != "nmpu/rtl" or any(v != "nmpu/cpp" for k, v in sub.items() if k != "1"):
        failures.append("rtl_cores=1 run used %s (expected nmpu/rtl on core 1 only)" % sub)

    compare_with_cpp(reports, logits, ("rtl", "rtl_subset"), failures)

    # An arch the Verilated build cannot match: a user error naming the key, exit status 2.
    for key, value in (("core.digital_unit.lanes", "4"), ("core.digital_unit.pipeline_depth", "3")):
        p, cmd = run(a.cli, a.root, os.path.join(a.work, "bad"),
                     ["--batch", "2", "--set", "core.digital_unit.impl=rtl", "--set", "%s=%s" % (key, value)])
        if p.returncode != 2 or key not in p.stderr:
            failures.append("%s: expected exit 2 naming %s, got %d: %s" % (" ".join(cmd), key, p.returncode,
                                                                           p.stderr.strip()))

    hc, hr = reports["cpp"]["host"], reports["rtl"]["host"]
    print("logits.npy: %d bytes, cpp == rtl: %s, cpp == rtl on core 1 only: %s"
          % (len(logits["cpp"]), logits["rtl"] == logits["cpp"], logits["rtl_subset"] == logits["cpp"]))
    print("host time, whole run: cpp %.3f s, rtl %.3f s, ratio rtl/cpp %.2f"
          % (hc["seconds"], hr["seconds"], hr["seconds"] / hc["seconds"]))
    if hc["digital_unit_seconds"] > 0:
        print("host time, digital units: cpp %.4f s, rtl %.4f s, ratio rtl/cpp %.1f"
              % (hc["digital_unit_seconds"], hr["digital_unit_seconds"],
                 hr["digital_unit_seconds"] / hc["digital_unit_seconds"]))
    for f in failures:
        print("FAIL: " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
