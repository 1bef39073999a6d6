"""Smoke tests of the benchmark harness's own tools, run by `make test` (layer
bench_smoke): the data generator and its truth, the pairwise evaluator and
the report writer. Standard library only; the benchmark itself
(`make bench`) is not part of `make test`.

    python3 -m unittest -v bench/test_bench.py
"""
import csv
import json
import os
import subprocess
import sys
import tempfile
import unittest
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))


def run(*args):
    return subprocess.run([sys.executable, *args], check=True, capture_output=True, text=True).stdout


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


class Generator(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.out = os.path.join(cls.tmp.name, "crm")
        run(f"{HERE}/generate.py", "--records", "2000", "--seed", "7", "--out", cls.out)
        with open(f"{cls.out}/dataset.json", encoding="utf-8") as f:
            cls.meta = json.load(f)
        cls.records = read_csv(f"{cls.out}/records.csv")
        cls.truth = read_csv(f"{cls.out}/truth.csv")

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_checker_accepts_the_output(self):
        run(f"{HERE}/check_generated.py", self.out)

    def test_true_pairs_match_what_was_injected(self):
        # Counted here from the truth file alone, independently of the
        # generator's own bookkeeping.
        sizes = Counter(row["entity_id"] for row in self.truth)
        pairs = sum(k * (k - 1) // 2 for k in sizes.values())
        self.assertEqual(pairs, self.meta["true_pairs"])
        self.assertEqual(len(self.truth) - len(sizes), self.meta["injected_duplicates"])
        self.assertEqual(len(self.records), 2000)
        self.assertGreater(self.meta["injected_duplicates"], 200)

    def test_truth_is_not_in_the_data(self):
        self.assertNotIn("entity_id", self.records[0])
        entities = {row["entity_id"] for row in self.truth}
        for row in self.records:
            for value in row.values():
                self.assertNotIn(value, entities)

    def test_deterministic_by_seed(self):
        again = os.path.join(self.tmp.name, "again")
        other = os.path.join(self.tmp.name, "other")
        run(f"{HERE}/generate.py", "--records", "2000", "--seed", "7", "--out", again)
        run(f"{HERE}/generate.py", "--records", "2000", "--seed", "8", "--out", other)
        for name in ("records.csv", "truth.csv"):
            with open(f"{self.out}/{name}", "rb") as a, open(f"{again}/{name}", "rb") as b:
                self.assertEqual(a.read(), b.read(), name)
        with open(f"{self.out}/records.csv", "rb") as a, open(f"{other}/records.csv", "rb") as b:
            self.assertNotEqual(a.read(), b.read())

    def test_chinese_first_with_persons_and_organisations(self):
        kinds = Counter(row["kind"] for row in self.records)
        self.assertGreater(kinds["person"], kinds["organization"])
        self.assertGreater(kinds["organization"], 0)
        han = sum(1 for row in self.records if any("\u4e00" <= c <= "\u9fff" for c in row["name"]))
        self.assertGreater(han, len(self.records) // 2)

    def test_hard_negatives(self):
        # Different customers with the very same name.
        entity = {row["record_id"]: row["entity_id"] for row in self.truth}
        by_name = {}
        for row in self.records:
            by_name.setdefault(row["name"], set()).add(entity[row["record_id"]])
        self.assertTrue(any(len(e) > 1 for e in by_name.values()))


class Evaluator(unittest.TestCase):
    def dataset(self, task, rows, truth):
        d = tempfile.mkdtemp()
        with open(f"{d}/records.csv", "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["record_id", "source_table"] if task == "link" else ["record_id"])
            w.writerows(rows)
        with open(f"{d}/truth.csv", "w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows([["record_id", "entity_id"], *truth])
        with open(f"{d}/dataset.json", "w", encoding="utf-8") as f:
            json.dump({"name": "t", "task": task, "n_records": len(rows)}, f)
        return d

    def evaluate(self, d, pairs):
        with open(f"{d}/pairs.csv", "w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows([["l", "r"], *pairs])
        return json.loads(run(f"{HERE}/evaluate.py", d, f"{d}/pairs.csv"))

    def test_dedupe(self):
        d = self.dataset("dedupe", [["1"], ["2"], ["3"], ["4"]], [["1", "a"], ["2", "a"], ["3", "a"], ["4", "b"]])
        m = self.evaluate(d, [["2", "1"], ["1", "2"], ["1", "4"], ["3", "3"]])
        self.assertEqual((m["true_pairs"], m["predicted_pairs"], m["tp"], m["fp"], m["fn"]), (3, 2, 1, 1, 2))
        self.assertAlmostEqual(m["precision"], 0.5)
        self.assertAlmostEqual(m["recall"], 0.3333, places=4)
        perfect = self.evaluate(d, [["1", "2"], ["1", "3"], ["2", "3"]])
        self.assertEqual(perfect["f1"], 1.0)
        self.assertEqual(self.evaluate(d, [])["recall"], 0.0)

    def test_link_counts_cross_table_pairs_only(self):
        d = self.dataset(
            "link",
            [["a1", "a"], ["a2", "a"], ["b1", "b"], ["b2", "b"]],
            [["a1", "x"], ["a2", "x"], ["b1", "x"], ["b2", "y"]],
        )
        m = self.evaluate(d, [["a1", "a2"], ["a1", "b1"], ["a2", "b1"], ["a1", "b2"]])
        self.assertEqual((m["true_pairs"], m["predicted_pairs"], m["tp"]), (2, 3, 2))


class Report(unittest.TestCase):
    def test_rows_for_every_runner_and_honest_gaps(self):
        d = tempfile.mkdtemp()
        rows = [
            {"dataset": "crm", "n_records": 10, "true_pairs": 3, "runner": "Splink", "precision": 1.0,
             "recall": 0.5, "f1": 0.6667, "predicted_pairs": 2, "wall_seconds": 1.5, "peak_mb": 100, "note": "n"},
            {"dataset": "crm", "n_records": 10, "true_pairs": 3, "runner": "customer_mdm batch detection",
             "available": False, "note": "not built yet"},
        ]
        with open(f"{d}/r.jsonl", "w") as f:
            f.write("\n".join(json.dumps(r) for r in rows))
        with open(f"{d}/h.md", "w") as f:
            f.write("# title\n")
        text = run(f"{HERE}/report.py", f"{d}/r.jsonl", f"{d}/h.md")
        self.assertIn("| Splink | 1.0000 | 0.5000 | 0.6667 | 2 | 1.5 | 100 | n |", text)
        self.assertIn("| customer_mdm batch detection | – | – | – | – | – | – | not built yet |", text)


if __name__ == "__main__":
    unittest.main()
