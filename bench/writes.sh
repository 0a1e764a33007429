#!/usr/bin/env bash
# Write throughput: a single-row insert and a 1,000-row bulk insert through Hearth (POST /items_w,
# return=minimal) against the hand-written baseline (bench/Baseline: the body as one json parameter,
# one transaction), on the same embedded PostgreSQL with durable commits (fsync=on, synchronous_commit=on).
# Prints requests/s and the latency tail (p50 / p99 / max) of each side. bench/latency.sh covers writes
# at one connection, a PATCH of a hot row, and relaxed commits.
#   bench/writes.sh [seconds-per-run]     (default 8; HEARTH, REBUILD as in bench/throughput.sh)
set -Eeuo pipefail
secs=${1:-8}
NAME=writes.sh
# shellcheck source=bench/lib/servers.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/servers.sh"
bench_build
bench_tools wrk curl python3
bench_workdir
cat > "$MIGRATIONS/001_items_w.sql" <<'SQL'
create table public.items_w (id bigint generated always as identity primary key, name text not null, price numeric not null);
grant select, insert on public.items_w to anon;
SQL
start_hearth "$MIGRATIONS"
start_baseline

one='{"name":"widget","price":9.99}'
bulk=$(python3 -c 'import json; print(json.dumps([{"name": f"w{i}", "price": i / 100} for i in range(1000)]))')
bench_wrk_script "$WORK/one.lua" POST "$one" "Content-Type: application/json"
bench_wrk_script "$WORK/bulk.lua" POST "$bulk" "Content-Type: application/json"

# The same request must succeed on both before anything is measured.
for url in "$HEARTH_URL/items_w" "$BASELINE_URL/writes/one"; do
  code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -d "$one" "$url")
  [ "$code" = 201 ] || die "POST $url answered $code"
done

rate() { # url kind connections -> "req/s p50 p99 max" (latencies in ms)
  wrk -t1 -c"$3" -d"${secs}s" -s "$WORK/$2.lua" "$1" 2>&1 |
    awk '/Requests\/sec/ { r = $2 } /^LATENCY / { l = sprintf("%.2f %.2f %.2f", $2 / 1000, $4 / 1000, $6 / 1000) } END { printf "%d %s\n", r, l }'
}
echo "| request | Hearth req/s | baseline req/s | Hearth/baseline | Hearth p50 / p99 / max (ms) | baseline p50 / p99 / max (ms) |"
echo "|---|---:|---:|---:|---|---|"
for kind in one bulk; do
  c=16; [ "$kind" = bulk ] && c=4
  rate "$HEARTH_URL/items_w" "$kind" "$c" >/dev/null; rate "$BASELINE_URL/writes/$kind" "$kind" "$c" >/dev/null  # warm-up
  read -r h h50 h99 hmax < <(rate "$HEARTH_URL/items_w" "$kind" "$c")
  read -r b b50 b99 bmax < <(rate "$BASELINE_URL/writes/$kind" "$kind" "$c")
  label="single-row insert (-c$c)"; [ "$kind" = bulk ] && label="1,000-row bulk insert (-c$c)"
  echo "| $label | $h | $b | $(( 100 * h / b ))% | $h50 / $h99 / $hmax | $b50 / $b99 / $bmax |"
done
rows=$(curl -s -H 'Prefer: count=exact' -H 'Range: 0-0' -o /dev/null -D - "$HEARTH_URL/items_w" | tr -d '\r' | sed -n 's/^Content-Range: .*\///p')
echo
echo "durable commits: fsync=on, synchronous_commit=on (Hearth's embedded defaults); rows written: ${rows:-see table}"
