#!/usr/bin/env bash
# `make test`: every test layer, one after the other, then a summary with the
# number of tests each layer ran. Exits non-zero when any layer fails.
#   1. unit      - Rust unit and property tests of the pure functions (no PostgreSQL)
#   2. pg_test   - #[pg_test]s inside a PostgreSQL started by `cargo pgrx test`
#   3. pg_regress - tests/pg_regress/sql/*.sql against expected/*.out
#   4. isolation  - tests/isolation/specs/*.spec against expected/*.out
#   5. bench_smoke - the benchmark harness's own tools (data generator and its
#                   truth, evaluator, report), bench/test_bench.py; the
#                   benchmark itself is `make bench`, not part of `make test`
#   6. browser   - the HTML quality report in headless Chromium
#                   (tests/browser/test_report.py, selenium + chromium-driver,
#                   installed when missing): every chart drawn with a size, no
#                   console error, a screenshot in target/quality-report.png
# Layers 3 and 4 run on private temporary clusters made by pg_regress itself.
# `scripts/test.sh LAYER...` runs only the layers named (a quicker loop while
# developing); `make test` runs them all.
source "$(dirname "$0")/lib.sh"
pg_env
cd "$REPO_ROOT"

logdir=$REPO_ROOT/target/test-logs
mkdir -p "$logdir"
declare -A passed failed status
all_layers=(unit pg_test pg_regress isolation bench_smoke browser)
layers=("${@:-${all_layers[@]}}")
for l in "${layers[@]}"; do
    [[ " ${all_layers[*]} " == *" $l "* ]] || die "unknown layer '$l' (layers: ${all_layers[*]})"
done
wanted() { [[ " ${layers[*]} " == *" $1 "* ]]; }

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

layer_unit() {
    # Everything but the #[pg_test]s, which pgrx names `tests::pg_*`.
    run_layer unit cargo test --lib --features pg15 -- --skip tests::pg_
    read -r passed[unit] failed[unit] < <(cargo_counts "$logdir/unit.log")
}

layer_pg_test() {
    # cargo pgrx test starts its own PostgreSQL in a private data dir; under
    # root the server runs as postgres.
    local pgrx_args=()
    if is_root; then
        pgrx_args=(--runas postgres --pgdata "$(private_dir pgrx-test-data)")
    fi
    run_layer pg_test cargo pgrx test pg$PG_MAJOR tests::pg_ "${pgrx_args[@]}"
    read -r passed[pg_test] failed[pg_test] < <(cargo_counts "$logdir/pg_test.log")
}

layer_bench_smoke() {
    run_layer bench_smoke python3 -m unittest -v bench/test_bench.py
    read -r passed[bench_smoke] failed[bench_smoke] < <(
        awk '/\.\.\. ok$/ { p++ } /\.\.\. (FAIL|ERROR)$/ { f++ } END { print p + 0, f + 0 }' "$logdir/bench_smoke.log")
}

# pg_regress and pg_isolation_regress on a temporary private cluster (UTF8,
# C locale, so that the expected output does not depend on the machine).
layer_sql() {
    local name=$1 tool=$2 src=$3 ext=$4 dir tests
    dir=$(pg_readable_copy "$src" "$name")
    mapfile -t tests < <(cd "$src/$([ "$ext" = spec ] && echo specs || echo sql)" && ls -- *."$ext" | sed "s/\\.$ext\$//" | sort)
    run_layer "$name" as_pg "$tool" \
        --temp-instance="$dir/tmp_check" --bindir="$PG_BINDIR" \
        --inputdir="$dir" --outputdir="$dir" \
        --encoding=UTF8 --no-locale --load-extension=customer_mdm \
        --dbname="mdm_$name" "${tests[@]}"
    read -r passed[$name] failed[$name] < <(regress_counts "$logdir/$name.log")
    if [ -s "$dir/regression.diffs" ]; then
        echo "--- $dir/regression.diffs"
        cat "$dir/regression.diffs"
    fi
}

# The browser layer: Chromium, chromium-driver and selenium when missing; the
# report of the demo sample written by a private cluster.
layer_browser() {
    if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
        log "installing chromium and chromium-driver (Debian) for the browser layer"
        as_root apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver
    fi
    local venv=$REPO_ROOT/target/test-venv
    if ! "$venv/bin/python" -c "import selenium" 2>/dev/null; then
        log "creating $venv with selenium"
        rm -rf "$venv"
        python3 -m venv "$venv"
        "$venv/bin/pip" install -q --disable-pip-version-check "selenium==4.*"
    fi
    start_cluster browser-test "${MDM_BROWSER_TEST_PORT:-54379}"
    cluster_psql -q -d postgres -c "CREATE DATABASE mdm_browser"
    cluster_psql -q -d mdm_browser -v ON_ERROR_STOP=1 -c "CREATE EXTENSION customer_mdm" -f demo/customers.sql \
        -c "SET client_min_messages = warning" \
        -c "SELECT mdm.register('crm_customer', '{\"name\": \"full_name\", \"company\": \"company\", \"phone\": \"phone\", \"email\": \"email\", \"address\": \"address\", \"source\": \"source\"}')" \
        -c "SELECT mdm.snapshot_quality('crm_customer')" -c "SELECT mdm.find_duplicates('crm_customer')" \
        -c "INSERT INTO crm_customer VALUES (900, '<script>alert(1)</script>', 'x', NULL, NULL, NULL, NULL, 900)" \
        -c "SELECT mdm.snapshot_quality('crm_customer')" >/dev/null
    cluster_psql -XAt -d mdm_browser -c "SELECT mdm.quality_report_html('crm_customer')" >"$REPO_ROOT/target/quality-report.html"
    stop_cluster "$CLUSTER_DIR/data"
    run_layer browser "$venv/bin/python" -m unittest -v tests/browser/test_report.py
    read -r passed[browser] failed[browser] < <(
        awk '/\.\.\. ok$/ { p++ } /\.\.\. (FAIL|ERROR)$/ { f++ } END { print p + 0, f + 0 }' "$logdir/browser.log")
}

wanted unit && layer_unit
wanted pg_test && layer_pg_test
if wanted pg_regress || wanted isolation; then
    # `cargo pgrx test` installs a build with the test-only schema; (re)install
    # the real extension before the SQL-level layers.
    "$REPO_ROOT/scripts/install.sh"
fi
wanted pg_regress && layer_sql pg_regress "$PGXS_DIR/src/test/regress/pg_regress" tests/pg_regress sql
wanted isolation && layer_sql isolation "$PGXS_DIR/src/test/isolation/pg_isolation_regress" tests/isolation spec
wanted bench_smoke && layer_bench_smoke
wanted browser && layer_browser

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
