#!/usr/bin/env bash
# Tail latency and throughput of Hearth against the hand-written ASP.NET + Npgsql baseline (bench/Baseline),
# both on the same embedded PostgreSQL in the same run: GET by primary key, a 20-row list, an RPC, a
# one-row POST and a PATCH of one hot row, each at one connection and at sixteen. Prints requests/s and
# wrk's latency histogram (p50, p90, p99, p99.9, max) for both sides, and Hearth's p99 over the baseline's.
#
#   bench/latency.sh [seconds-per-run]          (default 10)
#
# Knobs (environment): ROUNDS (3; alternating which side goes first, medians reported), CONNECTIONS
# ("1 16"), COMMIT=relaxed (synchronous_commit=off for the database, so for both sides: no commit waits for
# its WAL flush), ONLY (an extended regular expression: only the requests whose name matches, e.g. 'POST|PATCH'),
# HEARTH (binary, default artifacts/hearth), REBUILD=1, WIRE=1 (root; also times every request at the wire with
# tcpdump on loopback, from the request leaving wrk to the first byte of its response leaving the server: the
# servers' own latency, without the time a saturated client takes to read it). Writes are durable by default
# (fsync=on, synchronous_commit=on, Hearth's embedded defaults).
set -Eeuo pipefail
trap 'log "latency.sh: failed (status $?) at line $LINENO: $BASH_COMMAND"' ERR

DURATION=${1:-10}
ROUNDS=${ROUNDS:-3}
CONNECTIONS=${CONNECTIONS:-1 16}
COMMIT=${COMMIT:-durable}
WIRE=${WIRE:-0}
NAME=latency.sh
# shellcheck source=bench/lib/servers.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/servers.sh"

[[ $DURATION =~ ^[0-9]+$ && $DURATION -gt 0 ]] || die "seconds-per-run must be a positive integer"
[[ $COMMIT == durable || $COMMIT == relaxed ]] || die "COMMIT must be durable or relaxed"
[[ $WIRE == 0 || $WIRE == 1 ]] || die "WIRE must be 0 or 1"
[[ $WIRE == 0 || $(id -u) == 0 ]] || die "WIRE=1 needs root (tcpdump)"
bench_build
bench_tools openssl wrk curl
[[ $WIRE == 1 ]] && bench_tools tcpdump
bench_workdir

bench_items_table "$MIGRATIONS/20240101000000_items.sql"
cat > "$MIGRATIONS/20240101000001_latency.sql" <<'SQL'
-- Writes: inserts append, the PATCH rewrites row 1 over and over (one hot row, as a counter would be).
create table public.items_w (id bigint generated always as identity primary key, name text not null, price numeric not null);
insert into public.items_w (name, price) values ('hot', 1);
grant select, insert, update on public.items_w to anon;
create function public.item_price(item_id int) returns numeric language sql stable as $$ select price from public.items where id = item_id $$;
create function public.commit_mode() returns text language sql stable as $$ select current_setting('synchronous_commit') $$;
SQL
if [[ $COMMIT == relaxed ]]; then
  # For the whole database, so Hearth's sessions and the baseline's (both opened after this) run with it.
  cat > "$MIGRATIONS/20240101000100_relaxed.sql" <<'SQL'
do $$ begin execute format('alter database %I set synchronous_commit = off', current_database()); end $$;
SQL
fi

start_hearth "$MIGRATIONS"
start_baseline
mode=$(curl -sS --fail "$HEARTH_URL/rpc/commit_mode") || die "GET /rpc/commit_mode failed"
expected='"on"'; [[ $COMMIT == relaxed ]] && expected='"off"'
[[ $mode == "$expected" ]] || die "Hearth's transactions run with synchronous_commit=$mode, expected $expected"

# name | method | Hearth path | baseline path | body
REQUESTS=(
  "GET by primary key|GET|/items?id=eq.42|/items/42|"
  "20-row list|GET|/items?select=id,name,price&order=id&limit=20|/items20|"
  "RPC (POST /rpc, JSON body)|POST|/rpc/item_price|/rpc/item_price|{\"item_id\":42}"
  "POST one row|POST|/items_w|/writes/one|{\"name\":\"widget\",\"price\":9.99}"
  "PATCH one hot row|PATCH|/items_w?id=eq.1|/writes/price/1|{\"price\":2.5}"
)
if [[ -n ${ONLY:-} ]]; then
  kept=()
  for r in "${REQUESTS[@]}"; do [[ ${r%%|*} =~ $ONLY ]] && kept+=("$r"); done
  (( ${#kept[@]} > 0 )) || die "ONLY='$ONLY' matches no request"
  REQUESTS=("${kept[@]}")
fi

# --- both must succeed, reads with the same body -----------------------------------------------------
for idx in "${!REQUESTS[@]}"; do
  IFS='|' read -r name method hpath bpath body <<<"${REQUESTS[$idx]}"
  for side in hearth baseline; do
    url=$HEARTH_URL$hpath; [[ $side == baseline ]] && url=$BASELINE_URL$bpath
    bench_wrk_script "$WORK/$side-$idx.lua" "$method" "$body" "Content-Type: application/json" "Accept: application/json"
    out=$(curl -sS -X "$method" -H 'Content-Type: application/json' -H 'Accept: application/json' ${body:+--data "$body"} -w '\n%{http_code}' "$url") \
      || die "$side: $method $url failed"
    code=${out##*$'\n'}
    [[ $code == 2* ]] || die "$side: $method $url answered $code: ${out%$'\n'*}"
    [[ $side == hearth ]] && hbody=${out%$'\n'*} || bbody=${out%$'\n'*}
  done
  [[ $method != GET || $hbody == "$bbody" ]] || die "$name: bodies differ (an outdated artifacts/hearth? REBUILD=1 publishes it again)
  Hearth:   ${hbody:0:200}
  baseline: ${bbody:0:200}"
done

# --- load ----------------------------------------------------------------------------------------------
run() { # side idx connections seconds -> RUN="req/s p50 p90 p99 p99.9 max" (µs)
  local side=$1 idx=$2 c=$3 secs=$4 url out rc=0
  IFS='|' read -r _ _ hpath bpath _ <<<"${REQUESTS[$idx]}"
  url=$HEARTH_URL$hpath; [[ $side == baseline ]] && url=$BASELINE_URL$bpath
  [[ $WIRE == 1 ]] && wire_start "$url"
  timeout $((secs + 30)) wrk -t1 -c"$c" -d"${secs}s" --timeout 5s -s "$WORK/$side-$idx.lua" "$url" >"$WORK/wrk.out" 2>&1 &
  WRK_PID=$!
  wait "$WRK_PID" || rc=$?
  WRK_PID=
  out=$(<"$WORK/wrk.out")
  (( rc == 0 )) || die "wrk failed for $url (status $rc): $out"
  if grep -qE 'Non-2xx|Socket errors' <<<"$out"; then die "errors under load for $url: $out"; fi
  RUN=$(awk '/^Requests\/sec:/ { r = $2 } /^LATENCY / { l = $2 " " $3 " " $4 " " $5 " " $6 } END { printf "%.0f %s\n", r, l }' <<<"$out")
  if [[ $WIRE == 1 ]]; then wire_stop; RUN+=" $(wire_times)"; fi
  return 0
}
# WIRE=1: packets with a payload to or from the server's port, headers only.
wire_start() { # url
  WIRE_PORT=$(sed -E 's#^http://[^:/]+:([0-9]+).*#\1#' <<<"$1")
  : >"$WORK/tcpdump.err"
  tcpdump -i lo -nn -s 96 -B 16384 -w "$WORK/wire.pcap" \
    "tcp port $WIRE_PORT and (((ip[2:2] - ((ip[0]&0xf)<<2)) - ((tcp[12]&0xf0)>>2)) != 0)" 2>"$WORK/tcpdump.err" &
  TCPDUMP_PID=$!
  local i
  for ((i = 0; i < 50; i++)); do grep -q 'listening on' "$WORK/tcpdump.err" && return 0; sleep 0.1; done
  die "tcpdump did not start: $(<"$WORK/tcpdump.err")"
}
wire_stop() {
  kill -INT "$TCPDUMP_PID"; wait "$TCPDUMP_PID" || true; TCPDUMP_PID=
  if grep -qE '^[1-9][0-9]* packets dropped by kernel' "$WORK/tcpdump.err"; then log "warning: tcpdump dropped packets: wire times are partial"; fi
}
wire_times() { # -> "p50 p90 p99 p99.9 max" (µs): request sent -> first byte of its response sent, per connection
  tcpdump -r "$WORK/wire.pcap" -nn -tt 2>/dev/null | awk -v port="$WIRE_PORT" '
    { src = $3; dst = $5; sub(/.*\./, "", src); sub(/:$/, "", dst); sub(/.*\./, "", dst)
      if (dst == port) { if (!(src in sent)) sent[src] = $1 }
      else if (src == port && (dst in sent)) { printf "%d\n", ($1 - sent[dst]) * 1e6; delete sent[dst] } }' |
    sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) { print "0 0 0 0 0"; exit }
      printf "%d %d %d %d %d\n", v[int(NR * 0.5) + 1], v[int(NR * 0.9) + 1], v[int(NR * 0.99) + 1], v[int(NR * 0.999) + 1], v[NR] }'
}
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

log "Load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
log "Warming up ..."
for idx in "${!REQUESTS[@]}"; do for side in hearth baseline; do run "$side" "$idx" 16 2; done; done

declare -A rps p50 p90 p99 p999 pmax w50 w99 w999
for ((round = 1; round <= ROUNDS; round++)); do
  for idx in "${!REQUESTS[@]}"; do
    IFS='|' read -r name _ <<<"${REQUESTS[$idx]}"
    for c in $CONNECTIONS; do
      order=(hearth baseline); (( round % 2 == 0 )) && order=(baseline hearth)
      for side in "${order[@]}"; do
        run "$side" "$idx" "$c" "$DURATION"
        read -r r l50 l90 l99 l999 lmax x50 _ x99 x999 _ <<<"$RUN"
        log "round $round/$ROUNDS  $name  -c$c  $side: $r req/s, p50 ${l50} µs, p99 ${l99} µs, max ${lmax} µs${x99:+; at the wire p50 $x50 µs, p99 $x99 µs}"
        k=$idx,$c,$side
        rps[$k]+=" $r"; p50[$k]+=" $l50"; p90[$k]+=" $l90"; p99[$k]+=" $l99"; p999[$k]+=" $l999"; pmax[$k]+=" $lmax"
        w50[$k]+=" ${x50:-0}"; w99[$k]+=" ${x99:-0}"; w999[$k]+=" ${x999:-0}"
      done
    done
  done
done
log "Load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

# --- report --------------------------------------------------------------------------------------------
# shellcheck disable=SC2086 # word splitting of the sample lists is intended
{
  ms() { awk -v u="$1" 'BEGIN { printf "%.2f", u / 1000 }'; }
  echo
  echo "wrk -t1 -d${DURATION}s on loopback, median of $ROUNDS alternating rounds; commits: $COMMIT" \
    "(synchronous_commit=$([[ $COMMIT == relaxed ]] && echo off || echo on)); $(nproc) CPUs ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1))"
  echo
  each_row() { # callback: "$1 name idx connections" for every request and connection count, in order
    local idx c name
    for idx in "${!REQUESTS[@]}"; do
      IFS='|' read -r name _ <<<"${REQUESTS[$idx]}"
      for c in $CONNECTIONS; do "$1" "$name" "$idx" "$c"; done
    done
  }
  ratio() { awk -v h="$(median $1)" -v b="$(median $2)" 'BEGIN { printf "%.2f×", h / (b > 0 ? b : 1) }'; } # of two sample lists' medians
  wrk_row() {
    local idx=$2 c=$3 h b
    h=$(median ${rps[$idx,$c,hearth]}); b=$(median ${rps[$idx,$c,baseline]})
    lat() { echo "$(ms "$(median ${p50[$idx,$c,$1]})") / $(ms "$(median ${p90[$idx,$c,$1]})") / $(ms "$(median ${p99[$idx,$c,$1]})") / $(ms "$(median ${p999[$idx,$c,$1]})") / $(ms "$(median ${pmax[$idx,$c,$1]})")"; }
    echo "| $1 | $c | $h | $b | $(awk -v h="$h" -v b="$b" 'BEGIN { printf "%.0f%%", 100 * h / b }') | $(lat hearth) | $(lat baseline) |" \
      "$(ratio "${p99[$idx,$c,hearth]}" "${p99[$idx,$c,baseline]}") |"
  }
  wire_row() {
    local idx=$2 c=$3
    wire() { echo "$(ms "$(median ${w50[$idx,$c,$1]})") / $(ms "$(median ${w99[$idx,$c,$1]})") / $(ms "$(median ${w999[$idx,$c,$1]})")"; }
    echo "| $1 | $c | $(wire hearth) | $(wire baseline) | $(ratio "${w99[$idx,$c,hearth]}" "${w99[$idx,$c,baseline]}") |"
  }
  echo "| request | -c | Hearth req/s | baseline req/s | Hearth/baseline | Hearth p50 / p90 / p99 / p99.9 / max (ms) | baseline p50 / p90 / p99 / p99.9 / max (ms) | p99 Hearth/baseline |"
  echo "|---|---:|---:|---:|---:|---|---|---:|"
  each_row wrk_row
  if [[ $WIRE == 1 ]]; then
    echo
    echo "At the wire (tcpdump on loopback: request sent -> first byte of its response sent; medians over rounds):"
    echo
    echo "| request | -c | Hearth p50 / p99 / p99.9 (ms) | baseline p50 / p99 / p99.9 (ms) | p99 Hearth/baseline |"
    echo "|---|---:|---|---|---:|"
    each_row wire_row
  fi
}
