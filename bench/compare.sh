#!/usr/bin/env bash
# Two builds of Hearth side by side, for changes smaller than the machine's run-to-run noise: both servers are up
# at once (each with its own embedded PostgreSQL, the table of bench/throughput.sh), and wrk runs alternate
# between them, so drift hits both alike. Prints req/s and the server's CPU time per request for each round,
# then the medians. Linux x64; needs wrk. CONNECTIONS=1 compares at one connection (latency-bound) instead of 16.
#
#   bench/compare.sh OLD-BINARY NEW-BINARY [rounds (5)] [seconds-per-run (6)]
set -Eeuo pipefail
NAME=compare.sh
# shellcheck source=bench/lib/servers.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/servers.sh"
[[ $# -ge 2 && -x $1 && -x $2 ]] || die "usage: bench/compare.sh OLD-BINARY NEW-BINARY [rounds] [seconds]"
OLD=$1 NEW=$2 ROUNDS=${3:-5} SECONDS_PER_RUN=${4:-6} CONNECTIONS=${CONNECTIONS:-16}
[[ $CONNECTIONS =~ ^[1-9][0-9]*$ ]] || die "CONNECTIONS must be a positive integer"
bench_tools wrk
bench_workdir
bench_items_table "$MIGRATIONS/20240101000000_items.sql"
PIDS=()
cleanup_both() { local p; for p in "${PIDS[@]}"; do stop "$p"; done; }
trap 'cleanup_both; bench_cleanup' EXIT
serve() { # binary dir -> URL on stdout; PID appended to PIDS
  mkdir -p "$2"; chmod 755 "$2"; touch "$2.out"
  HEARTH_JWT_SECRET=$BENCH_JWT_SECRET "$1" serve --data-dir "$2" --migrations "$MIGRATIONS" --port 0 >"$2.out" 2>"$2.err" &
  PIDS+=($!)
}
serve "$OLD" "$WORK/old"; serve "$NEW" "$WORK/new"
OLD_URL=$(wait_url "$WORK/old.out" 's/^Hearth listening on \(http:[^ ]*\).*/\1/p' "${PIDS[0]}" 120 "the old build")
NEW_URL=$(wait_url "$WORK/new.out" 's/^Hearth listening on \(http:[^ ]*\).*/\1/p' "${PIDS[1]}" 120 "the new build")
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; } # utime + stime, in clock ticks
run() { # pid url -> "req/s µs-per-request"
  local t0 t1 out
  t0=$(ticks "$1"); out=$(wrk -t1 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" "$2"); t1=$(ticks "$1")
  awk -v ticks=$((t1 - t0)) -v hz="$(getconf CLK_TCK)" '/requests in/ {n = $1} /Requests\/sec/ {r = $2} END {printf "%s %.1f\n", r, ticks / hz * 1e6 / n}' <<<"$out"
}
echo "| request | round | old req/s | old µs | new req/s | new µs | new/old |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for path in "/items?id=eq.42" "/items?select=id,name,price&order=id&limit=20"; do
  wrk -t1 -c"$CONNECTIONS" -d3s "$OLD_URL$path" >/dev/null; wrk -t1 -c"$CONNECTIONS" -d3s "$NEW_URL$path" >/dev/null
  for ((r = 1; r <= ROUNDS; r++)); do
    read -r a ca < <(run "${PIDS[0]}" "$OLD_URL$path"); read -r b cb < <(run "${PIDS[1]}" "$NEW_URL$path")
    printf '| `%s` | %d | %s | %s | %s | %s | %.3f |\n' "$path" "$r" "$a" "$ca" "$b" "$cb" "$(awk -v a="$a" -v b="$b" 'BEGIN {print b / a}')"
  done
done | tee "$WORK/rows"
echo
awk -F'|' '{gsub(/ /, "", $2); p[$2] = p[$2] " " $8; o[$2] = o[$2] " " $5; n[$2] = n[$2] " " $7}
  function med(s,  a, k, i, j, t) { k = split(s, a, " "); for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }; return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2 }
  END {for (k in p) printf "medians %s: CPU per request old %s µs, new %s µs; req/s new/old %s\n", k, med(o[k]), med(n[k]), med(p[k])}' "$WORK/rows"
