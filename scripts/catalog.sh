#!/usr/bin/env bash
# scripts/catalog.sh [OUT]: installs nothing; on a private throwaway cluster,
# CREATE EXTENSION customer_mdm (the build installed now), then writes a
# sorted description of every object the extension defines
# (scripts/catalog.sql) to OUT (default: standard output). Comparing the
# output of two builds shows whether they define the same objects:
#     scripts/install.sh && scripts/catalog.sh /tmp/after.txt
#     diff /tmp/before.txt /tmp/after.txt
source "$(dirname "$0")/lib.sh"
pg_env
out=${1:-/dev/stdout}
start_cluster catalog "${MDM_CATALOG_PORT:-54381}"
trap 'stop_cluster "$CLUSTER_DIR/data"' EXIT
cluster_psql -q -d postgres -c "CREATE DATABASE mdm_catalog"
cluster_psql -q -d mdm_catalog -v ON_ERROR_STOP=1 -c "CREATE EXTENSION customer_mdm" -f "$REPO_ROOT/scripts/catalog.sql" >"$out"
