#!/usr/bin/env bash
# Backup and restore of a ~1 GB database with the AOT binary: fills a table through psql until
# pg_database_size reaches the target, then times `hearth backup` while `hearth serve` runs, and
# `hearth restore` into a new data dir (which includes starting PostgreSQL once to replay the WAL),
# and checks the restored row count. Needs psql (postgresql-client; installed with apt-get as root).
#
#   bench/backup.sh [target-megabytes]        (default 1024)
#
# Knobs: HEARTH (default artifacts/hearth). Prints a Markdown table.
set -Eeuo pipefail
TARGET_MB=${1:-1024}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HEARTH=${HEARTH:-$ROOT/artifacts/hearth}
log() { printf '%s\n' "$*" >&2; }
die() { log "backup.sh: $*"; exit 1; }
[[ -x $HEARTH ]] || die "$HEARTH not found: bash .ci/publish linux-x64"
command -v psql >/dev/null || { [[ $(id -u) == 0 ]] || die "psql is missing"; apt-get install -y postgresql-client >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y postgresql-client >/dev/null; }; }

WORK=$(mktemp -d); chmod 755 "$WORK"
PID=
cleanup() { [[ -n $PID ]] && kill -TERM "$PID" 2>/dev/null && wait "$PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

"$HEARTH" serve --data-dir "$WORK/data" --port 0 >"$WORK/out" 2>"$WORK/err" </dev/null &
PID=$!
for _ in $(seq 1 600); do grep -q '^Hearth listening on' "$WORK/out" && break; kill -0 $PID 2>/dev/null || { cat "$WORK/err" >&2; die "hearth exited"; }; sleep 0.1; done
sql() { psql -h "$WORK/data/run" -U postgres -d postgres -Atq -c "$1"; }

log "filling to ${TARGET_MB} MB…"
sql "create table big (id bigint primary key, owner uuid, note text, created timestamptz default now())"
next=1
while (( $(sql "select pg_database_size('postgres') / 1048576") < TARGET_MB )); do
  sql "insert into big (id, owner, note) select g, md5(g::text)::uuid, md5(g::text) || ' ' || repeat(chr(97 + g % 26), 120) || ' ' || md5((g * 7)::text) from generate_series($next, $next + 499999) g"
  next=$((next + 500000))
done
sql "checkpoint"
ROWS=$(sql "select count(*) from big")
DB_MB=$(sql "select pg_database_size('postgres') / 1048576")

t0=$(date +%s.%N)
"$HEARTH" backup --data-dir "$WORK/data" --out "$WORK/backup.tar.gz" 2>"$WORK/backup.err" || { cat "$WORK/backup.err" >&2; die "backup failed"; }
t1=$(date +%s.%N)
kill -TERM $PID; wait $PID 2>/dev/null || true; PID=
ARCHIVE_MB=$(( $(stat -c %s "$WORK/backup.tar.gz") / 1048576 ))

t2=$(date +%s.%N)
"$HEARTH" restore --from "$WORK/backup.tar.gz" --data-dir "$WORK/restored" 2>"$WORK/restore.err" || { cat "$WORK/restore.err" >&2; die "restore failed"; }
t3=$(date +%s.%N)

"$HEARTH" serve --data-dir "$WORK/restored" --port 0 >"$WORK/out2" 2>"$WORK/err2" </dev/null &
PID=$!
for _ in $(seq 1 600); do grep -q '^Hearth listening on' "$WORK/out2" && break; sleep 0.1; done
RESTORED_ROWS=$(psql -h "$WORK/restored/run" -U postgres -d postgres -Atq -c "select count(*) from big")
[[ $RESTORED_ROWS == "$ROWS" ]] || die "restored $RESTORED_ROWS rows, expected $ROWS"

echo "| database | rows | archive | backup (online) | restore (incl. WAL replay) |"
echo "|---|---|---|---|---|"
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
printf '| %s MB | %s | %s MB | %s s | %s s |\n' "$DB_MB" "$ROWS" "$ARCHIVE_MB" "$(secs "$t0" "$t1")" "$(secs "$t2" "$t3")"
