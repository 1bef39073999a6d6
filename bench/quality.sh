#!/usr/bin/env bash
# bench/quality.sh [RECORDS]: the cost of the quality reports (part of
# `make bench`; alone: `make bench-quality`), on a private throwaway cluster
# (target/bench-quality): RECORDS (default 1,000,000) generated customers
# (bench/generate.py, seed 1) in a registered, deduplicated table with two
# quality snapshots; mdm.quality_report, mdm.quality_by_source,
# mdm.quality_summary and mdm.quality_report_html timed, median of 3 runs
# each. Writes bench/results/quality-DATE.md and prints it.
source "$(dirname "$0")/../scripts/lib.sh"
pg_env
cd "$REPO_ROOT"
records=${1:-1000000}
d=$REPO_ROOT/target/bench-quality-data/crm-$records
if [ ! -f "$d/records.csv" ]; then
    log "generating $records CRM records (bench/generate.py, seed 1)"
    python3 bench/generate.py --records "$records" --seed 1 --out "$d" --quiet
fi
"$REPO_ROOT/scripts/install.sh" --release
start_cluster bench-quality "${MDM_BENCH_QUALITY_PORT:-54389}" C.UTF-8
trap 'stop_cluster "$CLUSTER_DIR/data"' EXIT
cluster_psql -q -d postgres -c "CREATE DATABASE mdm_bench"
header=$(head -1 "$d/records.csv")
cols=$(echo "$header" | tr ',' '\n' | sed 's/.*/"&" text/' | paste -sd, -)
log "loading, registering and deduplicating $records customers"
cluster_psql -q -d mdm_bench -v ON_ERROR_STOP=1 -c "CREATE EXTENSION customer_mdm" -c "SET client_min_messages = warning" \
    -c "CREATE TABLE qc ($cols, PRIMARY KEY (record_id))" -c "\\copy qc FROM '$d/records.csv' CSV HEADER" \
    -c "SELECT mdm.register('qc', '{\"name\": \"name\", \"company\": \"company\", \"phone\": [\"phone\", \"phone2\"], \"email\": \"email\", \"address\": \"address\", \"id_number\": \"id_number\", \"kind\": \"kind\", \"source\": \"source\"}')" \
    -c "SELECT mdm.find_duplicates('qc')" -c "SELECT mdm.snapshot_quality('qc')" -c "SELECT mdm.snapshot_quality('qc')" \
    -c "VACUUM ANALYZE" >/dev/null
# time_ms SQL: median of 3 runs, in ms.
time_ms() {
    local t=()
    for _ in 1 2 3; do
        t+=("$(cluster_psql -qAt -d mdm_bench -c "SET client_min_messages = warning" -c '\timing on' -c "$1" \
               | awk '/^Time:/ {print $2}')")
    done
    printf '%s\n' "${t[@]}" | sort -n | sed -n 2p
}
log "timing"
report_ms=$(time_ms "SELECT count(*) FROM mdm.quality_report('qc')")
source_ms=$(time_ms "SELECT count(*) FROM mdm.quality_by_source('qc')")
summary_ms=$(time_ms "SELECT mdm.quality_summary('qc') IS NOT NULL")
html_ms=$(time_ms "SELECT length(mdm.quality_report_html('qc'))")
mkdir -p bench/results
report=bench/results/quality-$(date +%Y-%m-%d).md
{
    echo "# Quality reports (bench/quality.sh)"
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); command: \`bench/quality.sh $records\`"
    echo "- machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB; $("$PG_BINDIR/postgres" --version); customer_mdm $(grep -m1 '^version' Cargo.toml | cut -d'"' -f2) (release build); default server settings"
    echo "- table: $records generated customers, 9 mapped columns, registered and deduplicated, 2 snapshots; median of 3 runs"
    echo
    echo "| function | median s | target |"
    echo "|---|---:|---|"
    awk -v v="$report_ms" 'BEGIN {printf "| mdm.quality_report | %.1f | < 10 s |\n", v / 1000}'
    awk -v v="$source_ms" 'BEGIN {printf "| mdm.quality_by_source | %.1f | |\n", v / 1000}'
    awk -v v="$summary_ms" 'BEGIN {printf "| mdm.quality_summary | %.1f | |\n", v / 1000}'
    awk -v v="$html_ms" 'BEGIN {printf "| mdm.quality_report_html | %.1f | < 15 s |\n", v / 1000}'
} >"$report"
cat "$report"
log "report written to $report"
