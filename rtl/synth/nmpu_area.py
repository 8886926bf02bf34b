#!/usr/bin/python3
"""Synthesise an rtl/ module with yosys and turn its cell counts into gate equivalents (GE) and um^2.

Usage: nmpu_area.py --top nmpu_lane [--param Name=Value ...] [--sources a.sv ...] [--out-dir DIR] [--json]

Area model (stated, not measured on a PDK):
  * yosys `synth -flatten` maps to its generic gate library ($_AND_, $_XOR_, $_DFFE_PP_, ...). Each generic cell
    is given the area of the matching X1 cell of the NanGate FreePDK45 Open Cell Library relative to NAND2_X1
    (0.798 um^2): INV 0.532, AND2/OR2 1.064, XOR2/XNOR2 1.596, MUX2 1.862, DFF 4.522, DFFR 5.320 um^2 (from
    memory of the library's liberty file; check before quoting absolute numbers). Flip-flops with an enable
    are a flip-flop plus a MUX2; a synchronous reset adds an AND2.
  * 1 GE = one NAND2. At 14 nm we take 0.10 um^2 per GE: an assumption of the order of published 14/16 nm
    NAND2 footprints (no 14 nm liberty file is available here). Ratios between designs do not depend on it.
Exit status is non-zero if yosys fails, a cell type has no GE figure, or the design has no cells.
"""
import argparse
import json
import os
import re
import subprocess
import sys

RTL_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NMPU_SOURCES = [os.path.join(RTL_DIR, "nmpu", f) for f in
                ("nmpu_pkg.sv", "nmpu_requant.sv", "nmpu_pipe_reg.sv", "nmpu_lane.sv", "nmpu_coeff_regs.sv",
                 "nmpu_top.sv")]

# Gate equivalents per yosys generic cell (NAND2 = 1), from the NanGate FreePDK45 X1 ratios above.
INV, NAND2, AND2, XOR2, MUX2, DFF, DFFR = 0.667, 1.0, 1.333, 2.0, 2.333, 5.667, 6.667
GE_PER_CELL = {
    "$_NOT_": INV, "$_BUF_": INV,
    "$_NAND_": NAND2, "$_NOR_": NAND2,
    "$_AND_": AND2, "$_OR_": AND2, "$_ANDNOT_": AND2, "$_ORNOT_": AND2,
    "$_AOI3_": AND2, "$_OAI3_": AND2, "$_AOI4_": 1.667, "$_OAI4_": 1.667,
    "$_XOR_": XOR2, "$_XNOR_": XOR2,
    "$_MUX_": MUX2, "$_NMUX_": MUX2,
}
GE_PER_UM2_14NM = 1.0 / 0.10


def flop_ge(cell):
    """GE of a yosys flip-flop cell from its name: $_DFF[E][_][S]...: enable adds a MUX2, any reset a DFFR or
    an AND2 (synchronous)."""
    m = re.match(r"^\$_(S?)DFF(C?E?)_([PN01]+)_$", cell)
    if not m:
        return None
    sync_reset, enable, pins = m.group(1) == "S", "E" in m.group(2), m.group(3)
    async_reset = (not sync_reset) and len(pins) >= 3  # $_DFF_PN0_: clock, reset polarity, reset value
    ge = DFFR if async_reset else DFF
    if enable:
        ge += MUX2
    if sync_reset:
        ge += AND2
    return ge


def run_yosys(yosys, top, params, sources, out_dir):
    os.makedirs(out_dir, exist_ok=True)
    stat_path = os.path.join(out_dir, "stat.txt")
    chparam = ""
    if params:
        chparam = "chparam " + " ".join(f"-set {k} {v}" for k, v in params) + f" {top}; "
    script = (f"read_verilog -sv {' '.join(sources)}; {chparam}synth -flatten -top {top}; "
              f"tee -q -o {stat_path} stat")
    log_path = os.path.join(out_dir, "yosys.log")
    with open(log_path, "w") as log:
        rc = subprocess.call([yosys, "-p", script], stdout=log, stderr=subprocess.STDOUT)
    if rc != 0:
        sys.exit(f"yosys failed (status {rc}); see {log_path}; command: {yosys} -p '{script}'")
    cells = {}
    with open(stat_path) as f:
        for line in f:
            m = re.match(r"^\s+(\$_\w+)\s+(\d+)\s*$", line)
            if m:
                cells[m.group(1)] = cells.get(m.group(1), 0) + int(m.group(2))
    return cells


def area(cells):
    total = 0.0
    flop_bits = 0
    for cell, n in cells.items():
        ge = GE_PER_CELL.get(cell)
        if ge is None:
            ge = flop_ge(cell)
            if ge is None:
                sys.exit(f"no gate-equivalent figure for yosys cell {cell}")
            flop_bits += n
        total += ge * n
    return total, flop_bits


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--yosys", default="yosys")
    ap.add_argument("--top", required=True)
    ap.add_argument("--param", action="append", default=[], help="Name=Value (chparam)")
    ap.add_argument("--sources", nargs="*", default=None)
    ap.add_argument("--out-dir", default="synth_out")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    params = [tuple(p.split("=", 1)) for p in args.param]
    cells = run_yosys(args.yosys, args.top, params, args.sources or NMPU_SOURCES, args.out_dir)
    if not cells:
        sys.exit("synthesis produced no cells")
    ge, flops = area(cells)
    result = {"top": args.top, "params": dict(params), "cells": cells, "cell_count": sum(cells.values()),
              "flop_bits": flops, "gate_equivalents": round(ge, 1),
              "area_um2_14nm": round(ge / GE_PER_UM2_14NM, 1)}
    if args.json:
        print(json.dumps(result, indent=1, sort_keys=True))
    else:
        print(f"{args.top} {dict(params)}")
        for cell, n in sorted(cells.items()):
            print(f"  {cell:16s} {n:7d}")
        print(f"  cells {result['cell_count']}, flip-flop bits {flops}, {result['gate_equivalents']} GE, "
              f"{result['area_um2_14nm']} um^2 at 14 nm (0.10 um^2/GE)")


if __name__ == "__main__":
    main()
