#!/usr/bin/env bash
# `make test`: every test layer, one after the other, then a summary with the
# number of tests each layer ran. Exits non-zero when any layer fails.
#   1. unit      - Rust unit and property tests of the pure functions (no PostgreSQL)
#   2. pg_test   - #[pg_test]s inside a PostgreSQL started by `cargo pgrx test`
#   3. pg_regress - tests/pg_regress/sql/*.sql against expected/*.out
#   4. isolation  - tests/isolation/specs/*.spec against expected/*.out
# Layers 3 and 4 run on private temporary clusters made by pg_regress itself.
source "$(dirname "$0")/lib.sh"
pg_env
cd "$REPO_ROOT"

logdir=$REPO_ROOT/target/test-logs
mkdir -p "$logdir"
declare -A passed failed status
layers=(unit pg_test pg_regress isolation)

# cargo_counts LOG: sums the "test result:" lines of a cargo test run.
cargo_counts() {
    awk '/^test result:/ { for (i = 2; i <= NF; i++) {
            if ($i == "passed;") p += $(i - 1); if ($i == "failed;") f += $(i - 1) } }
         END { print p + 0, f + 0 }' "$1"
}

# regress_counts LOG: counts pg_regress's per-test result lines.
regress_counts() {
    awk '/\.\.\. ok( |$)|^ok [0-9]+ /      { p++ }
         /\.\.\. FAILED|^not ok [0-9]+ / { f++ }
         END { print p + 0, f + 0 }' "$1"
}

run_layer() {
    local name=$1; shift
    local log=$logdir/$name.log rc=0
    log "layer $name: $*"
    "$@" 2>&1 | tee "$log" || rc=$?
    status[$name]=$rc
}

# 1. unit tests: everything but the #[pg_test]s, which pgrx names `tests::pg_*`.
run_layer unit cargo test --lib --features pg15 -- --skip tests::pg_
read -r passed[unit] failed[unit] < <(cargo_counts "$logdir/unit.log")

# 2. #[pg_test]s: cargo pgrx test starts its own PostgreSQL in a private data
# dir; under root the server runs as postgres.
pgrx_args=()
if is_root; then
    pgrx_args=(--runas postgres --pgdata "$(private_dir pgrx-test-data)")
fi
run_layer pg_test cargo pgrx test pg$PG_MAJOR tests::pg_ "${pgrx_args[@]}"
read -r passed[pg_test] failed[pg_test] < <(cargo_counts "$logdir/pg_test.log")

# `cargo pgrx test` installed a build with the test-only schema; put the real
# extension back before the SQL-level layers.
"$REPO_ROOT/scripts/install.sh"

# 3. pg_regress on a temporary private cluster (UTF8, C locale, so that the
# expected output does not depend on the machine's locale).
regress_dir=$(pg_readable_copy tests/pg_regress pg_regress)
mapfile -t regress_tests < <(cd tests/pg_regress/sql && ls -- *.sql | sed 's/\.sql$//' | sort)
run_layer pg_regress as_pg "$PGXS_DIR/src/test/regress/pg_regress" \
    --temp-instance="$regress_dir/tmp_check" --bindir="$PG_BINDIR" \
    --inputdir="$regress_dir" --outputdir="$regress_dir" \
    --encoding=UTF8 --no-locale --load-extension=customer_mdm \
    --dbname=mdm_regress "${regress_tests[@]}"
read -r passed[pg_regress] failed[pg_regress] < <(regress_counts "$logdir/pg_regress.log")
[ -s "$regress_dir/regression.diffs" ] && { echo "--- $regress_dir/regression.diffs"; cat "$regress_dir/regression.diffs"; }

# 4. isolation specs, the same way.
iso_dir=$(pg_readable_copy tests/isolation isolation)
mapfile -t iso_tests < <(cd tests/isolation/specs && ls -- *.spec | sed 's/\.spec$//' | sort)
run_layer isolation as_pg "$PGXS_DIR/src/test/isolation/pg_isolation_regress" \
    --temp-instance="$iso_dir/tmp_check" --bindir="$PG_BINDIR" \
    --inputdir="$iso_dir" --outputdir="$iso_dir" \
    --encoding=UTF8 --no-locale --load-extension=customer_mdm \
    --dbname=mdm_isolation "${iso_tests[@]}"
read -r passed[isolation] failed[isolation] < <(regress_counts "$logdir/isolation.log")
[ -s "$iso_dir/regression.diffs" ] && { echo "--- $iso_dir/regression.diffs"; cat "$iso_dir/regression.diffs"; }

# Summary. A layer that exited non-zero counts as failed even if no test
# result line could be read (a build error, say).
total_p=0 total_f=0 bad=0
echo
echo "== make test: tests run per layer (logs in target/test-logs/) =="
for l in "${layers[@]}"; do
    p=${passed[$l]:-0} f=${failed[$l]:-0}
    if [ "${status[$l]}" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
    if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then f=1; echo "  $l ran no test"; fi
    [ "$f" -gt 0 ] && bad=1
    printf '  %-11s %4d passed, %d failed\n' "$l" "$p" "$f"
    total_p=$((total_p + p)) total_f=$((total_f + f))
done
echo "total: $total_p passed, $total_f failed"
exit $bad
