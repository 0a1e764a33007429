#!/usr/bin/env bash
# Scale-out on one external PostgreSQL 15 (Debian's postgresql-15, a cluster of its own started by
# tests/external/start-postgres.sh, on 127.0.0.1): GET by primary key with 1, 2 and 3 Hearth instances
# straight to PostgreSQL, then 1 and 3 instances through PgBouncer in transaction mode
# (--db-prepared-statements false). Each instance gets its own wrk (WRK_CONNECTIONS split between them).
# Prints a Markdown table: requests/s, and CPU time per request of each component (Hearth processes,
# PostgreSQL backends, PgBouncer) read from /proc — on a 2-core machine the cores, not Hearth, bound
# the total, so CPU per request is what tells how it would scale on a bigger one.
#
#   bench/scaleout.sh [seconds-per-run]    (default 10)
# Knobs: HEARTH (binary, default artifacts/hearth), WRK_CONNECTIONS (16), PG_BIN, HEARTH_EXT_PG_PORT (5516),
# HEARTH_EXT_BOUNCER_PORT (6516). Needs root for apt-get when wrk, postgresql-15 or pgbouncer are missing.
set -Eeuo pipefail
DURATION=${1:-10}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HEARTH=${HEARTH:-$ROOT/artifacts/hearth}
CONNS=${WRK_CONNECTIONS:-16}
export PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
export HEARTH_EXT_PG_PORT=${HEARTH_EXT_PG_PORT:-5516} HEARTH_EXT_BOUNCER_PORT=${HEARTH_EXT_BOUNCER_PORT:-6516}
log() { printf '%s\n' "$*" >&2; }
[ -x "$HEARTH" ] || { log "scaleout.sh: $HEARTH missing (bash .ci/publish linux-x64)"; exit 1; }
need=(); command -v wrk >/dev/null || need+=(wrk); command -v pgbouncer >/dev/null || need+=(pgbouncer); [ -x "$PG_BIN/pg_ctl" ] || need+=(postgresql-15)
if [ ${#need[@]} -gt 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; fi

export HEARTH_EXT_DIR; HEARTH_EXT_DIR=$(mktemp -d /tmp/hearth-scaleout-XXXXXX)
chmod 755 "$HEARTH_EXT_DIR"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  bash "$ROOT/tests/external/start-pgbouncer.sh" stop || true
  bash "$ROOT/tests/external/start-postgres.sh" stop || true
  rm -rf "$HEARTH_EXT_DIR"
}
trap cleanup EXIT
bash "$ROOT/tests/external/start-postgres.sh" >&2
bash "$ROOT/tests/external/start-pgbouncer.sh" >&2
psql_su() { PGPASSWORD=postgres-pw psql -X -q -h 127.0.0.1 -p "$HEARTH_EXT_PG_PORT" -U postgres "$@"; }
psql_su -d postgres -c "create database bench owner hearth_owner"
mkdir -p "$HEARTH_EXT_DIR/migrations"
cat > "$HEARTH_EXT_DIR/migrations/001_items.sql" <<'SQL'
create table items (id int primary key, name text not null, price numeric not null);
insert into items select i, 'item ' || i, i * 1.5 from generate_series(1, 10000) i;
grant select on items to anon;
SQL

admin="postgresql://hearth_owner:owner-pw@127.0.0.1:$HEARTH_EXT_PG_PORT/bench"
direct="postgresql://authenticator:authenticator-pw@127.0.0.1:$HEARTH_EXT_PG_PORT/bench"
bounced="postgresql://authenticator:authenticator-pw@127.0.0.1:$HEARTH_EXT_BOUNCER_PORT/bench"
# Sum of utime+stime (clock ticks) of the given pids.
ticks() { local t=0 p; for p in "$@"; do [ -r /proc/$p/stat ] && t=$((t + $(awk '{print $14 + $15}' /proc/$p/stat))); done; echo $t; }
pg_pids() { local pm; pm=$(head -n 1 "$HEARTH_EXT_DIR/pg/postmaster.pid"); echo "$pm" $(pgrep -P "$pm"); }
bouncer_pid() { cat "$HEARTH_EXT_DIR/pgbouncer.pid"; }
hz=$(getconf CLK_TCK)

run() { # name instances url extra-flags...
  local name=$1 n=$2 url=$3; shift 3
  local hs=() ports=() i
  for i in $(seq 1 "$n"); do
    "$HEARTH" serve --port 0 --database-url "$url" --admin-database-url "$admin" --migrations "$HEARTH_EXT_DIR/migrations" --db-pool 8 "$@" \
      > "$HEARTH_EXT_DIR/h$i.out" 2> "$HEARTH_EXT_DIR/h$i.err" &
    hs+=($!); pids+=($!)
  done
  for i in $(seq 1 "$n"); do
    for _ in $(seq 1 300); do grep -q "Hearth listening on" "$HEARTH_EXT_DIR/h$i.out" && break; sleep 0.1; done
    ports+=("$(grep -oE 'listening on http://127.0.0.1:[0-9]+' "$HEARTH_EXT_DIR/h$i.out" | grep -oE '[0-9]+$')")
  done
  for p in "${ports[@]}"; do wrk -t1 -c"$((CONNS / n))" -d2s "http://127.0.0.1:$p/items?id=eq.4242" >/dev/null; done # warm up
  local h0 p0 b0 w=() wpids=()
  h0=$(ticks "${hs[@]}"); p0=$(ticks $(pg_pids)); b0=$(ticks "$(bouncer_pid)")
  for i in "${!ports[@]}"; do
    wrk -t1 -c"$((CONNS / n))" -d"${DURATION}s" "http://127.0.0.1:${ports[$i]}/items?id=eq.4242" > "$HEARTH_EXT_DIR/wrk$i.txt" & wpids+=($!)
  done
  wait "${wpids[@]}"
  local h1 p1 b1 reqs=0 r
  h1=$(ticks "${hs[@]}"); p1=$(ticks $(pg_pids)); b1=$(ticks "$(bouncer_pid)")
  for i in "${!ports[@]}"; do
    r=$(awk '/requests in/ {print $1}' "$HEARTH_EXT_DIR/wrk$i.txt"); reqs=$((reqs + r))
    grep -q "Non-2xx" "$HEARTH_EXT_DIR/wrk$i.txt" && log "$name: non-2xx answers: $(grep Non-2xx "$HEARTH_EXT_DIR/wrk$i.txt")"
  done
  awk -v name="$name" -v reqs="$reqs" -v d="$DURATION" -v h=$((h1 - h0)) -v p=$((p1 - p0)) -v b=$((b1 - b0)) -v hz="$hz" 'BEGIN {
    us = 1e6 / hz / reqs;
    printf "| %s | %.0f | %.0f | %.0f | %.0f | %.0f |\n", name, reqs / d, h * us, p * us, b * us, (h + p + b) * us }'
  for p in "${hs[@]}"; do kill -TERM "$p"; wait "$p" 2>/dev/null || true; done
}

echo "GET /items?id=eq.4242, ${DURATION}s per run, $CONNS wrk connections in all, $(nproc) cores (shared machine), PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}'), $(date -u +%F)"
echo
echo "| setup | requests/s | Hearth µs CPU/req | PostgreSQL µs CPU/req | PgBouncer µs CPU/req | total µs CPU/req (without wrk) |"
echo "|---|---:|---:|---:|---:|---:|"
run "1 instance, direct" 1 "$direct"
run "2 instances, direct" 2 "$direct"
run "3 instances, direct" 3 "$direct"
run "1 instance, PgBouncer (transaction mode)" 1 "$bounced" --db-prepared-statements false
run "3 instances, PgBouncer (transaction mode)" 3 "$bounced" --db-prepared-statements false
run "1 instance, direct, --db-prepared-statements false" 1 "$direct" --db-prepared-statements false
