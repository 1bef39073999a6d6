#!/usr/bin/env bash
# Builds customer_mdm (dev profile) and installs it into the system
# PostgreSQL 15 that $PG_CONFIG describes (default /usr/bin/pg_config).
# Extra arguments go to cargo pgrx install (bench/ passes --release).
source "$(dirname "$0")/lib.sh"
cd "$REPO_ROOT"
log "cargo pgrx install --pg-config $PG_CONFIG $*"
if is_root; then
    cargo pgrx install --pg-config "$PG_CONFIG" "$@"
else
    # the system's extension and library directories belong to root
    cargo pgrx install --pg-config "$PG_CONFIG" --sudo "$@"
fi
