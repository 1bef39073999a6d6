#!/usr/bin/env python3
"""Splink 5 (DuckDB backend) peer runner for the entity-resolution benchmark.

Usage: python bench/peers/splink_run.py DATASET_DIR OUT_DIR [--verbose] [--save-model]

Reads   DATASET_DIR/records.csv and DATASET_DIR/dataset.json (never truth.csv).
Writes  OUT_DIR/pairs.csv  record_id_l,record_id_r,match_probability
                           (every predicted pair with match_probability >= 0.5;
                           for "link" datasets only pairs across source tables,
                           the table-a record on the left)
        OUT_DIR/run.json   timings, peak memory and a summary of the model.

The model is chosen from the header of records.csv:
  * Febrl columns (given_name, surname, date_of_birth, soc_sec_id, ...):
    the configuration of Splink's own published febrl3 (dedupe) and febrl4
    (link) DuckDB examples.
  * Generated CRM customers (name, phone, phone2, email, id_number, ...):
    a hand-written configuration with light, user-level normalisation.
Training is unsupervised (random-sampling u, EM for m, deterministic rules for
the prior), so the labels are never looked at.
"""

from __future__ import annotations

import json
import logging
import resource
import sys
import time
from pathlib import Path

THRESHOLD = 0.5
SEED = 42  # seed for Splink's random sampling of u pairs

FEBRL_COLS = {"given_name", "surname", "street_number", "address_1", "postcode",
              "date_of_birth", "soc_sec_id"}
CRM_COLS = {"name", "phone", "phone2", "email", "id_number", "company", "address"}


# --------------------------------------------------------------------------
# logging: keep Splink's warnings so they can be reported in run.json
# --------------------------------------------------------------------------
class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        msg = " ".join(record.getMessage().replace("WARNING:", "").split())
        if msg and msg not in self.messages:
            self.messages.append(msg[:400])


def _setup_logging(verbose: bool) -> _Collect:
    logging.basicConfig(stream=sys.stderr,
                        level=logging.INFO if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("splink").setLevel(logging.INFO if verbose else logging.WARNING)
    collect = _Collect()
    logging.getLogger("splink").addHandler(collect)
    return collect


# --------------------------------------------------------------------------
# input
# --------------------------------------------------------------------------
def read_records(ddir: Path):
    import pandas as pd

    df = pd.read_csv(ddir / "records.csv", dtype=str, keep_default_na=False,
                     na_filter=False, encoding="utf-8")
    if df.columns[0] != "record_id":
        raise SystemExit("records.csv: first column must be record_id")
    if df["record_id"].duplicated().any():
        raise SystemExit("records.csv: record_id is not unique")
    return df


def blank_to_null(df, cols):
    """Strip every value; empty string -> NULL (None)."""
    for c in cols:
        s = df[c].astype(str).str.strip()
        df[c] = s.where(s != "", None)
    return df


def split_tables(df, task: str):
    """One table for dedupe, tables a and b for link (source_table dropped)."""
    if task == "link":
        if "source_table" not in df.columns:
            raise SystemExit("link dataset without a source_table column")
        st = df["source_table"].astype(str).str.strip().str.lower()
        names = sorted(st.unique())
        if names != ["a", "b"]:
            raise SystemExit(f"source_table must be a/b, found {names}")
        a = df[st == "a"].drop(columns=["source_table"]).reset_index(drop=True)
        b = df[st == "b"].drop(columns=["source_table"]).reset_index(drop=True)
        return [("a", a), ("b", b)]
    if "source_table" in df.columns:
        df = df.drop(columns=["source_table"])
    return [("all", df)]


# --------------------------------------------------------------------------
# Febrl: Splink's published febrl3 / febrl4 example models
# --------------------------------------------------------------------------
def febrl_model(task: str):
    import splink.comparison_library as cl
    from splink import block_on

    if task == "dedupe":
        # docs/demos/examples/duckdb/febrl3 (Splink 5)
        blocking = [
            block_on("soc_sec_id"),
            block_on("given_name"),
            block_on("surname"),
            block_on("date_of_birth"),
            block_on("postcode"),
        ]
        comparisons = [
            cl.NameComparison("given_name"),
            cl.NameComparison("surname"),
            cl.DateOfBirthComparison("date_of_birth", input_is_string=True,
                                     datetime_format="%Y%m%d"),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.ExactMatch("postcode").configure(term_frequency_adjustments=True),
        ]
        deterministic = [
            block_on("soc_sec_id"),
            block_on("given_name", "surname", "date_of_birth"),
            "l.given_name = r.surname and l.surname = r.given_name "
            "and l.date_of_birth = r.date_of_birth",
        ]
        recall = 0.9
        em = [(block_on("date_of_birth"), "date_of_birth", False),
              (block_on("postcode"), "postcode", False)]
        summary = (
            "febrl3 model as in Splink's febrl3 example: comparisons "
            "NameComparison(given_name), NameComparison(surname) [exact/JW 0.92/0.88/0.7], "
            "DateOfBirthComparison(date_of_birth %Y%m%d) [exact/lev1/1 month/1 yr/10 yr], "
            "DamerauLevenshtein(soc_sec_id,<=2), Exact(street_number,tf), Exact(postcode,tf); "
            "blocking soc_sec_id | given_name | surname | date_of_birth | postcode; "
            "prior from deterministic rules (soc_sec_id; given+surname+dob; swapped names+dob; recall 0.9); "
            "u random sampling; m by EM blocked on date_of_birth, postcode")
    else:
        # docs/demos/examples/duckdb/febrl4 (Splink 5), "detailed" model
        blocking = [
            block_on("given_name", "surname"),
            "l.given_name = r.surname and l.surname = r.given_name",
            block_on("date_of_birth"),
            block_on("soc_sec_id"),
            block_on("state", "address_1"),
            block_on("street_number", "address_1"),
            block_on("postcode"),
        ]
        comparisons = [
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison("date_of_birth", input_is_string=True,
                                     datetime_format="%Y%m%d",
                                     invalid_dates_as_null=True),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]).configure(
                term_frequency_adjustments=True),
        ]
        deterministic = [
            block_on("soc_sec_id"),
            block_on("given_name", "surname", "date_of_birth"),
        ]
        recall = 0.8
        em = [(block_on("date_of_birth"), "date_of_birth", True),
              (block_on("postcode"), "postcode", True)]
        summary = (
            "febrl4 'detailed' model as in Splink's febrl4 example (link_only): comparisons "
            "NameComparison(given_name,tf), NameComparison(surname,tf), "
            "DateOfBirthComparison(date_of_birth %Y%m%d), DamerauLevenshtein(soc_sec_id,<=1,<=2), "
            "Exact(street_number,tf), DamerauLevenshtein(postcode,<=1,<=2,tf); "
            "blocking given_name+surname | swapped names | date_of_birth | soc_sec_id | "
            "state+address_1 | street_number+address_1 | postcode; "
            "prior from deterministic rules (soc_sec_id; given+surname+dob; recall 0.8); "
            "u random sampling; m by EM (without tf) blocked on date_of_birth, postcode")
    return dict(blocking=blocking, comparisons=comparisons, deterministic=deterministic,
                recall=recall, em=em, summary=summary)


# --------------------------------------------------------------------------
# Generated CRM customers: user-level normalisation + hand-written model
# --------------------------------------------------------------------------
def crm_prepare(df):
    """Light normalisation a Splink user would write (no trad->simplified, no pinyin).

    NFKC folds full-width digits/letters/spaces to ASCII; then
      name     lower-case, without whitespace and dots
      phone    digits only, leading 0086/86 country code and leading zeros
               dropped, last 11 digits kept (fewer than 7 digits -> NULL)
      email    lower-case, without whitespace
      id       upper-case, without whitespace
      company, address  lower-case, without whitespace; company -> NULL
               when equal to the normalised name (organisations), so the
               same evidence is not counted twice
    """
    text_cols = [c for c in df.columns if c != "record_id"]
    for c in text_cols:
        df[c] = df[c].astype(str).str.normalize("NFKC").str.strip()

    def nospace(s):
        return s.str.replace(r"\s+", "", regex=True)

    out = df[["record_id"]].copy()
    if "source_table" in df.columns:
        out["source_table"] = df["source_table"]
    out["kind"] = df["kind"].str.lower() if "kind" in df.columns else ""
    out["name_n"] = nospace(df["name"].str.lower()).str.replace(r"[.·•・]", "", regex=True)

    def phone(s):
        d = s.str.replace(r"\D", "", regex=True)
        d = d.str.replace(r"^(0086|86(?=\d{9}))", "", regex=True)
        d = d.str.lstrip("0").str[-11:]
        return d.where(d.str.len() >= 7, "")

    out["phone_n"] = phone(df["phone"])
    out["phone2_n"] = phone(df["phone2"]) if "phone2" in df.columns else ""
    # a record whose two phones are the same carries one phone
    out.loc[out["phone2_n"] == out["phone_n"], "phone2_n"] = ""
    # fill the primary slot if only phone2 is present
    only2 = (out["phone_n"] == "") & (out["phone2_n"] != "")
    out.loc[only2, "phone_n"] = out.loc[only2, "phone2_n"]
    out.loc[only2, "phone2_n"] = ""
    out["email_n"] = nospace(df["email"].str.lower())
    out["id_n"] = nospace(df["id_number"].str.upper())
    out["company_n"] = nospace(df["company"].str.lower()) if "company" in df.columns else ""
    # an organisation's company field repeats its name: keep it only when it
    # adds information, otherwise name and company would be counted twice
    out["company_b"] = out["company_n"]  # un-blanked copy, used only for blocking
    out.loc[out["company_n"] == out["name_n"], "company_n"] = ""
    out["address_n"] = nospace(df["address"].str.lower())
    return out


def crm_model(tables, task: str, con, n_records: int, warnings: list[str]):
    import splink.comparison_library as cl
    from splink import block_on

    null_phone = ("(phone_n_l IS NULL AND phone2_n_l IS NULL) OR "
                  "(phone_n_r IS NULL AND phone2_n_r IS NULL)")
    any_phone = ("phone_n_l = phone_n_r OR phone_n_l = phone2_n_r OR "
                 "phone2_n_l = phone_n_r OR phone2_n_l = phone2_n_r")
    phone_cmp = cl.CustomComparison(
        output_column_name="phone",
        comparison_description="phone or phone2 equal on either side",
        comparison_levels=[
            {"sql_condition": null_phone, "label_for_charts": "phone null",
             "is_null_level": True},
            {"sql_condition": any_phone, "label_for_charts": "a phone in common"},
            {"sql_condition": "ELSE", "label_for_charts": "all other"},
        ],
    )
    comparisons = {
        "name_n": cl.JaroWinklerAtThresholds("name_n", [0.9, 0.8]).configure(
            term_frequency_adjustments=True),
        "phone_n": phone_cmp,
        # tf: name-derived addresses (emma.smith@...) recur across people
        "email_n": cl.ExactMatch("email_n").configure(term_frequency_adjustments=True),
        "id_n": cl.ExactMatch("id_n"),
        "company_n": cl.JaroWinklerAtThresholds("company_n", [0.9]),
        "address_n": cl.JaroWinklerAtThresholds("address_n", [0.9, 0.8]),
        "kind": cl.ExactMatch("kind"),
    }
    # a column that is (almost) always empty, or constant, carries no evidence
    # and cannot be trained: leave it out of the model
    union = " UNION ALL ".join(f"SELECT * FROM {t}" for t in tables)
    for col in list(comparisons):
        nn, nd = con.execute(f"SELECT count({col}), count(DISTINCT {col}) FROM ({union})"
                             ).fetchall()[0]
        if nn < 2 or nd < 2:
            warnings.append(f"comparison on {col} left out: {nn} non-null, {nd} distinct values")
            del comparisons[col]
    used = list(comparisons)
    comparisons = list(comparisons.values())

    # candidate blocking rules: (label, left keys, right keys)
    candidates = [
        ("name", ["name_n"], ["name_n"]),
        ("phone", ["phone_n"], ["phone_n"]),
        ("phone2", ["phone2_n"], ["phone2_n"]),
        ("phone=phone2", ["phone_n"], ["phone2_n"]),
        ("phone2=phone", ["phone2_n"], ["phone_n"]),
        ("email", ["email_n"], ["email_n"]),
        ("id_number", ["id_n"], ["id_n"]),
        ("name[1:3]+company", ["substr(name_n,1,3)", "company_b"],
         ["substr(name_n,1,3)", "company_b"]),
    ]
    # Splink's docs advise checking how many comparisons each rule creates;
    # a rule whose blocks explode on big inputs is dropped (reported).
    cap = max(2e7, 200.0 * n_records)
    counts = {}
    blocking = []
    for label, lk, rk in candidates:
        n = _count_pairs(con, tables, task, lk, rk)
        counts[label] = n
        if n > cap:
            warnings.append(f"blocking rule {label} dropped: {n:.3g} comparisons > cap {cap:.3g}")
            continue
        if lk == rk:
            blocking.append(block_on(*lk))
        else:
            blocking.append(" AND ".join(f"l.{a} = r.{b}" for a, b in zip(lk, rk)))

    # deterministic rules should admit almost no false positives (Splink docs):
    # a phone or an e-mail alone is shared by households / colleagues, so
    # those two are combined with the name; name variants (script, pinyin,
    # honorifics) keep these rules from finding many duplicates -> recall 0.7
    deterministic = [block_on("id_n"), block_on("email_n", "name_n"),
                     block_on("phone_n", "name_n")]
    # EM on high-precision blocks (matches are a large share of the pairs;
    # u is fixed from random sampling, so EM only has to find m). Each rule
    # frees the other's column. Fallbacks run only if a comparison ends up
    # with no trained m at all (e.g. a column that is always empty).
    em = [(block_on("phone_n"), "phone", False),
          (block_on("email_n"), "email", False)]
    em_fallback = [(block_on("id_n"), "id_number", False),
                   (block_on("name_n"), "name", False)]
    em_col = {"phone": "phone_n", "email": "email_n", "id_number": "id_n", "name": "name_n"}
    em = [x for x in em if em_col[x[1]] in used]
    em_fallback = [x for x in em_fallback if em_col[x[1]] in used]
    em_pairs = {k: counts.get(k, 0) for k in em_col}
    summary = (
        "CRM model (dedupe/link by data): normalised in pandas (NFKC; name lower, no spaces/dots; "
        "phone digits, no 86/0086/leading 0, last 11; email lower no spaces; id upper no spaces; "
        "company/address lower no spaces, company NULL if equal to name; NO traditional->simplified or pinyin, so script/"
        "romanisation variants of a name do not agree); comparisons "
        "JW(name,0.9/0.8,tf on exact) | phone-or-phone2 in common | exact email (tf) | exact id_number | "
        "JW(company,0.9) | JW(address,0.9/0.8) | exact kind [DuckDB jaro_winkler is byte-based on UTF-8]; "
        "blocking " + " | ".join(l for l, _, _ in candidates if counts[l] <= cap) + "; "
        "prior from deterministic rules (id_number | email+name | phone+name, recall 0.7); "
        "u random sampling; m by EM blocked on phone, email (fallback id_number, name)")
    if len(used) < 7:
        summary += "; comparisons actually used: " + ", ".join(used)
    return dict(blocking=blocking, comparisons=comparisons, deterministic=deterministic,
                recall=0.7, em=em, em_fallback=em_fallback, summary=summary,
                block_counts=counts, em_pairs=em_pairs)


def _count_pairs(con, tables, task, lk, rk) -> float:
    """Exact number of pairs an equi-join blocking rule generates (cheap)."""
    def grouped(tname, keys):
        k = ", ".join(f"{e} AS k{i}" for i, e in enumerate(keys))
        nn = " AND ".join(f"({e}) IS NOT NULL" for e in keys)
        g = ", ".join(f"k{i}" for i in range(len(keys)))
        return f"SELECT {k}, count(*) AS c FROM {tname} WHERE {nn} GROUP BY {g}"

    on = " AND ".join(f"x.k{i} = y.k{i}" for i in range(len(lk)))
    if task == "link":
        l, r = tables[0], tables[1]
        sql = (f"SELECT coalesce(sum(x.c * y.c), 0) FROM ({grouped(l, lk)}) x "
               f"JOIN ({grouped(r, rk)}) y ON {on}")
    elif lk == rk:
        sql = f"SELECT coalesce(sum(c * (c - 1) / 2), 0) FROM ({grouped(tables[0], lk)})"
    else:
        # l.a = r.b over ordered pairs; Splink keeps one orientation -> about half
        sql = (f"SELECT coalesce(sum(x.c * y.c), 0) / 2 FROM ({grouped(tables[0], lk)}) x "
               f"JOIN ({grouped(tables[0], rk)}) y ON {on}")
    return float(con.execute(sql).fetchall()[0][0])


# --------------------------------------------------------------------------
def main(argv: list[str]) -> int:
    args = [a for a in argv[1:] if not a.startswith("--")]
    verbose = "--verbose" in argv[1:]
    save_model = "--save-model" in argv[1:]
    if len(args) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    ddir, outdir = Path(args[0]), Path(args[1])
    collect = _setup_logging(verbose)

    import duckdb
    import pandas as pd  # imported before the clock starts
    import splink
    from splink import DuckDBAPI, Linker, SettingsCreator

    t_start = time.perf_counter()
    warnings: list[str] = []

    meta = json.loads((ddir / "dataset.json").read_text(encoding="utf-8"))
    name = meta.get("name", ddir.name)
    task = meta.get("task", "dedupe")
    if task not in ("dedupe", "link"):
        raise SystemExit(f"unknown task {task!r}")
    df = read_records(ddir)
    cols = set(df.columns)

    con = duckdb.connect(":memory:")
    extra: dict = {}
    if FEBRL_COLS <= cols:
        kind = "febrl"
        data_cols = [c for c in df.columns if c not in ("record_id", "source_table")]
        df = blank_to_null(df, data_cols)
        parts = split_tables(df, task)
        model = febrl_model(task)
    elif CRM_COLS <= cols:
        kind = "crm"
        df = crm_prepare(df)
        data_cols = [c for c in df.columns if c not in ("record_id", "source_table")]
        df = blank_to_null(df, data_cols)
        parts = split_tables(df, task)
        for label, part in parts:
            con.register(f"_prep_{label}", part)
        model = crm_model([f"_prep_{l}" for l, _ in parts], task, con, len(df), warnings)
        extra["blocking_rule_comparisons"] = {k: int(v) for k, v in model["block_counts"].items()}
    else:
        raise SystemExit("splink_run.py: unrecognised dataset columns: " + ",".join(df.columns))

    settings = SettingsCreator(
        unique_id_column_name="record_id",
        link_type="link_only" if task == "link" else "dedupe_only",
        blocking_rules_to_generate_predictions=model["blocking"],
        comparisons=model["comparisons"],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )
    db_api = DuckDBAPI(connection=con)
    sdfs = [db_api.register(part, dataset_display_name=f"input_{label}")
            for label, part in parts]
    linker = Linker(sdfs if len(sdfs) > 1 else sdfs[0], settings, log_level=None)

    # ---------------- training ----------------
    t_train = time.perf_counter()
    prior_default = linker._settings_obj._probability_two_random_records_match
    try:
        linker.training.estimate_probability_two_random_records_match(
            model["deterministic"], recall=model["recall"])
        p = linker._settings_obj._probability_two_random_records_match
        if not (0.0 < p < 1.0):
            linker._settings_obj._probability_two_random_records_match = prior_default
            warnings.append(f"deterministic rules gave probability_two_random_records_match={p}; "
                            f"Splink default {prior_default} kept")
    except Exception as e:  # keep Splink's default prior
        warnings.append(f"estimate_probability_two_random_records_match failed, "
                        f"default prior kept: {_short(e)}")

    if task == "link":
        sizes = [len(part) for _, part in parts]
        total_pairs = float(sizes[0]) * float(sizes[1])
    else:
        total_pairs = len(df) * (len(df) - 1) / 2.0
    # Splink recommends >= 1e7 sampled pairs; never more than exist.
    u_pairs = float(min(max(1e7, 100.0 * len(df)), 5e7, total_pairs))
    u_pairs = max(u_pairs, 1.0)
    try:
        linker.training.estimate_u_using_random_sampling(max_pairs=u_pairs, seed=SEED)
    except Exception as e:
        warnings.append(f"estimate_u_using_random_sampling failed, defaults kept: {_short(e)}")

    em_info = []
    max_iter = 25

    def run_em(rule, label, no_tf):
        kwargs = {}
        if model.get("em_pairs", {}).get(label, 0) > 5e6:
            kwargs["max_pairs"] = 5e6  # Splink 5: sample the blocked pairs used by EM
        try:
            sess = linker.training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=no_tf, **kwargs)
            iters = len(getattr(sess, "_core_model_settings_history", [])) - 1
            em_info.append({"blocked_on": label, "iterations": iters})
            if iters >= max_iter:
                warnings.append(f"EM blocked on {label} stopped at {max_iter} "
                                "iterations without converging")
        except Exception as e:
            warnings.append(f"EM blocked on {label} failed, other estimates/defaults kept: "
                            f"{_short(e)}")

    for rule, label, no_tf in model["em"]:
        run_em(rule, label, no_tf)
    for rule, label, no_tf in model.get("em_fallback", []):
        if all(c._some_m_are_trained for c in linker._settings_obj.comparisons):
            break
        run_em(rule, label, no_tf)
    not_obs, untrained = [], []
    for c in linker._settings_obj.comparisons:
        for lvl in c.comparison_levels:
            if lvl.is_null_level:
                continue
            tag = f"{c.output_column_name}/{lvl.label_for_charts}"
            for kind_, raw in (("m", lvl._m_probability), ("u", lvl._u_probability)):
                if raw is None:
                    untrained.append(f"{kind_}:{tag}")
                elif isinstance(raw, str):
                    not_obs.append(f"{kind_}:{tag}")
    if untrained:
        warnings.append("not estimated, Splink default used: " + "; ".join(untrained))
    if not_obs:
        warnings.append("level never observed in training, Splink uses 1e-6: "
                        + "; ".join(not_obs))
    training_seconds = time.perf_counter() - t_train

    # ---------------- prediction ----------------
    t_pred = time.perf_counter()
    pred = linker.inference.predict(threshold_match_probability=THRESHOLD,
                                    warning_mode="never")
    tbl = pred.physical_name
    if task == "link":
        sel = (f"SELECT CASE WHEN source_dataset_l = 'input_a' THEN record_id_l ELSE record_id_r END AS record_id_l, "
               f"CASE WHEN source_dataset_l = 'input_a' THEN record_id_r ELSE record_id_l END AS record_id_r, "
               f"match_probability FROM {tbl} "
               f"WHERE match_probability >= {THRESHOLD} AND source_dataset_l <> source_dataset_r")
    else:
        sel = (f"SELECT record_id_l, record_id_r, match_probability FROM {tbl} "
               f"WHERE match_probability >= {THRESHOLD}")
    sel += " ORDER BY record_id_l, record_id_r"
    outdir.mkdir(parents=True, exist_ok=True)
    pairs_path = outdir / "pairs.csv"
    con.execute(f"COPY ({sel}) TO '{_sql_str(pairs_path)}' (FORMAT CSV, HEADER TRUE)")
    n_pairs = con.execute(f"SELECT count(*) FROM ({sel})").fetchall()[0][0]
    predict_seconds = time.perf_counter() - t_pred
    wall_seconds = time.perf_counter() - t_start

    for m in collect.messages:
        if "not observed in dataset" in m or m.startswith("You are using the default value"):
            continue  # summarised above / not relevant
        warnings.append("splink log: " + m)
    run = {
        "runner": "splink",
        "version": splink.__version__,
        "dataset": name,
        "wall_seconds": round(wall_seconds, 3),
        "training_seconds": round(training_seconds, 3),
        "predict_seconds": round(predict_seconds, 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "threshold": THRESHOLD,
        "n_pairs": int(n_pairs),
        "settings_summary": model["summary"],
        "model": kind,
        "task": task,
        "n_records": int(len(df)),
        "duckdb_version": duckdb.__version__,
        "pandas_version": pd.__version__,
        "u_max_pairs": u_pairs,
        "u_seed": SEED,
        "probability_two_random_records_match":
            linker._settings_obj._probability_two_random_records_match,
        "em_sessions": em_info,
        "warnings": warnings,
        **extra,
    }
    if save_model:  # optional: the trained Splink model, for inspection
        linker.misc.save_model_to_json(str(outdir / "model.json"), overwrite=True)
    (outdir / "run.json").write_text(json.dumps(run, indent=2, ensure_ascii=False) + "\n",
                                     encoding="utf-8")
    print(f"splink {name}: {n_pairs} pairs >= {THRESHOLD} in {wall_seconds:.1f}s "
          f"(train {training_seconds:.1f}s, predict {predict_seconds:.1f}s), "
          f"peak RSS {run['peak_rss_mb']} MB, {len(warnings)} warning(s)")
    return 0


def _short(e: Exception) -> str:
    first = " ".join(str(e).split())[:240]
    return f"{type(e).__name__}: {first}"


def _sql_str(p: Path) -> str:
    return str(p.resolve()).replace("'", "''")


if __name__ == "__main__":
    sys.exit(main(sys.argv))
