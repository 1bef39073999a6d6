#!/usr/bin/env bash
# Installs whatever is missing to build and test customer_mdm, and nothing
# that is already there:
#   - PostgreSQL 15 (server, headers, contrib) and sudo, from Debian's packages;
#   - libclang, which pgrx's bindgen needs;
#   - cargo-pgrx 0.18.1 (about 9 minutes to build, so skipped when present);
#   - pgrx's config pointing at the system PostgreSQL 15 (never a download).
source "$(dirname "$0")/lib.sh"

missing=()
[ -x /usr/lib/postgresql/$PG_MAJOR/bin/postgres ] || missing+=(postgresql-$PG_MAJOR)
[ -f /usr/include/postgresql/$PG_MAJOR/server/postgres.h ] || missing+=(postgresql-server-dev-$PG_MAJOR)
[ -f /usr/share/postgresql/$PG_MAJOR/extension/pg_trgm.control ] || missing+=(postgresql-contrib)
command -v sudo >/dev/null 2>&1 || missing+=(sudo)
ls /usr/lib/llvm-*/lib/libclang.so* >/dev/null 2>&1 || ls /usr/lib/*/libclang*.so* >/dev/null 2>&1 || missing+=(libclang-dev)
command -v clang >/dev/null 2>&1 || missing+=(clang)
command -v make >/dev/null 2>&1 || missing+=(make)
command -v gcc >/dev/null 2>&1 || missing+=(gcc)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)

if [ ${#missing[@]} -gt 0 ]; then
    log "installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
    log "system packages: all present"
fi

command -v cargo >/dev/null 2>&1 || die "cargo not found: install the Rust toolchain first"

if cargo pgrx --version 2>/dev/null | grep -qx "cargo-pgrx $PGRX_VERSION"; then
    log "cargo-pgrx $PGRX_VERSION: present"
else
    log "installing cargo-pgrx $PGRX_VERSION (takes about 9 minutes)"
    cargo install cargo-pgrx --version "$PGRX_VERSION" --locked
fi

pgrx_home=${PGRX_HOME:-$HOME/.pgrx}
if grep -qs "^pg$PG_MAJOR = \"$PG_CONFIG\"" "$pgrx_home/config.toml"; then
    log "pgrx: pg$PG_MAJOR is $PG_CONFIG"
else
    log "pgrx init: pg$PG_MAJOR = $PG_CONFIG (the system PostgreSQL; nothing is downloaded)"
    cargo pgrx init --pg$PG_MAJOR "$PG_CONFIG"
fi
