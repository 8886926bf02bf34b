#!/usr/bin/python3
"""Figure of the ADC trade-off sweep (configs/sweeps/adc_tradeoff.yaml).

    aimcsim sweep configs/sweeps/adc_tradeoff.yaml
    aimcsim results export out/sweeps/adc_tradeoff.db --csv out/sweeps/adc_tradeoff.csv
    /usr/bin/python3 configs/sweeps/adc_tradeoff_plot.py out/sweeps/adc_tradeoff.csv [--out FILE.png] [--size 256]

Four panels for one crossbar size: energy per MVM and ADC-bank area against resolution (no multiplexing), MVM
latency and ADC-bank area against lines per ADC (8 bits); one line per ADC kind / energy model.
"""
import argparse
import csv
import sys
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("csv", help="table from `aimcsim results export ... --csv`")
    ap.add_argument("--out", help="PNG file (default: beside the CSV)")
    ap.add_argument("--size", type=int, default=256, help="crossbar rows = cols to plot (default 256)")
    a = ap.parse_args()

    rows = [r for r in csv.DictReader(open(a.csv)) if r["status"] == "ok"]
    rows = [r for r in rows if int(r["core.crossbar.rows"]) == a.size]
    if not rows:
        sys.exit(f"{a.csv}: no finished points with a {a.size}x{a.size} crossbar")

    def label(r):
        kind = r["core.adc.kind"]
        if kind == "sar":
            return f"SAR ({r['power.sar_model']})"
        return {"cco": "CCO", "flash": "flash (Walden)"}.get(kind, kind)

    by_bits = defaultdict(list)  # label -> (bits, energy, adc area) at 1 line per ADC
    by_mux = defaultdict(list)  # label -> (lines per ADC, latency, adc area) at 8 bits
    for r in rows:
        # The resolution: a SAR's or flash's core.adc.bits, a CCO's counter width (its core.adc.bits is unset).
        bits = int(r["core.adc.bits"] or r["core.adc.counter_bits"])
        cpa = int(r["core.adc.columns_per_adc"])
        if cpa == 1:
            by_bits[label(r)].append((bits, float(r["energy_j"]) * 1e9, float(r["adc_area_mm2"])))
        if bits == 8:
            by_mux[label(r)].append((cpa, float(r["latency_ns"]), float(r["adc_area_mm2"])))

    fig, ax = plt.subplots(2, 2, figsize=(10, 7))
    for name, pts in sorted(by_bits.items()):
        pts.sort()
        ax[0][0].plot([p[0] for p in pts], [p[1] for p in pts], "o-", label=name)
        ax[1][0].plot([p[0] for p in pts], [p[2] for p in pts], "o-", label=name)
    for name, pts in sorted(by_mux.items()):
        pts.sort()
        ax[0][1].plot([p[0] for p in pts], [p[1] for p in pts], "o-", label=name)
        ax[1][1].plot([p[0] for p in pts], [p[2] for p in pts], "o-", label=name)
    ax[0][0].set(xlabel="ADC bits", ylabel="energy per MVM (nJ, array+ADC+PWM)", yscale="log")
    ax[1][0].set(xlabel="ADC bits", ylabel="ADC bank area (mm2)", yscale="log")
    ax[0][1].set(xlabel="output lines per ADC (8 bits)", ylabel="MVM latency (ns)")
    ax[1][1].set(xlabel="output lines per ADC (8 bits)", ylabel="ADC bank area (mm2)", yscale="log")
    for x in ax.flat:
        x.grid(True, alpha=0.3)
        x.legend(fontsize=8)
    fig.suptitle(f"ADC trade-offs, one {a.size}x{a.size} core (aimcsim area, arch/hermes_core.yaml)")
    fig.tight_layout()
    out = a.out or a.csv.rsplit(".", 1)[0] + ".png"
    fig.savefig(out, dpi=110)
    print(out)


if __name__ == "__main__":
    main()
