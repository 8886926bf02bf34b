#!/usr/bin/env python3
"""The Verilated NMPU with the activation stage inside the chip against the C++ NMPU.

Runs models/pytorch/act_gelu.onnx (GELU in the activation stage's table) on arch/ideal.yaml (stage enabled)
with core.digital_unit.impl cpp, then rtl, and requires logits.npy to be byte-identical and the deterministic
report sections (latency, energy, outputs, stats) to be equal: the RTL with the stage takes the cycles the chip
charges (pipeline_depth + activation.pipeline_depth). Both runs set core.adc.counter_bits=12: ideal.yaml widens
the CCO counters to 14 bits, the Verilated NMPU is built with the 12-bit counters of arch/hermes.yaml (a
mismatch is a user error, checked below). Also checks that the RTL really ran (host.digital_unit_impl), that
an activation stage the build cannot match (bins) is a user error naming the key, and that the FP16 LDPU gives
other bytes (the comparison can fail).

usage: chip_act_rtl_vs_cpp.py AIMCSIM REPO_ROOT WORK_DIR [--model NAME]
"""
import argparse
import os
import subprocess
import sys

from chip_rtl_vs_cpp import compare_with_cpp, run_variants


def run(cli, root, model, out, extra):
    cmd = [cli, "run", "--arch", os.path.join(root, "arch/ideal.yaml"),
           "--model", os.path.join(root, "models/pytorch/%s.onnx" % model),
           "--inputs", os.path.join(root, "models/pytorch/%s_x.npy" % model),
           "--out", out, "--set", "core.adc.counter_bits=12"] + extra
    p = subprocess.run(cmd, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return p, cmd


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cli")
    ap.add_argument("root")
    ap.add_argument("work")
    ap.add_argument("--model", default="act_gelu")
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    variants = {
        "cpp": ["--set", "core.digital_unit.impl=cpp"],
        "rtl": ["--set", "core.digital_unit.impl=rtl"],
        "ldpu_fp16": ["--set", "core.digital_unit.kind=ldpu_fp16"],
    }
    reports, logits, failures = {}, {}, []
    if not run_variants(lambda out, extra: run(a.cli, a.root, a.model, out, extra), a.work, variants, reports,
                        logits):
        return 1

    if set(reports["rtl"]["host"]["digital_unit_impl"].values()) != {"nmpu/rtl"}:
        failures.append("rtl run used %s" % reports["rtl"]["host"]["digital_unit_impl"])
    if set(reports["cpp"]["host"]["digital_unit_impl"].values()) != {"nmpu/cpp"}:
        failures.append("cpp run used %s" % reports["cpp"]["host"]["digital_unit_impl"])
    compare_with_cpp(reports, logits, ("rtl",), failures)

    key = "core.digital_unit.activation.bins"
    p, cmd = run(a.cli, a.root, a.model, os.path.join(a.work, "bad"),
                 ["--set", "core.digital_unit.impl=rtl", "--set", key + "=12"])
    if p.returncode != 2 or key not in p.stderr:
        failures.append("%s: expected exit 2 naming %s, got %d: %s" % (" ".join(cmd), key, p.returncode,
                                                                       p.stderr.strip()))

    print("%s on arch/ideal.yaml: logits.npy %d bytes, cpp == rtl: %s; host time cpp %.3f s, rtl %.3f s"
          % (a.model, len(logits["cpp"]), logits["rtl"] == logits["cpp"], reports["cpp"]["host"]["seconds"],
             reports["rtl"]["host"]["seconds"]))
    for f in failures:
        print("FAIL: " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
