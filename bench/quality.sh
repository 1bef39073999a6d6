#!/usr/bin/env bash
# bench/quality.sh [RECORDS]: the cost of the quality reports (part of
# `make bench`; alone: `make bench-quality`), on a private throwaway cluster
# (target/bench-quality): RECORDS (default 1,000,000) generated customers
# (bench/generate.py, seed 1) in a registered, deduplicated table with two
# quality snapshots; mdm.quality_report, mdm.quality_by_source,
# mdm.quality_summary and mdm.quality_report_html timed, median of 3 runs
# each, next to the same totals computed in plain SQL over the extension's
# functions. Writes bench/results/quality-DATE.md and prints it.
source "$(dirname "$0")/../scripts/lib.sh"
pg_env
cd "$REPO_ROOT"
records=${1:-1000000}
d=$REPO_ROOT/target/bench-quality-data/crm-$records
if [ ! -f "$d/records.csv" ]; then
    log "generating $records CRM records (bench/generate.py, seed 1)"
    python3 bench/generate.py --records "$records" --seed 1 --out "$d" --quiet
fi
bench_cluster bench-quality "${MDM_BENCH_QUALITY_PORT:-54389}"
header=$(head -1 "$d/records.csv")
cols=$(echo "$header" | tr ',' '\n' | sed 's/.*/"&" text/' | paste -sd, -)
log "loading, registering and deduplicating $records customers"
cluster_psql -q -d mdm_bench -v ON_ERROR_STOP=1 -c "SET client_min_messages = warning" \
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
# The baseline: the same totals in plain SQL over the extension's validators
# and normalizers, one scan (what a DBA would write, and what the first
# PL/pgSQL implementation ran).
f() { # f COL VALID NORM: the filled, valid and distinct aggregates of one column
    local c=$1
    echo "count(*) FILTER (WHERE mdm.normalize_text($c) IS NOT NULL), $([ -n "$2" ] && echo "count(*) FILTER (WHERE mdm.normalize_text($c) IS NOT NULL AND $2)" || echo "NULL::int8"), count(DISTINCT $3)"
}
plain="SELECT count(*), $(f name '' 'mdm.normalize_name(name)'), $(f company '' 'mdm.normalize_company(company)'),
  $(f phone "mdm.is_valid_phone(phone, 'CN')" "coalesce(mdm.normalize_phone(phone, 'CN'), mdm.normalize_text(phone))"),
  $(f phone2 "mdm.is_valid_phone(phone2, 'CN')" "coalesce(mdm.normalize_phone(phone2, 'CN'), mdm.normalize_text(phone2))"),
  $(f email 'mdm.is_valid_email(email)' 'coalesce(mdm.email_key(email), mdm.normalize_text(email))'),
  $(f address '' 'mdm.normalize_address(address)'),
  $(f id_number '(mdm.is_valid_cn_resident_id(id_number) OR mdm.is_valid_credit_code(id_number))' 'mdm.normalize_id_number(id_number)'),
  $(f kind '' 'mdm.normalize_text(kind)'), $(f source '' 'mdm.normalize_text(source)') FROM qc"
plain_ms=$(time_ms "$plain")
mkdir -p bench/results
report=bench/results/quality-$(date +%Y-%m-%d).md
{
    echo "# Quality reports (bench/quality.sh)"
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); command: \`bench/quality.sh $records\`"
    bench_machine
    echo "- table: $records generated customers, 9 mapped columns, registered and deduplicated, 2 snapshots; median of 3 runs"
    echo
    echo "| function | median s | target |"
    echo "|---|---:|---|"
    awk -v v="$plain_ms" 'BEGIN {printf "| baseline: the same totals in plain SQL over the mdm.* functions, one scan | %.1f | |\n", v / 1000}'
    awk -v v="$report_ms" 'BEGIN {printf "| mdm.quality_report | %.1f | < 10 s |\n", v / 1000}'
    awk -v v="$source_ms" 'BEGIN {printf "| mdm.quality_by_source | %.1f | |\n", v / 1000}'
    awk -v v="$summary_ms" 'BEGIN {printf "| mdm.quality_summary | %.1f | |\n", v / 1000}'
    awk -v v="$html_ms" 'BEGIN {printf "| mdm.quality_report_html | %.1f | < 15 s |\n", v / 1000}'
    echo
    awk -v p="$plain_ms" -v r="$report_ms" -v h="$html_ms" 'BEGIN {printf "speed-up of mdm.quality_report over the plain-SQL baseline (baseline time / report time): %.1fx; the HTML page takes %.1fx the report\047s time.\n", p / r, h / r}'
} >"$report"
cat "$report"
log "report written to $report"
