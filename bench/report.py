#!/usr/bin/env python3
"""Turns hyperfine's JSON export from bench/run into a markdown table.

Rows are programs, columns are implementations; each cell is the mean wall time in seconds and,
in parentheses, its ratio to the baseline implementation. The last row is the geometric mean of
each column's ratios. Standard library only.
"""
import argparse
import datetime
import json
import math
import sys

SEPARATOR = "/"  # bench/run names each hyperfine command "<program>/<implementation>"
REFERENCE_FOR_SX = "Python 3"  # the SX performance target is stated against CPython
# Tier against tier: (faster, slower, the speed-up the tier's issue asks for, or None).
TIER_SPEEDUPS = [("SX VM", "SX CEK", 5.0), ("SX JIT", "SX VM", 2.5), ("SX auto", "SX VM", None)]


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--json", required=True, help="hyperfine --export-json file")
    p.add_argument("--programs", required=True, help="comma-separated program names, row order")
    p.add_argument("--impl", action="append", required=True, help="implementation, column order")
    p.add_argument("--baseline", required=True, help="implementation the ratios are relative to")
    p.add_argument("--runs", type=int, required=True)
    p.add_argument("--warmup", type=int, required=True)
    p.add_argument("--version", action="append", default=[], help="a 'name: version' line")
    p.add_argument("--machine", default="", help="CPU description")
    p.add_argument("--out", action="append", default=[], help="markdown file to write")
    return p.parse_args(argv)


def load_means(path):
    """Maps (program, implementation) to the mean time in seconds."""
    with open(path, encoding="utf-8") as f:
        results = json.load(f)["results"]
    means = {}
    for r in results:
        program, impl = r["command"].split(SEPARATOR, 1)
        means[(program, impl)] = r["mean"]
    return means


def geometric_mean(values):
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else None


def ratio_text(ratio):
    return f"{ratio:.2f}×"


def build_table(programs, impls, baseline, means):
    header = "| program | " + " | ".join(impls) + " |"
    rule = "|---|" + "---:|" * len(impls)
    lines = [header, rule]
    ratios = {impl: [] for impl in impls}
    for program in programs:
        base = means.get((program, baseline))
        cells = []
        for impl in impls:
            mean = means.get((program, impl))
            if mean is None:
                cells.append("—")
            elif base:
                ratios[impl].append(mean / base)
                cells.append(f"{mean:.3f} ({ratio_text(mean / base)})")
            else:
                cells.append(f"{mean:.3f}")
        lines.append(f"| {program} | " + " | ".join(cells) + " |")
    geo = [geometric_mean(ratios[impl]) for impl in impls]
    geo_cells = [ratio_text(g) if g is not None else "—" for g in geo]
    lines.append(f"| **geometric mean of ratios to {baseline}** | " + " | ".join(geo_cells) + " |")
    return lines


def sx_summary(programs, impls, means):
    """One line per SX tier: its geometric-mean ratio to CPython, the stated target."""
    if REFERENCE_FOR_SX not in impls:
        return []
    lines = []
    for impl in impls:
        if not impl.startswith("SX"):
            continue
        ratios = [means[(p, impl)] / means[(p, REFERENCE_FOR_SX)] for p in programs
                  if (p, impl) in means and (p, REFERENCE_FOR_SX) in means]
        g = geometric_mean(ratios)
        if g is not None:
            lines.append(f"- {impl} / {REFERENCE_FOR_SX}, geometric mean: {ratio_text(g)}")
    return lines


def tier_speedups(programs, impls, means):
    """How many times faster one SX tier ran than another, per program and as the geometric
    mean, against the target where there is one."""
    pairs = [(a, b, t) for a, b, t in TIER_SPEEDUPS if a in impls and b in impls]
    if not pairs:
        return []
    header = "| program | " + " | ".join(f"{b} / {a}" for a, b, _ in pairs) + " |"
    lines = [header, "|---|" + "---:|" * len(pairs)]
    speedups = {(a, b): [] for a, b, _ in pairs}
    for program in programs:
        cells = []
        for a, b, _ in pairs:
            fast, slow = means.get((program, a)), means.get((program, b))
            if fast and slow:
                speedups[(a, b)].append(slow / fast)
                cells.append(ratio_text(slow / fast))
            else:
                cells.append("—")
        lines.append(f"| {program} | " + " | ".join(cells) + " |")
    geo_cells = []
    for a, b, target in pairs:
        g = geometric_mean(speedups[(a, b)])
        cell = ratio_text(g) if g is not None else "—"
        if g is not None and target is not None:
            cell += f" (target {ratio_text(target)}: {'met' if g >= target else 'not met'})"
        geo_cells.append(cell)
    lines.append("| **geometric mean** | " + " | ".join(geo_cells) + " |")
    return ["Speed-up of one SX tier over another (the slower tier's time over the faster's):", ""] + lines


def render(args, means):
    programs = args.programs.split(",")
    today = datetime.date.today().isoformat()
    out = [f"# Benchmarks — {today}", ""]
    out.append(f"Mean wall time in seconds over {args.runs} runs after {args.warmup} warmup "
               f"run(s), measured by hyperfine in one session; in parentheses the ratio to "
               f"{args.baseline} (lower is faster). Each program prints one result line, "
               f"checked identical across implementations before timing. Times include "
               f"process start-up (tens of milliseconds for Chez Scheme's boot files). "
               f"Programs: `bench/programs/`.")
    out.append("")
    out.extend(build_table(programs, args.impl, args.baseline, means))
    summary = sx_summary(programs, args.impl, means)
    if summary:
        out.append("")
        out.extend(summary)
    speedups = tier_speedups(programs, args.impl, means)
    if speedups:
        out.append("")
        out.extend(speedups)
    out.append("")
    if args.machine:
        out.append(f"Machine: {args.machine}.")
        out.append("")
    out.extend(f"- {v}" for v in args.version)
    return "\n".join(out) + "\n"


def main(argv):
    args = parse_args(argv)
    if args.baseline not in args.impl:
        args.baseline = args.impl[0]
    text = render(args, load_means(args.json))
    sys.stdout.write(text)
    for path in args.out:
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
