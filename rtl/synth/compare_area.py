#!/usr/bin/python3
"""Area of the fixed-point NMPU lane at several bit widths and of the FP16 LDPU lane, from yosys synthesis, as a
Markdown table for rtl/README.md. Area model and the sources of every per-cell figure: see nmpu_area.py.

Usage: compare_area.py [--yosys yosys] [--out-dir DIR]   (about a minute)
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nmpu_area  # noqa: E402

RTL = nmpu_area.RTL_DIR
LDPU_SOURCES = [os.path.join(RTL, "ldpu", f) for f in
                ("fp16_fma.sv", "fp16_from_int.sv", "fp16_to_int_sat.sv", "ldpu_fp16_lane.sv")]

# (name, {format: (int_bits, frac_bits)}); "default" equals aimc::NmpuParams' defaults.
NMPU_FORMATS = [
    ("narrow", dict(Gain=(2, 10), Offset=(10, 2), Corr=(15, 1), Scale=(4, 12), Bias=(10, 4), Acc=(11, 4),
                    SideScale=(3, 6))),
    ("default", dict(Gain=(2, 14), Offset=(10, 4), Corr=(15, 3), Scale=(4, 16), Bias=(10, 8), Acc=(11, 8),
                     SideScale=(3, 10))),
    ("wide", dict(Gain=(2, 18), Offset=(10, 8), Corr=(15, 6), Scale=(4, 20), Bias=(10, 12), Acc=(11, 12),
                  SideScale=(3, 14))),
]


def lane_params(formats, depth=4):
    p = [("PipeDepth", depth)]
    for name, (i, f) in formats.items():
        p.append((f"{name}Width", i + f))
        p.append((f"{name}Frac", f))
    return p


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--yosys", default="yosys")
    ap.add_argument("--out-dir", default="/tmp/aimc_compare_area")
    args = ap.parse_args()
    rows = []
    for name, formats in NMPU_FORMATS:
        cells = nmpu_area.run_yosys(args.yosys, "nmpu_lane", lane_params(formats), nmpu_area.NMPU_SOURCES,
                                    os.path.join(args.out_dir, name))
        um2, ge, flops = nmpu_area.area(cells)
        desc = ", ".join(f"{k} Q{i}.{f}" for k, (i, f) in formats.items())
        rows.append((f"NMPU lane, {name} ({desc})", sum(cells.values()), flops, um2, ge))
    cells = nmpu_area.run_yosys(args.yosys, "ldpu_fp16_lane", [], LDPU_SOURCES, os.path.join(args.out_dir, "ldpu"))
    um2, ge, flops = nmpu_area.area(cells)
    rows.append(("FP16 LDPU lane (3 FMAs, int->FP16, FP16->INT8)", sum(cells.values()), flops, um2, ge))
    cells = nmpu_area.run_yosys(args.yosys, "fp16_fma", [], LDPU_SOURCES[:1], os.path.join(args.out_dir, "fma"))
    um2, ge, flops = nmpu_area.area(cells)
    rows.append(("one FP16 FMA (combinational)", sum(cells.values()), flops, um2, ge))
    ldpu_um2 = rows[3][3]
    print(f"| design | yosys cells | flip-flop bits | um^2 at 45 nm (NanGate FreePDK45 X1) | GE | "
          f"um^2 at 14 nm ({nmpu_area.GE_UM2_14NM} um^2/GE) | LDPU lane / this |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, n, flops, um2, ge in rows:
        print(f"| {name} | {n} | {flops} | {um2:.0f} | {ge:.0f} | {ge * nmpu_area.GE_UM2_14NM:.0f} "
              f"| {ldpu_um2 / um2:.2f} |")


if __name__ == "__main__":
    main()
