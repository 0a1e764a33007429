#!/usr/bin/env bash
# Instructions per request: Hearth and the hand-written baseline (bench/Baseline), each run under valgrind's
# callgrind, one connection, the reads of bench/throughput.sh. A count of executed instructions does not
# depend on the machine's load, its other tenants or the CPU's clock, so it shows a change of 1–2% that
# throughput runs cannot (their run-to-run noise is ±5% here). What it leaves out: the kernel (syscalls,
# scheduling), PostgreSQL (not traced), and what an instruction costs (cache misses, branch mispredictions);
# bench/throughput.sh measures those. Each number is the median over ROUNDS runs, with the servers'
# background instructions (timers, while idle) taken out. Linux x64; needs wrk and valgrind (installed with
# apt-get when missing, as root).
#
#   bench/instructions.sh [rounds (3)] [seconds-per-run (6)]
#
# Which functions the instructions go to: publish with symbols kept (dotnet publish src/Hearth -c Release
# -r linux-x64 -o DIR -p:StripSymbols=false), run with HEARTH=DIR/hearth KEEP=some-dir, then
# callgrind_annotate --inclusive=yes some-dir/hearth.<request>.<round>. The link step does not rerun when only
# StripSymbols changes: delete src/Hearth/obj/Release/net10.0/linux-x64/native before publishing either way.
set -Eeuo pipefail
NAME=instructions.sh
# shellcheck source=bench/lib/servers.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/servers.sh"
ROUNDS=${1:-3} SECONDS_PER_RUN=${2:-6}
[[ $ROUNDS =~ ^[1-9][0-9]*$ && $SECONDS_PER_RUN =~ ^[1-9][0-9]*$ ]] || die "usage: bench/instructions.sh [rounds] [seconds-per-run]"
bench_build
bench_tools wrk valgrind
bench_workdir
bench_items_table "$MIGRATIONS/20240101000000_items.sql"
[[ -z ${KEEP:-} ]] || mkdir -p "$KEEP"
# Copies without DWARF (in the binary or in the .dbg beside it): valgrind gives up on what the AOT compiler
# writes there. The symbol table stays, so a build published with StripSymbols=false can be annotated.
mkdir -p "$WORK/bin"
objcopy --strip-debug "$HEARTH" "$WORK/bin/hearth"; objcopy --strip-debug "$BASELINE" "$WORK/bin/baseline"
HEARTH=$WORK/bin/hearth BASELINE=$WORK/bin/baseline
# Workstation GC for both, as Hearth ships: the baseline's default, server GC, does not start under valgrind.
export DOTNET_gcServer=0
# No spinning in idle thread-pool workers: how long a worker spins before it sleeps depends on timing (valgrind
# runs one thread at a time), and those instructions varied by ±5% between identical runs; without them, by ~1%.
export DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0
BENCH_WRAPPER=(valgrind -q --tool=callgrind "--callgrind-out-file=$WORK/%p.cg")
start_hearth "$MIGRATIONS"
start_baseline

dump() { # pid -> the file callgrind just wrote for it (numbered 1, 2, … per process)
  local files
  callgrind_control -d "$1" >/dev/null 2>&1
  files=("$WORK/$1.cg."*)
  echo "$WORK/$1.cg.${#files[@]}"
}
instructions() { awk '/^summary:/ {print $2}' "$1"; }

idle_rate() { # pid -> instructions per second with no requests
  local file
  callgrind_control -z "$1" >/dev/null 2>&1
  sleep 5
  file=$(dump "$1")
  echo $(($(instructions "$file") / 5))
}

per_request() { # pid url idle-rate keep-as -> instructions per request, the idle rate taken out
  local t0 t1 n file
  wrk -t1 -c1 -d2s "$2" >/dev/null
  callgrind_control -z "$1" >/dev/null 2>&1
  t0=$(date +%s.%N)
  n=$(wrk -t1 -c1 -d"${SECONDS_PER_RUN}s" "$2" | awk '/requests in/ {print $1}')
  file=$(dump "$1")
  t1=$(date +%s.%N)
  [[ -z ${KEEP:-} ]] || cp "$file" "$KEEP/$4"
  awk -v total="$(instructions "$file")" -v idle="$3" -v t0="$t0" -v t1="$t1" -v n="$n" \
    'BEGIN {printf "%.0f\n", (total - idle * (t1 - t0)) / n}'
}

median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

HEARTH_IDLE=$(idle_rate "$HEARTH_PID")
BASELINE_IDLE=$(idle_rate "$BASELINE_PID")
log "Idle: Hearth $HEARTH_IDLE, baseline $BASELINE_IDLE instructions/s"

echo "| request | Hearth instructions/request | baseline | Hearth/baseline |"
echo "|---|---:|---:|---:|"
measure() { # label hearth-path baseline-path
  local r h=() b=() hm bm
  for ((r = 1; r <= ROUNDS; r++)); do
    h+=("$(per_request "$HEARTH_PID" "$HEARTH_URL$2" "$HEARTH_IDLE" "hearth.$1.$r")")
    b+=("$(per_request "$BASELINE_PID" "$BASELINE_URL$3" "$BASELINE_IDLE" "baseline.$1.$r")")
    log "$1 round $r: Hearth ${h[-1]}, baseline ${b[-1]}"
  done
  hm=$(printf '%s\n' "${h[@]}" | median); bm=$(printf '%s\n' "${b[@]}" | median)
  awk -v l="$1" -v h="$hm" -v b="$bm" 'BEGIN {printf "| %s | %.0f | %.0f | %.2f× |\n", l, h, b, h / b}'
}
measure key "/items?id=eq.42" "/items/42"
measure list "/items?select=id,name,price&order=id&limit=20" "/items20"
