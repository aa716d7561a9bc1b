#!/usr/bin/env python3
"""Draws docs/benchmarks.png from a bench/run result file: requests per second
per scenario, each labelled with its ratio to /health.

    bench/chart.py [bench/results/latest.json] [docs/benchmarks.png]

Needs matplotlib; bench/chart installs it into bench/.venv and runs this.
"""

import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    source = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "bench", "results", "latest.json")
    target = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "docs", "benchmarks.png")
    with open(source) as f:
        results = json.load(f)
    scenarios = results["scenarios"]
    names = list(scenarios)
    rates = [scenarios[n]["rps"] for n in names]
    health = scenarios["health"]["rps"]
    fig, ax = plt.subplots(figsize=(9, 4.5), dpi=110)
    bars = ax.barh(names[::-1], rates[::-1], color="#3b6ea5")
    for bar, rate in zip(bars, rates[::-1]):
        ax.text(bar.get_width(), bar.get_y() + bar.get_height() / 2,
                f"  {rate:,.0f}/s ({100 * rate / health:.1f}% of /health)", va="center", fontsize=8)
    ax.set_xscale("log")
    ax.set_xlabel("requests per second (log scale)")
    ax.set_xlim(right=max(rates) * 12)
    ax.set_title(f"city-region-api, N = {results['n']:,} (wrk -t2 -c64, loopback, 2 cores)")
    fig.tight_layout()
    os.makedirs(os.path.dirname(target), exist_ok=True)
    fig.savefig(target)
    print(target)


if __name__ == "__main__":
    main()
