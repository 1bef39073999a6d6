#!/usr/bin/env bash
# bench/merge.sh [CUSTOMERS] [REFROWS] [MERGES]: the cost of merging (part of
# `make bench`; alone: `make bench-merge`), on a private throwaway cluster
# (target/bench-merge):
#
#   - CUSTOMERS (default 300,000) registered customers in triples of one
#     person, five referencing tables of REFROWS rows each (default
#     2,000,000: 10M rows together) on indexed foreign keys;
#   - pgbench merges MERGES (default 500) triples one after the other, one
#     merge per transaction (bench/merge_one.sql): median and p95 latency
#     from its per-transaction log;
#   - mdm.merge_all over the 10,000 clusters that mdm.find_duplicates finds
#     in a table of 30,000 customers with 60,000 orders: its wall time.
#
# Writes bench/results/merge-DATE.md and prints it.
source "$(dirname "$0")/../scripts/lib.sh"
pg_env
cd "$REPO_ROOT"
customers=${1:-300000}
refrows=${2:-2000000}
merges=${3:-500}

bench_cluster bench-merge "${MDM_BENCH_MERGE_PORT:-54369}"
work=$REPO_ROOT/target/bench-merge-out
rm -rf "$work"
mkdir -p "$work"
if is_root; then chown postgres: "$work"; fi

log "building $customers customers and 5 × $refrows referencing rows"
t0=$(date +%s.%N)
cluster_psql -q -d mdm_bench -v customers="$customers" -v refrows="$refrows" -f bench/merge_setup.sql >/dev/null
t1=$(date +%s.%N)
setup_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.0f", b - a}')

log "pgbench: $merges merges of 3-record clusters"
(cd "$work" && as_pg "$PG_BINDIR/pgbench" -h "$CLUSTER_SOCK" -p "$CLUSTER_PORT" -U "$CLUSTER_USER" \
    -n -M simple -c 1 -t "$merges" -l --log-prefix=tx -f "$REPO_ROOT/bench/merge_one.sql" mdm_bench) \
    >"$work/pgbench.txt" 2>&1 || { cat "$work/pgbench.txt"; die "pgbench failed"; }
check=$(cluster_psql -qAt -d mdm_bench -c "SELECT count(*) || ' merges journalled, ' || sum(cardinality(losers)) || ' records merged away, '
    || (SELECT count(*) FROM mdm.merge_ref) || ' referencing rows re-pointed' FROM mdm.merge")

log "merge_all over the clusters of bm_batch"
clusters=$(cluster_psql -qAt -d mdm_bench -c "SELECT count(*) FROM mdm.cluster WHERE tbl = 'bm_batch'::regclass")
t0=$(date +%s.%N)
all=$(cluster_psql -qAt -d mdm_bench -c "SET client_min_messages = warning" -c "SELECT mdm.merge_all('bm_batch', 0.5)")
t1=$(date +%s.%N)
all_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", b - a}')

mkdir -p bench/results
report=bench/results/merge-$(date +%Y-%m-%d).md
{
    echo "# Merging (bench/merge.sh)"
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); command: \`bench/merge.sh $customers $refrows $merges\`"
    bench_machine
    echo "- data (bench/merge_setup.sql, built in $setup_s s): $customers registered customers in triples; five referencing tables of $refrows rows each ($((5 * refrows)) together) on indexed foreign keys, spread at random"
    echo
    python3 - "$work" "$merges" <<'PY'
import glob, os, statistics, sys
work, n = sys.argv[1], int(sys.argv[2])
lat = []
for f in glob.glob(os.path.join(work, "tx*")):
    for line in open(f):
        p = line.split()
        if len(p) >= 3:
            lat.append(int(p[2]) / 1000.0)
lat.sort()
p95 = lat[int(round(0.95 * (len(lat) - 1)))]
print("| measurement | result | target |")
print("|---|---:|---|")
print(f"| CALL mdm.merge of a 3-record cluster, one per transaction ({len(lat)} merges, pgbench) | median {statistics.median(lat):.2f} ms, p95 {p95:.2f} ms, max {lat[-1]:.2f} ms | ≤ 10 ms per merge |")
PY
    echo "| mdm.merge_all over $clusters clusters of 3 (30,000 customers, 60,000 orders) | $all_s s | ≤ 60 s |"
    echo
    echo "- after the pgbench run: $check"
    echo "- merge_all: $all"
} >"$report"
cat "$report"
log "report written to $report"
