#!/usr/bin/env python3
"""Independent checker for a data set written by bench/generate.py.

Usage::

    python3 bench/check_generated.py DIR

Re-reads DIR/records.csv, DIR/truth.csv and DIR/dataset.json (standard library
only, does not import generate.py) and verifies:

1. records.csv has the expected header; every record_id appears exactly once
   in records.csv and in truth.csv and vice versa; the record count equals
   n_records; kind and source take only the documented values.
2. true pairs recomputed from truth.csv (sum over entities of k*(k-1)/2) equal
   dataset.json's true_pairs; records - entities == injected_duplicates; the
   entity count equals n_entities.
3. no entity id string appears anywhere in records.csv.
4. every non-empty id_number, after removing spaces and upper-casing, has valid
   check characters: persons an 18-character resident ID (ISO 7064 MOD 11-2,
   valid birth date), organizations an 18-character unified social credit code
   (GB 11714 organization-code check and mod-31 check).
5. duplicates are variants: every further record of a multi-record entity is
   similar to the entity's first record in file order in at least one of
   name / phone / email / id_number / address / company: last 8 phone digits
   equal or one digit apart, same id_number, same email, 2+ common Han
   characters in the name, same lowercase name tokens (one may have a one-letter
   typo), names equal or one a prefix of the other after removing spaces, dots
   and case, companies equal / sharing an 8-character prefix / one containing
   the other once legal forms and bracketed regions are removed, addresses
   equal (a leading 中国 ignored) or sharing a 14-character prefix or an
   8-character suffix.  At least 99 % must pass.
6. hard negatives exist: two different entities share an identical name
   (checked when n_records >= 1000).
7. no two consecutive rows of records.csv belong to the same entity.

Prints a one-line summary on stdout and details of failures on stderr; exits
non-zero on any failure.
"""

import csv
import json
import os
import re
import sys
import unicodedata

HEADER = ["record_id", "kind", "name", "company", "phone", "phone2", "email",
          "address", "id_number", "source"]
KINDS = ("person", "organization")
SOURCES = ("web_form", "wechat", "event", "spreadsheet", "erp")

RESIDENT_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]
MIN_VARIANT_SHARE = 0.99


def valid_resident_id(s):
    """18-char PRC resident ID with a correct MOD 11-2 check and a real date."""
    if len(s) != 18 or not s[:17].isdigit() or s[17] not in "0123456789X":
        return False
    if not s.isascii():
        return False
    year, month, day = int(s[6:10]), int(s[10:12]), int(s[12:14])
    if not (1900 <= year <= 2030 and 1 <= month <= 12):
        return False
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    days = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    if not 1 <= day <= days:
        return False
    total = 0
    for digit, weight in zip(s[:17], RESIDENT_WEIGHTS):
        total += int(digit) * weight
    return "10X98765432"[total % 11] == s[17]


def valid_credit_code(s):
    """18-char unified social credit code: GB 11714 and mod-31 checks."""
    if len(s) != 18 or any(c not in CREDIT_CHARS for c in s):
        return False
    if not s[2:8].isdigit():
        return False
    org = s[8:17]
    total = 0
    for c, weight in zip(org[:8], ORG_WEIGHTS):
        value = int(c) if c.isdigit() else ord(c) - 55
        total += value * weight
    c9 = 11 - total % 11
    if org[8] != ("X" if c9 == 10 else "0" if c9 == 11 else str(c9)):
        return False
    total = 0
    for c, weight in zip(s[:17], CREDIT_WEIGHTS):
        total += CREDIT_CHARS.index(c) * weight
    return CREDIT_CHARS[(31 - total % 31) % 31] == s[17]


# --- similarity of two records of one entity --------------------------------

PUNCT = re.compile(r"[\s.·,，_\-()（）]+")
HAN = re.compile(r"[\u4e00-\u9fff]")
LEGAL = re.compile(r"[(（][^)）]*[)）]|有限责任公司|股份有限公司|有限公司|集团|公司")


def nfkc(s):
    return unicodedata.normalize("NFKC", s)


def near(a, b, limit=1):
    """Optimal-string-alignment distance of a and b is at most limit."""
    if abs(len(a) - len(b)) > limit:
        return False
    prev2, prev = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if (prev2 is not None and i > 1 and j > 1 and a[i - 1] == b[j - 2]
                    and a[i - 2] == b[j - 1]):
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return False
        prev2, prev = prev, cur
    return prev[-1] <= limit


def common_prefix(a, b):
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def signature(row):
    """Cheap comparable features of one record (row without record_id)."""
    _kind, name, company, phone, phone2, email, address, id_number, _src = row
    phones = []
    for p in (phone, phone2):
        digits = re.sub(r"\D", "", nfkc(p))
        if len(digits) >= 7:
            phones.append(digits[-8:])
    name_n = nfkc(name).lower()
    company_n = PUNCT.sub("", nfkc(company)).lower()
    company_core = PUNCT.sub("", LEGAL.sub("", nfkc(company))).lower()
    address_n = PUNCT.sub("", nfkc(address)).lower()
    if address_n.startswith("中国"):
        address_n = address_n[2:]
    return (phones,
            nfkc(id_number).replace(" ", "").upper(),
            email.strip().lower(),
            set(HAN.findall(name_n)),
            sorted(t for t in re.split(r"[^\w]+", name_n) if t),
            PUNCT.sub("", name_n),
            company_n, company_core,
            address_n)


def similar_tokens(t1, t2):
    """Same name tokens, or the same but one token with a one-letter typo."""
    if not t1 or not t2:
        return False
    if t1 == t2:
        return True
    if len(t1) != len(t2):
        return False
    only1 = [t for t in t1 if t not in t2]
    only2 = [t for t in t2 if t not in t1]
    return len(only1) == len(only2) == 1 and near(only1[0], only2[0])


def similar(a, b):
    """True if two records of one entity visibly describe the same customer."""
    for p in a[0]:
        for q in b[0]:
            if p == q or (len(p) == len(q) and sum(x != y for x, y in zip(p, q)) <= 1):
                return True
    if a[1] and a[1] == b[1]:                      # id_number
        return True
    if a[2] and a[2] == b[2]:                      # email
        return True
    if len(a[3] & b[3]) >= 2:                      # 2+ common Han characters
        return True
    if similar_tokens(a[4], b[4]):                 # same lowercase name tokens
        return True
    n1, n2 = a[5], b[5]                            # name without spaces/dots/case
    if n1 and n2 and (n1 == n2 or (min(len(n1), len(n2)) >= 6
                                   and (n1.startswith(n2) or n2.startswith(n1)))):
        return True
    c1, c2 = a[6], b[6]                            # company
    if c1 and c2 and (c1 == c2 or common_prefix(c1, c2) >= 8):
        return True
    k1, k2 = a[7], b[7]                            # company without legal form
    if min(len(k1), len(k2)) >= 4 and (k1 in k2 or k2 in k1):
        return True
    d1, d2 = a[8], b[8]                            # address
    if d1 and d2 and (d1 == d2 or common_prefix(d1, d2) >= 14
                      or common_prefix(d1[::-1], d2[::-1]) >= 8):
        return True
    return False


# --- main check ---------------------------------------------------------------


class Report:
    def __init__(self):
        self.failures = []

    def fail(self, msg):
        self.failures.append(msg)
        print("FAIL: " + msg, file=sys.stderr)


def read_truth(path, report):
    """record_id -> entity index, entity names, record counts per entity."""
    rec_to_ent = {}
    ent_index = {}
    ent_names = []
    counts = []
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if header != ["record_id", "entity_id"]:
            report.fail("truth.csv header is %r" % (header,))
        dups = 0
        for row in reader:
            if len(row) != 2:
                report.fail("truth.csv malformed row %r" % (row,))
                continue
            rid, eid = row
            idx = ent_index.get(eid)
            if idx is None:
                idx = ent_index[eid] = len(ent_names)
                ent_names.append(eid)
                counts.append(0)
            counts[idx] += 1
            if rid in rec_to_ent:
                dups += 1
            rec_to_ent[rid] = idx
        if dups:
            report.fail("%d record ids appear more than once in truth.csv" % dups)
    return rec_to_ent, ent_index, ent_names, counts


def check(directory):
    report = Report()
    meta_path = os.path.join(directory, "dataset.json")
    with open(meta_path, encoding="utf-8") as f:
        meta = json.load(f)
    rec_to_ent, ent_index, ent_names, counts = read_truth(
        os.path.join(directory, "truth.csv"), report)

    widths = sorted(set(len(e) - 1 for e in ent_names if re.fullmatch(r"e\d+", e)))
    if any(not re.fullmatch(r"e\d+", e) for e in ent_names):
        report.fail("entity ids not of the form e<digits>")
    id_pattern = re.compile("|".join(r"(?=(e\d{%d}))" % w for w in widths) or "(?!)")

    n_truth = len(rec_to_ent)
    left = list(counts)            # records of each entity not yet seen
    first_sig = {}                 # entity index -> signature of first record
    name_owner = {}                # name -> entity index (for check 6)
    hard_negative = None
    n_rows = variants = variant_ok = ids_checked = 0
    bad_ids = leaked = 0
    adjacent = unknown = 0
    prev_ent = -1
    samples = []
    with open(os.path.join(directory, "records.csv"), newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if header != HEADER:
            report.fail("records.csv header is %r" % (header,))
        for row in reader:
            n_rows += 1
            if len(row) != len(HEADER):
                report.fail("row %d has %d fields" % (n_rows, len(row)))
                continue
            rid = row[0]
            ent = rec_to_ent.pop(rid, None)    # popped: a repeat is caught too
            if ent is None:
                unknown += 1
                if unknown <= 5:
                    report.fail("record id %s missing from truth.csv or repeated" % rid)
                continue
            left[ent] -= 1
            kind, name, id_number, source = row[1], row[2], row[8], row[9]
            if kind not in KINDS or source not in SOURCES:
                report.fail("row %s has kind %r source %r" % (rid, kind, source))
            # 3. entity id leak
            for m in id_pattern.finditer(",".join(row)):
                token = next(g for g in m.groups() if g)
                if token in ent_index:
                    leaked += 1
                    if leaked <= 3:
                        report.fail("entity id %s appears in record %s" % (token, rid))
            # 4. id numbers
            if id_number:
                ids_checked += 1
                norm = id_number.replace(" ", "").upper()
                ok = valid_resident_id(norm) if kind == "person" else valid_credit_code(norm)
                if not ok:
                    bad_ids += 1
                    if bad_ids <= 5:
                        report.fail("invalid %s id_number %r in %s" % (kind, id_number, rid))
            # 5. variants
            if counts[ent] > 1:
                sig = signature(row[1:])
                first = first_sig.get(ent)
                if first is None:
                    first_sig[ent] = sig
                else:
                    variants += 1
                    if similar(first, sig):
                        variant_ok += 1
                    elif len(samples) < 5:
                        samples.append(row)
                    if left[ent] == 0:
                        del first_sig[ent]
            # 6. hard negatives
            if hard_negative is None and name:
                owner = name_owner.setdefault(name, ent)
                if owner != ent:
                    hard_negative = (name, ent_names[owner], ent_names[ent])
            # 7. adjacency
            if ent == prev_ent:
                adjacent += 1
            prev_ent = ent

    # 1. ids and counts
    missing = len(rec_to_ent)          # truth ids never seen in records.csv
    if unknown:
        report.fail("%d records.csv ids missing from truth.csv or repeated" % unknown)
    if missing:
        report.fail("%d truth.csv record ids not in records.csv" % missing)
    if n_rows != meta.get("n_records"):
        report.fail("records.csv has %d rows, dataset.json n_records=%r"
                    % (n_rows, meta.get("n_records")))
    # 2. pairs
    pairs = sum(k * (k - 1) // 2 for k in counts)
    if pairs != meta.get("true_pairs"):
        report.fail("true pairs from truth.csv %d != dataset.json %r"
                    % (pairs, meta.get("true_pairs")))
    if n_truth - len(ent_names) != meta.get("injected_duplicates"):
        report.fail("records - entities = %d != injected_duplicates %r"
                    % (n_truth - len(ent_names), meta.get("injected_duplicates")))
    if len(ent_names) != meta.get("n_entities"):
        report.fail("%d entities in truth.csv != n_entities %r"
                    % (len(ent_names), meta.get("n_entities")))
    if leaked:
        report.fail("%d entity ids found in records.csv" % leaked)
    if bad_ids:
        report.fail("%d of %d id_numbers invalid" % (bad_ids, ids_checked))
    share = variant_ok / variants if variants else 1.0
    if share < MIN_VARIANT_SHARE:
        report.fail("only %.2f%% of duplicates resemble their entity's first record"
                    % (100 * share))
        for row in samples:
            print("  not similar: %r" % (row,), file=sys.stderr)
    if n_rows >= 1000 and hard_negative is None:
        report.fail("no two different entities share a name")
    if adjacent:
        report.fail("%d consecutive rows belong to the same entity" % adjacent)

    status = "FAIL" if report.failures else "OK"
    print("%s %s: %d records, %d entities, %d true pairs, %d id numbers valid, "
          "%.2f%% of %d duplicates similar to first record, hard negative %s, "
          "%d failure(s)"
          % (status, directory, n_rows, len(ent_names), pairs, ids_checked - bad_ids,
             100 * share, variants,
             "%s (%s/%s)" % hard_negative if hard_negative else "none",
             len(report.failures)))
    return 0 if not report.failures else 1


def main(argv):
    if len(argv) != 2 or argv[1] in ("-h", "--help"):
        print(__doc__.strip(), file=sys.stderr)
        return 2 if len(argv) != 2 else 0
    try:
        return check(argv[1])
    except (OSError, ValueError, csv.Error) as exc:
        print("FAIL %s: %s" % (argv[1], exc))
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
