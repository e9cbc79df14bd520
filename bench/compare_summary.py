"""Summarises the runs of bench/compare-pytorch.sh: medians over the rounds and median ratios.

usage: python3 bench/compare_summary.py RUN_DIR
(reads RUN_DIR/results.jsonl, RUN_DIR/triad.jsonl and RUN_DIR/machine.txt; writes RUN_DIR/summary.md)

Each line of results.jsonl is {"case": ..., "round": r, "side": "optim4j" | "torch-<variant>", "result": {...}}
with result the JSON line of Workloads (optim4j) or torch_workloads.py (torch). For every case and torch
variant it prints the median over the rounds of each side's time and the median over the rounds of
t_torch / t_optim4j, both measured in the same round (side by side), so > 1 means optim4j is faster. For
optimizer steps it adds the bandwidth achieved, bytes moved per step / time, and its share of the best
STREAM triad of triad.jsonl; for GEMM the GFLOP/s. Standard library only.
"""
import json
import os
import statistics
import sys
from collections import OrderedDict


def load(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def fmt_time(ms):
    return f"{ms / 1e3:.2f} s" if ms >= 1e4 else f"{ms:.3g} ms" if ms < 100 else f"{ms:.0f} ms"


def describe(r):
    w = r["workload"]
    if w == "optim":
        layout = "1 tensor" if r["tensors"] == 1 else f"{r['tensors']} tensors"
        extra = "" if r["state_dtype"] == "float32" else f", {r['state_dtype']} state"
        label = "SGD momentum" if r["optimizer"] == "SGD" else r["optimizer"]
        return f"{label} step, {r['elements']:,} f32 as {layout}{extra}"
    if w == "gemm":
        return f"GEMM {r['n']}³ f32"
    return (f"{r['model'].upper()} epoch, {r['samples']:,} images, batch 100, "
            f"after {r['warmup_batches']} warm-up batches")


def rate(r, triad):
    """The throughput figure of one result: GB/s (and % of the triad) for optim, GFLOP/s for gemm."""
    if r["workload"] == "optim":
        gbs = r["bytes_per_element"] * r["elements"] / (r["ms"] * 1e-3) / 1e9
        share = f", {100 * gbs / triad:.0f} % of triad" if triad else ""
        return f"{gbs:.1f} GB/s{share}"
    if r["workload"] == "gemm":
        return f"{2 * r['n'] ** 3 / (r['ms'] * 1e6):.1f} GFLOP/s"
    return ""


def main():
    if len(sys.argv) != 2:
        raise SystemExit("usage: compare_summary.py RUN_DIR")
    run = sys.argv[1]
    rows = load(os.path.join(run, "results.jsonl"))
    triads = load(os.path.join(run, "triad.jsonl"))
    triad = max((t["best_gbs"] for t in triads), default=None)
    cases = OrderedDict()
    for row in rows:
        cases.setdefault(row["case"], {}).setdefault(row["side"], {})[row["round"]] = row["result"]
    out = []
    machine = os.path.join(run, "machine.txt")
    if os.path.exists(machine):
        with open(machine) as f:
            out += [line.rstrip("\n") + "  " for line in f]   # two spaces: a Markdown line break
        out.append("")
    if triads:
        bests = statistics.median(t["best_gbs"] for t in triads)
        out.append(f"STREAM triad ({triads[0]['threads']} threads, {triads[0]['elements']:,} doubles per array, "
                   f"best of {triads[0]['reps']} each): best {triad:.1f} GB/s over {len(triads)} runs, "
                   f"median run {bests:.1f} GB/s; the % of triad below are relative to the best")
        out.append("")
    loads = [row["load1"] for row in rows if "load1" in row]
    if loads:
        passive = any(row.get("omp_passive") for row in rows)
        out.append("PyTorch ran with " + ("OMP_WAIT_POLICY=PASSIVE" if passive else "its default OpenMP settings")
                   + f"; 1-minute load average at the start of the rounds: median {statistics.median(loads):.2f}, "
                   f"max {max(loads):.2f}")
        out.append("")
    out.append("| workload | optim4j (median) | PyTorch 2.13 | PyTorch (median) | torch time ÷ optim4j time "
               "(median of rounds [range]; > 1: optim4j faster) | rounds |")
    out.append("|---|---|---|---|---|---|")
    for case, sides in cases.items():
        mine = sides.get("optim4j", {})
        first = next(iter(mine.values()), None) or next(iter(next(iter(sides.values())).values()))
        name = describe(first)
        if "skipped" in (first or {}):
            out.append(f"| {name} | skipped: {first['skipped']} | | | | |")
            continue
        mine_ms = statistics.median(r["ms"] for r in mine.values())
        mine_cell = fmt_time(mine_ms)
        figure = rate(dict(first, ms=mine_ms), triad)
        if figure:
            mine_cell += f" ({figure})"
        shown = False
        for side, results in sides.items():
            if side == "optim4j":
                continue
            variant = side.removeprefix("torch-")
            label = "default (for-loop)" if variant == "default" and first["workload"] == "optim" else variant
            if first["workload"] == "optim" and variant != "default":
                label = f"{variant}=True"
            if any("skipped" in r for r in results.values()):
                out.append(f"| {'' if shown else name} | {'' if shown else mine_cell} | {label} | skipped | | |")
                shown = True
                continue
            theirs = statistics.median(r["ms"] for r in results.values())
            ratios = [results[k]["ms"] / mine[k]["ms"] for k in results if k in mine and "ms" in mine[k]]
            cell = fmt_time(theirs)
            figure = rate(dict(first, ms=theirs), triad)
            if figure:
                cell += f" ({figure})"
            spread = f" [{min(ratios):.2f}–{max(ratios):.2f}]" if len(ratios) > 1 else ""
            out.append(f"| {'' if shown else name} | {'' if shown else mine_cell} | {label} | {cell} | "
                       f"**{statistics.median(ratios):.2f}**{spread} | {len(ratios)} |")
            shown = True
        if not shown:
            out.append(f"| {name} | {mine_cell} | | | | {len(mine)} |")
    text = "\n".join(out)
    print(text)
    with open(os.path.join(run, "summary.md"), "w") as f:
        f.write(text + "\n")


if __name__ == "__main__":
    main()
