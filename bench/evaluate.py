#!/usr/bin/env python3
"""Pairwise precision, recall and F1 of predicted duplicate pairs against a
dataset's ground truth. Standard library only.

    python3 bench/evaluate.py DATASET_DIR PAIRS_CSV

DATASET_DIR holds records.csv (record_id first; a source_table column a/b for
a two-table linkage dataset), truth.csv (record_id,entity_id) and
dataset.json ({"task": "dedupe" | "link", ...}). PAIRS_CSV has a header and
the two record ids in its first two columns (more columns are ignored); a
pair counts once whatever its order, and a pair of a record with itself is
ignored. For a linkage dataset only pairs across the two tables count, on
both sides. Prints one JSON object: true_pairs, predicted_pairs, tp, fp, fn,
precision, recall, f1.
"""
import csv
import json
import sys
from collections import defaultdict


def load_truth(dataset_dir):
    entity = {}
    with open(f"{dataset_dir}/truth.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            entity[row["record_id"]] = row["entity_id"]
    return entity


def load_tables(dataset_dir):
    """record_id -> source table ('a'/'b'), or None for a dedupe dataset."""
    with open(f"{dataset_dir}/records.csv", newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        if "source_table" not in (reader.fieldnames or []):
            return None
        return {row["record_id"]: row["source_table"] for row in reader}


def true_pair_count(entity, tables):
    members = defaultdict(list)
    for rid, eid in entity.items():
        members[eid].append(rid)
    total = 0
    for rids in members.values():
        if tables is None:
            total += len(rids) * (len(rids) - 1) // 2
        else:
            a = sum(1 for r in rids if tables.get(r) == "a")
            total += a * (len(rids) - a)
    return total


def evaluate(dataset_dir, pairs_csv):
    with open(f"{dataset_dir}/dataset.json", encoding="utf-8") as f:
        meta = json.load(f)
    entity = load_truth(dataset_dir)
    tables = load_tables(dataset_dir) if meta.get("task") == "link" else None
    predicted = set()
    with open(pairs_csv, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        next(reader, None)
        for row in reader:
            if len(row) < 2 or row[0] == row[1]:
                continue
            if tables is not None and tables.get(row[0]) == tables.get(row[1]):
                continue
            predicted.add((row[0], row[1]) if row[0] < row[1] else (row[1], row[0]))
    tp = sum(1 for l, r in predicted if entity.get(l) is not None and entity.get(l) == entity.get(r))
    fp = len(predicted) - tp
    true_pairs = true_pair_count(entity, tables)
    fn = true_pairs - tp
    precision = tp / len(predicted) if predicted else 0.0
    recall = tp / true_pairs if true_pairs else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "true_pairs": true_pairs,
        "predicted_pairs": len(predicted),
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
    }


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    print(json.dumps(evaluate(sys.argv[1], sys.argv[2])))
