#!/usr/bin/python3
"""Synthesise an rtl/ module with yosys and turn its cells into um^2 at 45 nm, gate equivalents (GE) and um^2 at
the chip's 14 nm.

Usage: nmpu_area.py --top nmpu_lane [--param Name=Value ...] [--sources a.sv ...] [--out-dir DIR] [--json]

Area model:
  * yosys `synth -flatten` maps to its generic gate library ($_AND_, $_XOR_, $_DFFE_PP_, ...). Each generic cell
    gets the area of the matching X1 cell of the NanGate FreePDK45 Open Cell Library (table UM2_45 below). The
    areas are the cells' LEF footprints, SIZE w BY 1.4 um, from The-OpenROAD-Project/OpenROAD-flow-scripts,
    flow/platforms/nangate45/lef/NangateOpenCellLibrary.macro.mod.lef (MACRO <cell>); they equal the liberty
    `area` attribute (e.g. cell (AND2_X1) { area : 1.064000 } in NangateOpenCellLibrary_typical.lib, repository
    Max-astro/dp-buffer-insertion). So the um^2 at 45 nm are the library's own figures, no GE detour.
  * Mapping assumptions (labelled): $_ANDNOT_/$_ORNOT_ (one inverted input) and $_NMUX_ (inverted output) take
    the plain AND2/OR2/MUX2 area (the library has no such cells; the inverter is assumed absorbed upstream).
    Flip-flops: $_DFF_ -> DFF_X1, any asynchronous reset -> DFFR_X1, an enable adds a MUX2_X1, a synchronous
    reset an AND2_X1 (the library has no enable or sync-reset flip-flop).
  * 1 GE = one NAND2_X1 (0.798 um^2): GE = um^2 at 45 nm / 0.798.
  * 14 nm: GE x 0.10 um^2, the arch's area.ge (src/aimc/config/ArchParamsPower.cpp), so these figures and the
    chip's area report agree. It is an assumption inside a cited bracket: the ideal (14/45)^2 shrink of NAND2_X1
    (TechScaling's area rule) gives 0.077 um^2; Intel's published 14 nm density, 37.5 MTr/mm^2 (M. Bohr, Intel
    Technology and Manufacturing Day 2017, metric 0.6 x NAND2 + 0.4 x scan flip-flop density), gives 4
    transistors / 37.5 MTr/mm^2 = 0.107 um^2 per NAND2. No 14 nm liberty file is available here.
    Ratios between designs do not depend on the node figure.
Exit status is non-zero if yosys fails, a cell type has no area figure, or the design has no cells.
"""
import argparse
import json
import os
import re
import subprocess
import sys

RTL_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NMPU_SOURCES = [os.path.join(RTL_DIR, "nmpu", f) for f in
                ("nmpu_pkg.sv", "nmpu_requant.sv", "nmpu_pipe_reg.sv", "nmpu_act_stage.sv", "nmpu_act_regs.sv",
                 "nmpu_lane.sv", "nmpu_coeff_regs.sv",
                 "nmpu_top.sv")]

# NanGate FreePDK45 X1 cell areas in um^2 = LEF SIZE width x 1.4 um height
# (OpenROAD-flow-scripts flow/platforms/nangate45/lef/NangateOpenCellLibrary.macro.mod.lef, MACRO <cell>).
UM2_45 = {
    "INV_X1": 0.38 * 1.4,    # 0.532
    "BUF_X1": 0.57 * 1.4,    # 0.798
    "NAND2_X1": 0.57 * 1.4,  # 0.798
    "NOR2_X1": 0.57 * 1.4,   # 0.798
    "AND2_X1": 0.76 * 1.4,   # 1.064 (liberty: area : 1.064000)
    "OR2_X1": 0.76 * 1.4,    # 1.064
    "AOI21_X1": 0.76 * 1.4,  # 1.064
    "OAI21_X1": 0.76 * 1.4,  # 1.064
    "AOI22_X1": 0.95 * 1.4,  # 1.33
    "OAI22_X1": 0.95 * 1.4,  # 1.33
    "XOR2_X1": 1.14 * 1.4,   # 1.596
    "XNOR2_X1": 1.14 * 1.4,  # 1.596
    "MUX2_X1": 1.33 * 1.4,   # 1.862
    "DFF_X1": 3.23 * 1.4,    # 4.522
    "DFFR_X1": 3.80 * 1.4,   # 5.32
}
NAND2_UM2_45 = UM2_45["NAND2_X1"]
# The arch's area.ge at 14 nm (see the header for the bracket it sits in).
GE_UM2_14NM = 0.10

# yosys generic cell -> the library cell whose area it gets.
LIB_CELL = {
    "$_NOT_": "INV_X1", "$_BUF_": "BUF_X1",
    "$_NAND_": "NAND2_X1", "$_NOR_": "NOR2_X1",
    "$_AND_": "AND2_X1", "$_OR_": "OR2_X1", "$_ANDNOT_": "AND2_X1", "$_ORNOT_": "OR2_X1",
    "$_AOI3_": "AOI21_X1", "$_OAI3_": "OAI21_X1", "$_AOI4_": "AOI22_X1", "$_OAI4_": "OAI22_X1",
    "$_XOR_": "XOR2_X1", "$_XNOR_": "XNOR2_X1",
    "$_MUX_": "MUX2_X1", "$_NMUX_": "MUX2_X1",
}


def flop_um2(cell):
    """um^2 at 45 nm of a yosys flip-flop cell from its name: $_DFF[E][_][S]...: enable adds a MUX2, any
    asynchronous reset makes it a DFFR, a synchronous reset adds an AND2."""
    m = re.match(r"^\$_(S?)DFF(C?E?)_([PN01]+)_$", cell)
    if not m:
        return None
    sync_reset, enable, pins = m.group(1) == "S", "E" in m.group(2), m.group(3)
    async_reset = (not sync_reset) and len(pins) >= 3  # $_DFF_PN0_: clock, reset polarity, reset value
    um2 = UM2_45["DFFR_X1"] if async_reset else UM2_45["DFF_X1"]
    if enable:
        um2 += UM2_45["MUX2_X1"]
    if sync_reset:
        um2 += UM2_45["AND2_X1"]
    return um2


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
    """(um^2 at 45 nm, gate equivalents, flip-flop bits) of a yosys cell count."""
    um2 = 0.0
    flop_bits = 0
    for cell, n in cells.items():
        lib = LIB_CELL.get(cell)
        if lib is not None:
            cell_um2 = UM2_45[lib]
        else:
            cell_um2 = flop_um2(cell)
            if cell_um2 is None:
                sys.exit(f"no area figure for yosys cell {cell}")
            flop_bits += n
        um2 += cell_um2 * n
    return um2, um2 / NAND2_UM2_45, flop_bits


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
    um2_45, ge, flops = area(cells)
    result = {"top": args.top, "params": dict(params), "cells": cells, "cell_count": sum(cells.values()),
              "flop_bits": flops, "area_um2_45nm": round(um2_45, 1), "gate_equivalents": round(ge, 1),
              "area_um2_14nm": round(ge * GE_UM2_14NM, 1)}
    if args.json:
        print(json.dumps(result, indent=1, sort_keys=True))
    else:
        print(f"{args.top} {dict(params)}")
        for cell, n in sorted(cells.items()):
            print(f"  {cell:16s} {n:7d}")
        print(f"  cells {result['cell_count']}, flip-flop bits {flops}, {result['area_um2_45nm']} um^2 at 45 nm "
              f"(NanGate FreePDK45 X1), {result['gate_equivalents']} GE, {result['area_um2_14nm']} um^2 at 14 nm "
              f"({GE_UM2_14NM} um^2/GE)")


if __name__ == "__main__":
    main()
