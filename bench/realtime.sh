#!/usr/bin/env bash
# bench/realtime.sh [RECORDS] [TRANSACTIONS]: the cost of realtime duplicate
# detection on INSERT, measured with pgbench (part of `make bench`; alone:
# `make bench-realtime`). On a private throwaway cluster (target/bench-rt):
#
#   - bench/generate.py makes RECORDS (default 1,000,000) customers plus a
#     pool of 12 × TRANSACTIONS typed-in ones (seed 1; the pool is the last
#     records of the same set, so it has duplicates in the table as the set
#     has);
#   - the RECORDS customers go into a table, which is registered
#     (mdm.register: blocking keys kept by trigger) and deduplicated once
#     (mdm.find_duplicates), as a DBA does before turning realtime on;
#   - pgbench inserts the pool's customers in turn, each once (new ids),
#     TRANSACTIONS (default 5000) per client and run, at 1 and 2 clients, in
#     the order off, flag, flag, off, so that the table's growth favours
#     neither:
#     off = registered, realtime off (the key trigger only); flag =
#     mdm.enable_realtime(..., 'flag');
#   - per-transaction latencies (pgbench -l) give the median and p95; the
#     added latency is p95 with detection minus p95 without, and the
#     throughput ratio is tps with / tps without.
#
# Writes bench/results/realtime-DATE.md and prints it.
source "$(dirname "$0")/../scripts/lib.sh"
pg_env
cd "$REPO_ROOT"
records=${1:-1000000}
transactions=${2:-5000}
pool=$((12 * transactions))
d=$REPO_ROOT/target/bench-rt-data/crm-$records-plus-$pool
if [ ! -f "$d/records.csv" ]; then
    log "generating $records + $pool CRM records (bench/generate.py, seed 1)"
    python3 bench/generate.py --records $((records + pool)) --seed 1 --out "$d" --quiet
fi

bench_cluster bench-rt "${MDM_BENCH_RT_PORT:-54359}"

work=$REPO_ROOT/target/bench-rt-out
rm -rf "$work"
mkdir -p "$work"
if is_root; then chown postgres: "$work"; fi

header=$(head -1 "$d/records.csv")
cols=$(echo "$header" | tr ',' '\n' | sed 's/.*/"&" text/' | paste -sd, -)
log "loading $records customers and a pool of $pool typed-in ones"
cluster_psql -q -d mdm_bench -v ON_ERROR_STOP=1 -v pool=$pool \
    -c "CREATE TABLE rec ($cols)" -c "\\copy rec FROM '$d/records.csv' CSV HEADER" \
    -f bench/realtime_setup.sql
rows=$(cluster_psql -qAt -d mdm_bench -c "SELECT count(*) FROM rt_customer")
log "registering $rows customers"
t0=$(date +%s.%N)
cluster_psql -q -d mdm_bench -v ON_ERROR_STOP=1 -c "SET client_min_messages = warning" -c "SELECT mdm.register('rt_customer',
    '{\"name\": \"name\", \"company\": \"company\", \"phone\": [\"phone\", \"phone2\"], \"email\": \"email\",
      \"address\": \"address\", \"id_number\": \"id_number\", \"kind\": \"kind\", \"source\": \"source\"}')" \
    -c "VACUUM ANALYZE rt_customer" -c "VACUUM ANALYZE mdm.record_keys"
t1=$(date +%s.%N)
register_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", b - a}')
log "finding the duplicates already in the table"
pairs_before=$(cluster_psql -qAt -d mdm_bench -v ON_ERROR_STOP=1 -c "SET client_min_messages = warning" \
    -c "SELECT mdm.find_duplicates('rt_customer')" -c "VACUUM ANALYZE mdm.pair")
t2=$(date +%s.%N)
find_s=$(awk -v a="$t1" -v b="$t2" 'BEGIN {printf "%.1f", b - a}')

# run MODE CLIENTS ROUND: one pgbench run; logs in $work/MODE-CLIENTS-ROUND.
run() {
    local mode=$1 clients=$2 round=$3 dir=$work/$1-$2-$3
    if [ "$mode" = flag ]; then
        cluster_psql -q -d mdm_bench -c "SET client_min_messages = warning" -c "SELECT mdm.enable_realtime('rt_customer', 'flag')" >/dev/null
    else
        cluster_psql -q -d mdm_bench -c "SET client_min_messages = warning" -c "SELECT mdm.disable_realtime('rt_customer')" >/dev/null
    fi
    cluster_psql -q -d mdm_bench -c "CHECKPOINT" >/dev/null
    as_pg mkdir -p "$dir"
    log "  pgbench: realtime $mode, $clients client(s), $transactions transactions each (round $round)"
    (cd "$dir" && as_pg "$PG_BINDIR/pgbench" -h "$CLUSTER_SOCK" -p "$CLUSTER_PORT" -U "$CLUSTER_USER" \
        -n -M prepared -c "$clients" -j "$clients" -t "$transactions" -l --log-prefix=tx \
        -D pool=$pool -f "$REPO_ROOT/bench/realtime_insert.sql" mdm_bench) >"$work/$mode-$clients-$round.txt" 2>&1 \
        || { cat "$work/$mode-$clients-$round.txt"; die "pgbench failed"; }
}
for clients in 1 2; do
    run off "$clients" 1
    run flag "$clients" 1
    run flag "$clients" 2
    run off "$clients" 2
done
flagged=$(cluster_psql -qAt -d mdm_bench -c "SELECT count(*) - $pairs_before FROM mdm.pair WHERE tbl = 'rt_customer'::regclass")
inserted=$(cluster_psql -qAt -d mdm_bench -c "SELECT count(*) - $rows FROM rt_customer")

mkdir -p bench/results
report=bench/results/realtime-$(date +%Y-%m-%d).md
{
    echo "# Realtime duplicate detection on INSERT (pgbench)"
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); command: \`bench/realtime.sh $records $transactions\`"
    bench_machine
    echo "- table: $rows generated customers (bench/generate.py, seed 1), registered (mdm.register: $register_s s) and deduplicated (mdm.find_duplicates: $find_s s, $pairs_before pairs); each transaction inserts the next customer of a pool of $pool typed-in ones (bench/realtime_insert.sql; the last $pool records of the same generated set, so about as many have a duplicate in the table as in the set; each inserted once); $transactions transactions per client and run, two rounds per setting (off, flag, flag, off), latencies of both rounds pooled"
    echo "- off: the table is registered (its key trigger keeps the blocking keys), realtime off; flag: \`mdm.enable_realtime('rt_customer', 'flag')\`"
    echo "- during the runs $inserted customers were inserted and $flagged pairs flagged (flag runs only)"
    echo
    python3 bench/realtime_report.py "$work"
} >"$report"
cat "$report"
log "report written to $report"
