#!/usr/bin/env python3
"""Turns the result lines of a bench/run.sh run into Markdown tables.
Standard library only.

    python3 bench/report.py RESULTS.jsonl HEADER.md [FUNCTIONS_REPORT.md]

RESULTS.jsonl holds one JSON object per (dataset, runner): dataset,
n_records, true_pairs, runner, available (false for a capability that does
not exist yet), precision, recall, f1, predicted_pairs, wall_seconds,
peak_mb, note. HEADER.md is printed first (date, machine, versions); the
function micro-benchmark report, when given, is appended.
"""
import json
import sys


def fmt(value, digits):
    return "" if value is None else f"{value:.{digits}f}"


def main(results_path, header_path, functions_path=None):
    with open(results_path, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    with open(header_path, encoding="utf-8") as f:
        out = [f.read().rstrip(), ""]
    datasets = []
    for r in rows:
        if r["dataset"] not in datasets:
            datasets.append(r["dataset"])
    for ds in datasets:
        group = [r for r in rows if r["dataset"] == ds]
        first = group[0]
        out.append(f"### {ds}: {first['n_records']} records, {first['true_pairs']} true duplicate pairs")
        out.append("")
        out.append("| runner | precision | recall | F1 | pairs predicted | wall s | peak MB | note |")
        out.append("|---|---:|---:|---:|---:|---:|---:|---|")
        for r in group:
            if not r.get("available", True):
                out.append(f"| {r['runner']} | – | – | – | – | – | – | {r.get('note', '')} |")
                continue
            out.append(
                "| {runner} | {p} | {rc} | {f1} | {n} | {w} | {m} | {note} |".format(
                    runner=r["runner"],
                    p=fmt(r.get("precision"), 4),
                    rc=fmt(r.get("recall"), 4),
                    f1=fmt(r.get("f1"), 4),
                    n=r.get("predicted_pairs", ""),
                    w=fmt(r.get("wall_seconds"), 1),
                    m=fmt(r.get("peak_mb"), 0),
                    note=r.get("note", ""),
                )
            )
        out.append("")
    if functions_path:
        with open(functions_path, encoding="utf-8") as f:
            text = f.read()
        out.append("### Functions: per-call cost against their peers (bench/functions.sh, same run)")
        out.append("")
        # Drop the report's own title line.
        out.append(text.split("\n", 1)[1].strip() if text.startswith("#") else text.strip())
        out.append("")
    print("\n".join(out))


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    main(*sys.argv[1:])
