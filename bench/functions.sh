#!/usr/bin/env bash
# bench/functions.sh [RUNS]: the per-call cost of customer_mdm's functions
# side by side with their peers, in one run on a private throwaway cluster
# (target/bench): the normalizers over 1M CRM-shaped rows against lower(),
# unaccent() and fuzzystrmatch's dmetaphone(); the string similarities over
# 1M pairs against fuzzystrmatch's levenshtein, pg_similarity's jarowinkler
# and pg_trgm's similarity; mdm.compare over 200k pairs of 6-role records.
# Median of RUNS runs (default 5). Writes
# bench/results/functions-DATE.md.
source "$(dirname "$0")/../scripts/lib.sh"
pg_env
cd "$REPO_ROOT"
runs=${1:-5}

if [ ! -f "/usr/share/postgresql/$PG_MAJOR/extension/pg_similarity.control" ]; then
    log "installing the peer pg_similarity (Debian package postgresql-$PG_MAJOR-similarity)"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "postgresql-$PG_MAJOR-similarity"
fi
"$REPO_ROOT/scripts/install.sh" --release
# A UTF-8 locale, as CRM databases have: in the C locale lower() folds
# ASCII only, which is not the same job.
start_cluster bench "${MDM_BENCH_PORT:-54339}" C.UTF-8
trap 'stop_cluster "$CLUSTER_DIR/data"' EXIT
cluster_psql -q -d postgres -c "CREATE DATABASE mdm_bench"
cluster_psql -q -d mdm_bench -v ON_ERROR_STOP=1 \
    -c "CREATE EXTENSION customer_mdm" -c "CREATE EXTENSION unaccent" -c "CREATE EXTENSION fuzzystrmatch" \
    -c "CREATE EXTENSION pg_trgm" -c "CREATE SCHEMA pgs" -c "CREATE EXTENSION pg_similarity SCHEMA pgs"
log "generating 1M rows"
cluster_psql -q -d mdm_bench -f bench/functions_data.sql
log "timing (median of $runs runs each)"
out=$(cluster_psql -q -d mdm_bench -v runs="$runs" -f bench/functions_time.sql)
log "generating 1M pairs and timing the similarities"
cluster_psql -q -d mdm_bench -f bench/similarity_data.sql
sim=$(cluster_psql -q -d mdm_bench -v runs="$runs" -f bench/similarity_time.sql)
log "generating 200k record pairs and timing mdm.compare"
cluster_psql -q -d mdm_bench -f bench/compare_data.sql
cmp=$(cluster_psql -q -d mdm_bench -v runs="$runs" -f bench/compare_time.sql)
log "timing one 1 MB input per function"
large=$(cluster_psql -q -d mdm_bench -f bench/large_input.sql)

mkdir -p bench/results
report=bench/results/functions-$(date +%Y-%m-%d).md
{
    echo "# Per-call cost of the normalization and similarity functions"
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); command: \`bench/functions.sh $runs\`"
    echo "- machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB; $("$PG_BINDIR/postgres" --version); customer_mdm $(grep -m1 '^version' Cargo.toml | cut -d'"' -f2) (release build)"
    echo "- database: UTF8, locale C.UTF-8 (so that lower() folds all of Unicode, as the mdm functions do)"
    echo "- data: 1M rows from bench/functions_data.sql; \`SELECT count(f(col)) FROM bench_rows\`, no parallelism, no JIT, median of $runs runs; µs per call = (median − bare scan) / 1M"
    echo
    echo '```'
    echo "$out"
    echo '```'
    echo
    echo '```'
    echo "$sim"
    echo '```'
    echo
    echo '```'
    echo "$cmp"
    echo '```'
    echo
    echo '```'
    echo "$large"
    echo '```'
} > "$report"
cat "$report"
