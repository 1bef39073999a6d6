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
db=mdm_demo

if [ "${1:-}" = stop ]; then
    if [ -e target/demo ]; then
        stop_cluster "$(readlink -f target/demo)/data"
    fi
    log "demo cluster stopped"
    exit 0
fi

start_cluster demo "$port"
cluster_psql -q -d postgres -c "CREATE DATABASE $db"
cluster_psql -q -d "$db" -v ON_ERROR_STOP=1 -c "CREATE EXTENSION customer_mdm" -f demo/customers.sql
cluster_psql -q -d "$db" -f demo/demo.sql 2>&1

cat <<MSG

The demo cluster is still running, for you to explore:
    $PG_BINDIR/psql -h $CLUSTER_SOCK -p $port -U $CLUSTER_USER $db
Stop it with 'make demo-stop'; 'make demo' again starts afresh.
MSG
