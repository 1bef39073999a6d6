#!/usr/bin/env bash
# `make demo`: starts a private throwaway PostgreSQL 15 cluster under
# target/demo (its own data dir, port and socket dir, no TCP listener), creates
# the extension, loads the sample CRM customers and shows what the extension
# does with them. Run it again and again: each run stops the previous demo
# cluster and starts a fresh one. `make demo-stop` stops it.
# The system's own clusters are never touched.
source "$(dirname "$0")/lib.sh"
pg_env
cd "$REPO_ROOT"

port=${MDM_DEMO_PORT:-54329}
user=$(pg_os_user)
db=mdm_demo

if [ -e target/demo ]; then
    stop_cluster "$(readlink -f target/demo)/data"
fi
[ "${1:-}" = stop ] && { log "demo cluster stopped"; exit 0; }

dir=$(private_dir demo)
data=$dir/data sock=$dir/run
as_pg mkdir -p "$data" "$sock"
log "initdb: $data"
as_pg "$PG_BINDIR/initdb" -D "$data" -U "$user" --auth=trust --encoding=UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log"; die "initdb failed"; }
log "starting the demo cluster: port $port, socket dir $sock, no TCP"
as_pg "$PG_BINDIR/pg_ctl" -D "$data" -l "$dir/server.log" -w \
    -o "-p $port -k $sock -c listen_addresses=''" start >/dev/null \
    || { cat "$dir/server.log"; die "the demo cluster did not start"; }

psql_demo() { "$PG_BINDIR/psql" -X -h "$sock" -p "$port" -U "$user" "$@"; }
psql_demo -q -d postgres -c "CREATE DATABASE $db"
psql_demo -q -d "$db" -v ON_ERROR_STOP=1 -c "CREATE EXTENSION customer_mdm" -f demo/customers.sql
psql_demo -q -d "$db" -f demo/demo.sql 2>&1

cat <<MSG

The demo cluster is still running, for you to explore:
    $PG_BINDIR/psql -h $sock -p $port -U $user $db
Stop it with 'make demo-stop'; 'make demo' again starts afresh.
MSG
