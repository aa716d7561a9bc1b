#!/usr/bin/env python3
"""Draws docs/benchmarks.png from a bench/run result file.

    bench/chart.py [bench/results/latest.json] [docs/benchmarks.png]

Panels, top to bottom:
- requests per second per scenario (log scale), each labelled with its
  ratio to /health, the limit's rate drawn behind it in grey (the former
  chart; result files from before the limit get this panel alone);
- ours / limit, in %, per read scenario: the limit is nginx serving the
  bytes our server answered, on the same machine in the same run; the
  targets (list 25%, by_id and by_id_key 35%, filtered_sorted 20%) are
  drawn as red marks;
- ours / Datasette (x, log scale) for the scenarios Datasette serves, with
  the 10x target of search_common as a red mark.
With a PostgreSQL run in the file, its bars stand beside SQLite's.

Needs matplotlib; bench/chart installs it into bench/.venv and runs this.
"""

import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_LIMIT_TARGETS = {"list": 0.25, "by_id": 0.35, "by_id_key": 0.35, "filtered_sorted": 0.20}
DEFAULT_DATASETTE_TARGETS = {"search_common": 10.0}
STORES = [("SQLite", "#3b6ea5"), ("PostgreSQL", "#d08c2e")]


def rates_panel(ax, results):
    """Requests per second, each against /health (the former chart)."""
    scenarios = results["scenarios"]
    names = list(scenarios)
    rates = [scenarios[n]["rps"] for n in names]
    health = scenarios["health"]["rps"]
    limit = results.get("limit")
    bars = ax.barh(names[::-1], rates[::-1], color=STORES[0][1], label="ours" if limit else None,
                   zorder=2)
    if limit:
        # Behind each of ours, its limit: nginx serving the same bytes.
        ax.barh([n for n in names[::-1] if n in limit], [limit[n]["rps"] for n in names[::-1] if n in limit],
                color="#d5dbe3", label="limit (nginx, the same bytes)", zorder=1)
    for bar, rate in zip(bars, rates[::-1]):
        ax.text(bar.get_width(), bar.get_y() + bar.get_height() / 2,
                f"  {rate:,.0f}/s ({100 * rate / health:.1f}% of /health)", va="center", fontsize=8)
    ax.set_xscale("log")
    ax.set_xlabel("requests per second (log scale)")
    ax.set_xlim(right=max(rates + [r["rps"] for r in (limit or {}).values()]) * 12)
    if limit:
        ax.legend(fontsize=8, loc="lower right")


def stores(results):
    out = [("SQLite", results)]
    if "postgres" in results and "ratios" in results["postgres"]:
        out.append(("PostgreSQL", results["postgres"]))
    return out


def grouped_barh(ax, names, series, fmt):
    """Horizontal bars, one group per name, one bar per store; names from
    the top down. series: [(label, colour, {name: value})]."""
    height = 0.8 / len(series)
    rows = {name: len(names) - 1 - i for i, name in enumerate(names)}
    for k, (label, colour, values) in enumerate(series):
        offset = (len(series) - 1) / 2 * height - k * height
        shown = [n for n in names if n in values]
        ys = [rows[n] + offset for n in shown]
        bars = ax.barh(ys, [values[n] for n in shown], height=height, color=colour,
                       label=label if len(series) > 1 else None)
        for bar, name in zip(bars, shown):
            ax.text(bar.get_width(), bar.get_y() + bar.get_height() / 2,
                    "  " + fmt(values[name]), va="center", fontsize=8)
    ax.set_yticks(list(rows.values()), list(rows.keys()))
    return rows


def target_marks(ax, rows, targets, label):
    first = True
    for name, value in targets.items():
        if name in rows:
            ax.plot([value, value], [rows[name] - 0.45, rows[name] + 0.45], color="#c0392b",
                    linewidth=2.5, label=label if first else None, zorder=3)
            first = False


def limit_panel(ax, results):
    names = [n for n in results["ratios"]]
    series = [(label, colour, {n: 100 * store["ratios"][n]["ours_over_limit"] for n in names})
              for (label, store), (_, colour) in zip(stores(results), STORES)]
    rows = grouped_barh(ax, names, series, lambda v: f"{v:.1f}%")
    targets = results.get("targets", {}).get("ours_over_limit", DEFAULT_LIMIT_TARGETS)
    target_marks(ax, rows, {n: 100 * t for n, t in targets.items()}, "target")
    top = max(max(s[2].values()) for s in series)
    ax.set_xlim(0, max(top, 100 * max(targets.values(), default=0)) * 1.25)
    ax.set_xlabel("ours / limit (%): nginx serving the same bytes, same machine, same run")
    ax.legend(fontsize=8, loc="lower right")


def datasette_panel(ax, results):
    datasette = results["datasette"]
    names = [n for n in results["ratios"] if n in datasette]
    series = [(label, colour, {n: store["ratios"][n]["ours_over_datasette"] for n in names
                               if "ours_over_datasette" in store["ratios"][n]})
              for (label, store), (_, colour) in zip(stores(results), STORES)]
    rows = grouped_barh(ax, names, series, lambda v: f"{v:.1f}x")
    targets = results.get("targets", {}).get("ours_over_datasette", DEFAULT_DATASETTE_TARGETS)
    target_marks(ax, rows, targets, "target")
    ax.axvline(1, color="grey", linewidth=0.8)
    ax.set_xscale("log")
    top = max(max(s[2].values()) for s in series)
    ax.set_xlim(0.5, max(top, max(targets.values(), default=1)) * 4)
    ax.set_xlabel("ours / Datasette (x, log scale): Datasette 0.65.5 on the same rows")
    ax.legend(fontsize=8, loc="lower right")


def main():
    source = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "bench", "results", "latest.json")
    target = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "docs", "benchmarks.png")
    with open(source) as f:
        results = json.load(f)
    panels = [rates_panel]
    if "ratios" in results:
        panels.append(limit_panel)
        if "datasette" in results and any("ours_over_datasette" in r for r in results["ratios"].values()):
            panels.append(datasette_panel)
    heights = [len(results["scenarios"]) * 0.45 + 1.2]
    heights += [len(results["ratios"]) * 0.55 + 1.2 for _ in panels[1:]]
    fig, axes = plt.subplots(len(panels), 1, figsize=(9, sum(heights)), dpi=110,
                             gridspec_kw={"height_ratios": heights}, squeeze=False)
    for panel, ax in zip(panels, axes[:, 0]):
        panel(ax, results)
    word = results.get("search_common_word")
    subtitle = f"; search_common: q={word['word']} ({100 * word['share']:.0f}% of rows)" if word else ""
    axes[0, 0].set_title(f"city-region-api, N = {results['n']:,} (wrk -t2 -c64, loopback, 2 cores)"
                         f"{subtitle}", fontsize=10)
    fig.tight_layout()
    os.makedirs(os.path.dirname(os.path.abspath(target)), exist_ok=True)
    fig.savefig(target)
    print(target)


if __name__ == "__main__":
    main()
