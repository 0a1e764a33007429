#!/usr/bin/env bash
# Write throughput: a single-row insert and a 1,000-row bulk insert through Hearth (POST /items_w,
# return=minimal) against the hand-written baseline (bench/Baseline: the body as one json parameter,
# one transaction), on the same embedded PostgreSQL with durable commits (fsync=on, synchronous_commit=on).
#   bench/writes.sh [seconds-per-run]     (default 8; needs artifacts/hearth and bench/Baseline/out/baseline,
#                                          which bench/throughput.sh builds)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-8}
HEARTH=${HEARTH:-$PWD/artifacts/hearth}
BASELINE=$PWD/bench/Baseline/out/baseline
[ -x "$HEARTH" ] || { echo "build artifacts/hearth first (bash .ci/publish)"; exit 1; }
[ -x "$BASELINE" ] || dotnet publish bench/Baseline -c Release -r linux-x64 -o bench/Baseline/out --nologo -v quiet
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }

work=$(mktemp -d /tmp/hearth-writes.XXXXXX)
chmod 755 "$work"
hpid= bpid=
trap '[ -n "$hpid" ] && kill -TERM $hpid; [ -n "$bpid" ] && kill $bpid; sleep 1; rm -rf "$work"' EXIT
mkdir -p "$work/migrations"
cat > "$work/migrations/001_items_w.sql" <<'SQL'
create table public.items_w (id bigint generated always as identity primary key, name text not null, price numeric not null);
grant select, insert on public.items_w to anon;
SQL
"$HEARTH" serve --data-dir "$work/data" --migrations "$work/migrations" --port 0 >"$work/hearth.out" 2>"$work/hearth.err" &
hpid=$!
for _ in $(seq 1 300); do grep -q '^Hearth listening on ' "$work/hearth.out" && break; sleep 0.1; done
hearth_url=$(sed -n 's/^Hearth listening on //p' "$work/hearth.out")
BASELINE_DB="Host=$work/data/run;Port=5432;Username=postgres;Database=postgres" "$BASELINE" --urls http://127.0.0.1:0 >"$work/baseline.out" 2>&1 &
bpid=$!
for _ in $(seq 1 100); do grep -qo 'http://127.0.0.1:[0-9]*' "$work/baseline.out" && break; sleep 0.1; done
baseline_url=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/baseline.out" | head -n1)

one='{"name":"widget","price":9.99}'
bulk=$(python3 -c 'import json; print(json.dumps([{"name": f"w{i}", "price": i / 100} for i in range(1000)]))')
script() { printf 'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = [=[%s]=]\n' "$1" > "$work/$2.lua"; }
script "$one" one
script "$bulk" bulk

# The same request must succeed on both before anything is measured.
for url in "$hearth_url/items_w" "$baseline_url/writes/one"; do
  code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -d "$one" "$url")
  [ "$code" = 201 ] || { echo "POST $url answered $code"; cat "$work/hearth.err"; exit 1; }
done

rate() { wrk -t1 -c"$3" -d"${secs}s" -s "$work/$2.lua" "$1" | awk '/Requests\/sec/ {printf "%d", $2}'; }
echo "| request | Hearth req/s | baseline req/s | Hearth/baseline |"
echo "|---|---:|---:|---:|"
for kind in one bulk; do
  c=16; [ "$kind" = bulk ] && c=4
  rate "$hearth_url/items_w" "$kind" "$c" >/dev/null; rate "$baseline_url/writes/$kind" "$kind" "$c" >/dev/null  # warm-up
  h=$(rate "$hearth_url/items_w" "$kind" "$c"); b=$(rate "$baseline_url/writes/$kind" "$kind" "$c")
  label="single-row insert (-c$c)"; [ "$kind" = bulk ] && label="1,000-row bulk insert (-c$c)"
  echo "| $label | $h | $b | $(( 100 * h / b ))% |"
done
rows=$(curl -s -H 'Prefer: count=exact' -H 'Range: 0-0' -o /dev/null -D - "$hearth_url/items_w" | tr -d '\r' | sed -n 's/^Content-Range: .*\///p')
echo
echo "durable commits: fsync=on, synchronous_commit=on (Hearth's embedded defaults); rows written: ${rows:-see table}"
