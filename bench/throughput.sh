#!/usr/bin/env bash
# Throughput of Hearth against a hand-written ASP.NET + Npgsql endpoint (bench/Baseline) that runs the
# very same SQL on the very same embedded PostgreSQL. Linux x64, .NET 10 SDK; installs wrk with apt-get
# if it is missing.
#
#   bench/throughput.sh [seconds-per-run]        (default 10)
#
# Knobs (environment): ROUNDS (3), WARMUP seconds (3), WRK_THREADS (1), WRK_CONNECTIONS (16), REQUEST_CONTEXT=1
# (the database reads request.*, so every request carries the request-context statement),
# SUPABASE=1 (adds the common Supabase request: GET /rest/v1/todos?id=eq.N with the anon key and a user's
# JWT, on a table whose RLS policy calls auth.uid(); the baseline sets the same claims and request context),
# HEARTH (path of the binary, default artifacts/hearth; built when missing), REBUILD=1 (republish both),
# MAX_FOREIGN / RETRIES / QUIET_WAIT (see "load" below), ROLE_BASELINE=1 (also measure the baseline with
# Hearth's role switch, a diagnostic). Prints Markdown tables: median requests/s over ROUNDS alternating
# runs, and the CPU time per request of each process.
set -Eeuo pipefail
trap 'log "throughput.sh: failed (status $?) at line $LINENO: $BASH_COMMAND"' ERR

DURATION=${1:-10}
ROUNDS=${ROUNDS:-3}
WARMUP=${WARMUP:-3}
WRK_THREADS=${WRK_THREADS:-1}
WRK_CONNECTIONS=${WRK_CONNECTIONS:-16}
NAME=throughput.sh
# shellcheck source=bench/lib/servers.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/servers.sh"

[[ $DURATION =~ ^[0-9]+$ && $DURATION -gt 0 ]] || die "seconds-per-run must be a positive integer"
bench_build
bench_tools openssl wrk
bench_workdir
bench_wrk_script "$WORK/latency.lua" # GET (headers come with -H); prints wrk's percentiles when done

bench_items_table "$MIGRATIONS/20240101000000_items.sql"
# REQUEST_CONTEXT=1: the database reads request.* (here a policy on another table, as Supabase-style RLS
# does), so Hearth sets the request context (role, claims, method, path, headers) on every request.
if [[ ${REQUEST_CONTEXT:-0} == 1 ]]; then
  cat > "$MIGRATIONS/20240101000100_rls.sql" <<'SQL'
create table public.notes (owner text, body text);
alter table public.notes enable row level security;
create policy own on public.notes using (owner = current_setting('request.jwt.claims', true)::json->>'sub');
SQL
fi
# SUPABASE=1: Supabase's most common request, a user's row under a policy on auth.uid() (the baseline's
# auth.uid(), from Hearth's Supabase baseline). Row 42 belongs to the benchmark's user.
BENCH_USER=00000000-0000-4000-8000-000000000042
if [[ ${SUPABASE:-0} == 1 ]]; then
  cat > "$MIGRATIONS/20240101000200_todos.sql" <<SQL
create table public.todos (id int primary key, owner uuid not null, title text not null, done boolean not null default false);
insert into public.todos (id, owner, title)
select g, case when g = 42 then '$BENCH_USER'::uuid else gen_random_uuid() end, 'todo ' || g from generate_series(1, 10000) as g;
analyze public.todos;
alter table public.todos enable row level security;
create policy own_todos on public.todos for select to authenticated using (owner = auth.uid());
grant select on public.todos to authenticated;
SQL
fi

# The JWT case: HS256, role authenticated (so the role switch is included), valid for a day.
SUB=bench
[[ ${SUPABASE:-0} == 1 ]] && SUB=$BENCH_USER  # auth.uid() casts sub to uuid
JWT=$(bench_jwt "$(printf '{"role":"authenticated","sub":"%s","exp":%s}' "$SUB" $(($(date +%s) + 86400)))")
ANON_KEY=$(bench_jwt "$(printf '{"role":"anon","iss":"supabase","exp":%s}' $(($(date +%s) + 86400)))")

start_hearth "$MIGRATIONS"
start_baseline

# name | Hearth path | baseline path | "jwt" to send both the token (the baseline switches to its role unverified)
REQUESTS=(
  "GET by primary key|/items?id=eq.42|/items/42|"
  "GET by primary key, with a JWT|/items?id=eq.42|/jwt/items/42|jwt"
  "20-row list|/items?select=id,name,price&order=id&limit=20|/items20|"
)
[[ ${SUPABASE:-0} == 1 ]] && REQUESTS+=("Supabase: a user's row under RLS on auth.uid()|/rest/v1/todos?id=eq.42|/supabase/todos/42|supabase")

# --- both must answer 200 with the same body -------------------------------------------------------
for r in "${REQUESTS[@]}"; do
  IFS='|' read -r name hpath bpath auth <<<"$r"
  h=$(curl -sS --fail -H 'Accept: application/json' ${auth:+-H "Authorization: Bearer $JWT"} ${auth:+-H "apikey: $ANON_KEY"} "$HEARTH_URL$hpath") || die "Hearth: GET $hpath failed"
  b=$(curl -sS --fail ${auth:+-H "Authorization: Bearer $JWT"} "$BASELINE_URL$bpath") || die "baseline: GET $bpath failed"
  [[ $h == "$b" ]] || die "$name: bodies differ (an outdated artifacts/hearth? REBUILD=1 publishes it again)
  Hearth:   ${h:0:200}
  baseline: ${b:0:200}"
  [[ $h == '['*']' && ${#h} -gt 2 ]] || die "$name: unexpected body ${h:0:200}"
done

# --- load ------------------------------------------------------------------------------------------
# Other work on the machine (a build, a test run) steals CPU from whichever side is being measured. Each
# run therefore counts the CPU time used by processes that are not part of the benchmark (all CPU time in
# /proc/stat minus Hearth, the baseline, PostgreSQL and wrk); a run where that exceeds MAX_FOREIGN % of
# the machine is repeated, up to RETRIES times, and each run first waits (up to QUIET_WAIT s) for the
# machine to go quiet. The same accounting gives the CPU cost per request.
MAX_FOREIGN=${MAX_FOREIGN:-5}
RETRIES=${RETRIES:-2}
QUIET_WAIT=${QUIET_WAIT:-15}
TICKS=$(getconf CLK_TCK)
CPUS=$(nproc)
POSTMASTER=$(head -n 1 "$DATA/pg_embed/hearth/data/postmaster.pid" 2>/dev/null || echo -1)

busy_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $9 }' /proc/stat; } # user + nice + system + steal, all CPUs
our_ticks() { # -> "hearth baseline postgres" CPU ticks (postgres: the postmaster and all its children)
  { cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk -v a="$HEARTH_PID" -v b="$BASELINE_PID" -v pm="$POSTMASTER" '
    { pid = $1; sub(/^.*\) /, "") }                  # past "pid (comm) ": $2 = ppid, $12 = utime, $13 = stime
    pid == a { h += $12 + $13 } pid == b { s += $12 + $13 } pid == pm || $2 == pm { p += $12 + $13 }
    END { print h + 0, s + 0, p + 0 }'
}
child_ticks() { # CPU time of this shell's finished children (wrk), from the output of `times`
  awk -v hz="$TICKS" 'NR == 2 { n = split($0, f, " "); for (i = 1; i <= n; i++) { split(f[i], ms, /[ms]/); t += ms[1] * 60 + ms[2] } }
    END { printf "%.0f\n", t * hz }' "$1"
}

# seconds url -> RUN="requests/s foreign-cpu-% server-us/req postgres-us/req wrk-us/req p50 p90 p99 p99.9 max"
# (latencies in µs, from wrk's histogram); fails on errors.
# Runs in this shell (no command substitution), with wrk in the background and `wait`, so that Ctrl-C
# stops the benchmark at once (cleanup then stops wrk too).
run_wrk() { # seconds url [extra header]
  local seconds=$1 url=$2 extra=${3:-} out b0 b1 w0 w1 h0 s0 p0 h1 s1 p1 rc=0 line
  local -a headers=(-H 'Accept: application/json')
  while IFS= read -r line; do [[ -n $line ]] && headers+=(-H "$line"); done <<<"$extra" # one header per line
  b0=$(busy_ticks); read -r h0 s0 p0 < <(our_ticks); times >"$WORK/times0"
  timeout $((seconds + 30)) wrk -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"${seconds}s" --timeout 5s -s "$WORK/latency.lua" \
    "${headers[@]}" "$url" >"$WORK/wrk.out" 2>&1 &
  WRK_PID=$!
  wait "$WRK_PID" || rc=$?
  WRK_PID=
  times >"$WORK/times1"; read -r h1 s1 p1 < <(our_ticks); b1=$(busy_ticks)
  out=$(<"$WORK/wrk.out")
  (( rc == 0 )) || die "wrk failed for $url (status $rc):
$out"
  w0=$(child_ticks "$WORK/times0"); w1=$(child_ticks "$WORK/times1")
  if grep -qE 'Non-2xx|Socket errors' <<<"$out"; then die "errors under load for $url:
$out"; fi
  RUN=$(awk -v total=$((b1 - b0)) -v srv=$((h1 - h0 + s1 - s0)) -v pg=$((p1 - p0)) -v wrk=$((w1 - w0)) \
      -v cap=$((CPUS * seconds * TICKS)) -v hz="$TICKS" '
    / requests in / { n = $1 } /^Requests\/sec:/ { r = $2 }
    /^LATENCY / { lat = $2 " " $3 " " $4 " " $5 " " $6 }
    END { f = total - srv - pg - wrk; us = 1e6 / hz / (n > 0 ? n : 1)
          printf "%.0f %.0f %.0f %.0f %.0f %s\n", r, (f > 0 ? 100 * f / cap : 0), srv * us, pg * us, wrk * us, lat }' <<<"$out")
}
wait_quiet() { # until the CPU not used by the (idle) benchmark is below MAX_FOREIGN %, at most QUIET_WAIT s
  local i b0 b1 o0 o1
  for ((i = 0; i < QUIET_WAIT * 2; i++)); do
    b0=$(busy_ticks); o0=$(our_ticks | awk '{ print $1 + $2 + $3 }')
    sleep 0.5
    b1=$(busy_ticks); o1=$(our_ticks | awk '{ print $1 + $2 + $3 }')
    (( 100 * ((b1 - b0) - (o1 - o0)) <= MAX_FOREIGN * CPUS * TICKS / 2 )) && return 0
  done
  log "(the machine is busy with other work)"
}
measure() { # seconds url label [extra header] -> RUN as run_wrk; repeats runs disturbed by other processes
  local seconds=$1 url=$2 label=$3 extra=${4:-} attempt rps foreign srv pg wrk line
  for ((attempt = 0; ; attempt++)); do
    wait_quiet
    run_wrk "$seconds" "$url" "$extra"
    read -r rps foreign srv pg wrk <<<"$RUN"
    line="$label: $rps req/s, CPU/request: server ${srv} µs, PostgreSQL ${pg} µs, wrk ${wrk} µs; other processes ${foreign}% CPU"
    if (( foreign <= MAX_FOREIGN )); then log "$line"; break; fi
    if (( attempt >= RETRIES )); then log "$line (kept after $RETRIES retries)"; DISTURBED=$((DISTURBED + 1)); break; fi
    log "$line: run again"
  done
}
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
DISTURBED=0

SIDES=(hearth baseline)
# Diagnostics: also measure the baseline running Hearth's role switch in the same batch (/role/...).
[[ ${ROLE_BASELINE:-0} == 1 ]] && SIDES+=(role)
url_for() { # side hearth-path baseline-path
  case $1 in hearth) echo "$HEARTH_URL$2" ;; baseline) echo "$BASELINE_URL$3" ;; role) [[ $3 == /jwt/* ]] && echo "$BASELINE_URL$3" || echo "$BASELINE_URL/role$3" ;; esac
}

auth_header() { # side auth-field -> the headers (one per line) of a "jwt" or "supabase" request, else nothing
  case $2 in
    jwt) echo "Authorization: Bearer $JWT" ;;
    # Both sides get what supabase-js sends (the baseline ignores apikey but puts it in request.headers too).
    supabase) printf 'Authorization: Bearer %s\napikey: %s\n' "$JWT" "$ANON_KEY" ;;
  esac
}

log "Warming up (${WARMUP} s per endpoint) ..."
for r in "${REQUESTS[@]}"; do
  IFS='|' read -r name hpath bpath auth <<<"$r"
  for side in "${SIDES[@]}"; do run_wrk "$WARMUP" "$(url_for "$side" "$hpath" "$bpath")" "$(auth_header "$side" "$auth")"; done
done

declare -A rps srv pg wrk p50 p90 p99 p999 pmax
for ((round = 1; round <= ROUNDS; round++)); do
  for idx in "${!REQUESTS[@]}"; do
    IFS='|' read -r name hpath bpath auth <<<"${REQUESTS[$idx]}"
    # Alternate which side goes first, so drift (thermal, page cache, autovacuum) hits both alike.
    order=("${SIDES[@]}")
    if (( round % 2 == 0 )); then order=(); for ((i = ${#SIDES[@]} - 1; i >= 0; i--)); do order+=("${SIDES[$i]}"); done; fi
    for side in "${order[@]}"; do
      measure "$DURATION" "$(url_for "$side" "$hpath" "$bpath")" "round $round/$ROUNDS  $name  $side" "$(auth_header "$side" "$auth")"
      read -r r _ s p w l50 l90 l99 l999 lmax <<<"$RUN"
      rps[$idx,$side]+=" $r"; srv[$idx,$side]+=" $s"; pg[$idx,$side]+=" $p"; wrk[$idx,$side]+=" $w"
      p50[$idx,$side]+=" $l50"; p90[$idx,$side]+=" $l90"; p99[$idx,$side]+=" $l99"; p999[$idx,$side]+=" $l999"; pmax[$idx,$side]+=" $lmax"
    done
  done
done

# --- report ----------------------------------------------------------------------------------------
# shellcheck disable=SC2086 # word splitting of the sample lists is intended throughout
{
  echo
  echo "wrk -t$WRK_THREADS -c$WRK_CONNECTIONS -d${DURATION}s on loopback, median of $ROUNDS rounds;" \
    "$CPUS CPUs ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)), shared by wrk, the server and PostgreSQL"
  echo
  if [[ ${ROLE_BASELINE:-0} == 1 ]]; then
    echo "| request | Hearth req/s | baseline req/s | Hearth/baseline | baseline + role switch req/s |"
    echo "|---|---:|---:|---:|---:|"
  else
    echo "| request | Hearth req/s | baseline req/s | Hearth/baseline |"
    echo "|---|---:|---:|---:|"
  fi
  for idx in "${!REQUESTS[@]}"; do
    IFS='|' read -r name hpath _ <<<"${REQUESTS[$idx]}"
    h=$(median ${rps[$idx,hearth]}); b=$(median ${rps[$idx,baseline]})
    row="| $name \`$hpath\` | $h | $b | $(awk -v h="$h" -v b="$b" 'BEGIN { printf "%.0f%%", 100 * h / b }') |"
    [[ ${ROLE_BASELINE:-0} == 1 ]] && row+=" $(median ${rps[$idx,role]}) |"
    echo "$row"
  done
  echo
  echo "CPU time per request (µs, median): server / PostgreSQL / wrk. With the CPUs saturated, throughput follows the"
  echo "total: the last column is the Hearth/baseline ratio that these CPU costs alone predict."
  echo
  echo "| request |$(printf ' %s |' "${SIDES[@]}") predicted Hearth/baseline |"
  echo "|---|$(printf -- '---:|%.0s' "${SIDES[@]}")---:|"
  for idx in "${!REQUESTS[@]}"; do
    IFS='|' read -r name _ _ <<<"${REQUESTS[$idx]}"
    row="| $name |"
    for side in "${SIDES[@]}"; do
      row+=" $(median ${srv[$idx,$side]}) / $(median ${pg[$idx,$side]}) / $(median ${wrk[$idx,$side]}) |"
    done
    row+=" $(awk -v h="$(( $(median ${srv[$idx,hearth]}) + $(median ${pg[$idx,hearth]}) + $(median ${wrk[$idx,hearth]}) ))" \
      -v b="$(( $(median ${srv[$idx,baseline]}) + $(median ${pg[$idx,baseline]}) + $(median ${wrk[$idx,baseline]}) ))" \
      'BEGIN { printf "%.0f%%", 100 * b / h }') |"
    echo "$row"
  done
  echo
  echo "Latency at -c$WRK_CONNECTIONS (ms; wrk's histogram, median over rounds of each percentile); the last column is"
  echo "Hearth's p99 over the baseline's."
  echo
  echo "| request | side | p50 | p90 | p99 | p99.9 | max | p99 Hearth/baseline |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|"
  ms() { awk -v u="$1" 'BEGIN { printf "%.2f", u / 1000 }'; }
  for idx in "${!REQUESTS[@]}"; do
    IFS='|' read -r name _ _ <<<"${REQUESTS[$idx]}"
    for side in "${SIDES[@]}"; do
      ratio=
      [[ $side == hearth ]] && ratio=$(awk -v h="$(median ${p99[$idx,hearth]})" -v b="$(median ${p99[$idx,baseline]})" 'BEGIN { printf "%.2f×", h / (b > 0 ? b : 1) }')
      echo "| $name | $side | $(ms "$(median ${p50[$idx,$side]})") | $(ms "$(median ${p90[$idx,$side]})") | $(ms "$(median ${p99[$idx,$side]})") | $(ms "$(median ${p999[$idx,$side]})") | $(ms "$(median ${pmax[$idx,$side]})") | $ratio |"
    done
  done
  # The cost of auth: the same GET by primary key with and without a JWT (requests 0 and 1), Hearth only.
  plain=$(median ${rps[0,hearth]}); jwt=$(median ${rps[1,hearth]})
  echo
  echo "Auth: GET by primary key with a JWT (HS256, role authenticated) runs at $(awk -v a="$jwt" -v b="$plain" 'BEGIN { printf "%.0f%%", 100 * a / b }')" \
    "of the same request without one ($jwt vs $plain req/s); server CPU $(median ${srv[1,hearth]}) vs $(median ${srv[0,hearth]}) µs," \
    "PostgreSQL $(median ${pg[1,hearth]}) vs $(median ${pg[0,hearth]}) µs per request."
  if (( DISTURBED > 0 )); then
    echo
    echo "Warning: $DISTURBED run(s) shared the machine with other work (over ${MAX_FOREIGN}% of the CPU); numbers are noisier than usual."
  fi
}
