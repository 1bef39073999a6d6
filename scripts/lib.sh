# Shared helpers for the build, test and demo scripts. Source it; don't run it.
#
# PostgreSQL refuses to run as root. When these scripts run as root, every
# server-side step (initdb, pg_ctl, pg_regress, pg_isolation_regress, the
# server of `cargo pgrx test`) runs as the `postgres` OS user through sudo;
# under any other user it runs as that user.

set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PG_MAJOR=15
PG_CONFIG=${PG_CONFIG:-/usr/bin/pg_config}
PGRX_VERSION=0.18.1
# Filled in by pg_env once PostgreSQL is installed.
PG_BINDIR=
PGXS_DIR=

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

is_root() { [ "$(id -u)" -eq 0 ]; }

# The OS user that owns and runs private PostgreSQL clusters.
pg_os_user() { if is_root; then echo postgres; else id -un; fi; }

# Run a command as the cluster's OS user (postgres under root).
as_pg() {
    if is_root; then
        sudo -u postgres -H -- "$@"
    else
        "$@"
    fi
}

# Run a command with root rights (for apt-get and writing into the system
# PostgreSQL's directories).
as_root() {
    if is_root; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo -- "$@"
    else
        die "'$*' needs root rights and sudo is not installed"
    fi
}

pg_env() {
    [ -x "$PG_CONFIG" ] || die "$PG_CONFIG not found: run 'make setup' first"
    PG_BINDIR=$("$PG_CONFIG" --bindir)
    # --pgxs names .../lib/pgxs/src/makefiles/pgxs.mk
    PGXS_DIR=$(cd "$(dirname "$("$PG_CONFIG" --pgxs)")/../.." && pwd)
}

# private_dir NAME: prints a fresh, empty directory target/NAME that the
# cluster's OS user can write. If that user cannot reach target/ (a clone
# under /root, say), the directory is made under /tmp instead and target/NAME
# becomes a symlink to it, so it still shows up under target/.
private_dir() {
    local name=$1 dir="$REPO_ROOT/target/$1" user
    user=$(pg_os_user)
    if [ -L "$dir" ]; then
        rm -rf "$(readlink "$dir")"
    fi
    rm -rf "$dir"
    mkdir -p "$dir"
    if is_root; then
        chown "$user:" "$dir"
        if ! as_pg test -w "$dir" 2>/dev/null || [ ${#dir} -gt 70 ]; then
            rm -rf "$dir"
            local tmp
            tmp=$(mktemp -d "/tmp/customer_mdm-$name.XXXXXX")
            chmod 755 "$tmp"
            chown "$user:" "$tmp"
            ln -s "$tmp" "$dir"
            dir=$tmp
        fi
    elif [ ${#dir} -gt 70 ]; then
        # Unix socket paths are limited to about 100 bytes.
        rm -rf "$dir"
        local tmp
        tmp=$(mktemp -d "/tmp/customer_mdm-$name.XXXXXX")
        ln -s "$tmp" "$dir"
        dir=$tmp
    fi
    echo "$dir"
}

# stop_cluster DATADIR: stops a private cluster if one runs there.
stop_cluster() {
    local data=$1
    if [ -f "$data/postmaster.pid" ]; then
        as_pg "$PG_BINDIR/pg_ctl" -D "$data" -m fast -t 30 -w stop >/dev/null 2>&1 \
            || as_pg "$PG_BINDIR/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 \
            || true
    fi
}

# A copy of DIR that the cluster's OS user can read and write (pg_regress
# writes its results next to its inputs).
pg_readable_copy() {
    local src=$1 name=$2 dst
    dst=$(private_dir "$name")
    cp -r "$src"/. "$dst"/
    if is_root; then chown -R postgres: "$dst"/; fi
    echo "$dst"
}

# start_cluster NAME PORT [LOCALE]: a fresh private cluster in target/NAME (stopping
# and wiping any previous one there), with its own data dir, port and Unix
# socket dir, and no TCP listener. Sets CLUSTER_DIR, CLUSTER_SOCK,
# CLUSTER_PORT and CLUSTER_USER; `cluster_psql` then connects to it.
start_cluster() {
    local name=$1 port=$2 locale=${3:-}
    local locale_args=(--no-locale)
    [ -n "$locale" ] && locale_args=(--locale="$locale")
    if [ -e "$REPO_ROOT/target/$name" ]; then
        stop_cluster "$(readlink -f "$REPO_ROOT/target/$name")/data"
    fi
    CLUSTER_DIR=$(private_dir "$name")
    CLUSTER_SOCK=$CLUSTER_DIR/run
    CLUSTER_PORT=$port
    CLUSTER_USER=$(pg_os_user)
    local data=$CLUSTER_DIR/data
    as_pg mkdir -p "$data" "$CLUSTER_SOCK"
    log "initdb: $data"
    as_pg "$PG_BINDIR/initdb" -D "$data" -U "$CLUSTER_USER" --auth=trust --encoding=UTF8 "${locale_args[@]}" \
        >"$CLUSTER_DIR/initdb.log" 2>&1 || { cat "$CLUSTER_DIR/initdb.log"; die "initdb failed"; }
    log "starting the $name cluster: port $port, socket dir $CLUSTER_SOCK, no TCP"
    as_pg "$PG_BINDIR/pg_ctl" -D "$data" -l "$CLUSTER_DIR/server.log" -w \
        -o "-p $port -k $CLUSTER_SOCK -c listen_addresses=''" start >/dev/null \
        || { cat "$CLUSTER_DIR/server.log"; die "the $name cluster did not start"; }
}

cluster_psql() {
    "$PG_BINDIR/psql" -X -h "$CLUSTER_SOCK" -p "$CLUSTER_PORT" -U "$CLUSTER_USER" "$@"
}

# bench_cluster NAME PORT: what bench/realtime.sh, merge.sh and quality.sh
# start with: a release build installed, a private throwaway cluster (C.UTF-8)
# stopped when the script exits, and its database mdm_bench with the
# extension.
bench_cluster() {
    "$REPO_ROOT/scripts/install.sh" --release
    start_cluster "$1" "$2" C.UTF-8
    trap 'stop_cluster "$CLUSTER_DIR/data"' EXIT
    cluster_psql -q -d postgres -c "CREATE DATABASE mdm_bench"
    cluster_psql -q -d mdm_bench -v ON_ERROR_STOP=1 -c "CREATE EXTENSION customer_mdm"
}

# bench_machine: the "machine" line of a benchmark report.
bench_machine() {
    echo "- machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB; $("$PG_BINDIR/postgres" --version); customer_mdm $(grep -m1 '^version' "$REPO_ROOT/Cargo.toml" | cut -d'"' -f2) (release build); default server settings"
}
