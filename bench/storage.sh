#!/usr/bin/env bash
# /storage/v1 speed against the AOT binary: upload and download throughput (MB/s) for 1 MiB and 100 MiB
# objects (curl, one at a time), requests/s for 4 KiB objects (wrk, upload with upsert and download), and
# Hearth's peak RSS during a 1 GiB streamed upload. The disk's own fsynced write speed (dd conv=fsync) is
# the baseline: an upload writes its file once and fsyncs it before the row commits.
#
#   bench/storage.sh [seconds-per-wrk-run]          (default 10)
#
# Knobs: WRK_THREADS (2), WRK_CONNECTIONS (16), HEARTH (default artifacts/hearth), WORK_DIR (a folder on the
# disk to measure; default a mktemp -d). Prints a Markdown table.
set -Eeuo pipefail
DURATION=${1:-10}
WRK_THREADS=${WRK_THREADS:-2}
WRK_CONNECTIONS=${WRK_CONNECTIONS:-16}
NAME=storage.sh
# shellcheck source=bench/lib/servers.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/servers.sh"
bench_hearth_alone
KEY=$(bench_jwt "{\"role\":\"service_role\",\"exp\":$(( $(date +%s) + 86400 ))}")
HEARTH_STORAGE_FILE_SIZE_LIMIT=2GiB start_hearth "$MIGRATIONS"
URL=$HEARTH_URL PID=$HEARTH_PID
S=$URL/storage/v1
auth=(-H "Authorization: Bearer $KEY")
curl -sf "${auth[@]}" -H 'Content-Type: application/json' -X POST "$S/bucket" -d '{"name":"bench"}' >/dev/null || die "could not create the bucket"

head -c $((1024 * 1024)) /dev/urandom >"$WORK/1m"
head -c $((100 * 1024 * 1024)) /dev/urandom >"$WORK/100m"
head -c 4096 /dev/urandom >"$WORK/4k"

# MB/s (10^6 bytes) of `count` sequential transfers of a file; upload with upsert onto one name, then download it.
transfer() { # label file count
  local label=$1 file=$2 count=$3 size up=0 down=0 t
  size=$(stat -c %s "$file")
  for _ in $(seq 1 "$count"); do
    t=$(curl -sf -o /dev/null -w '%{time_total}' "${auth[@]}" -H 'Content-Type: application/octet-stream' -H 'x-upsert: true' \
          --data-binary @"$file" "$S/object/bench/$label") || die "upload of $label failed"
    up=$(awk -v a="$up" -v b="$t" 'BEGIN { print a + b }')
  done
  for _ in $(seq 1 "$count"); do
    t=$(curl -sf -o /dev/null -w '%{time_total}' "${auth[@]}" "$S/object/bench/$label") || die "download of $label failed"
    down=$(awk -v a="$down" -v b="$t" 'BEGIN { print a + b }')
  done
  printf '| %s upload | %.0f MB/s |\n' "$label" "$(awk -v n="$count" -v s="$size" -v t="$up" 'BEGIN { print n * s / t / 1e6 }')"
  printf '| %s download | %.0f MB/s |\n' "$label" "$(awk -v n="$count" -v s="$size" -v t="$down" 'BEGIN { print n * s / t / 1e6 }')"
}

wrk_rps() { # label url script
  local out; out=$(wrk -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"${DURATION}s" --latency -s "$3" "$2")
  local rps p99 non2xx
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out"); p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out"); non2xx=${non2xx:-0}
  printf '| %s | %.0f req/s (p99 %s, non-2xx %s) |\n' "$1" "$rps" "$p99" "$non2xx"
}

cat >"$WORK/up4k.lua" <<LUA
local n = 0
function setup(thread) n = n + 1; thread:set("id", n) end
local i = 0
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer $KEY"
wrk.headers["Content-Type"] = "application/octet-stream"
wrk.headers["x-upsert"] = "true"
local f = io.open("$WORK/4k", "rb"); wrk.body = f:read("*a"); f:close()
function request() i = i + 1; return wrk.format(nil, "/storage/v1/object/bench/small/" .. id .. "-" .. (i % 1000)) end
LUA
cat >"$WORK/down4k.lua" <<LUA
wrk.headers["Authorization"] = "Bearer $KEY"
LUA
curl -sf "${auth[@]}" -H 'Content-Type: application/octet-stream' --data-binary @"$WORK/4k" "$S/object/bench/small.bin" >/dev/null

# Peak RSS while 1 GiB streams in (chunked, from /dev/zero: nothing of it is on disk before Hearth writes it).
peak_rss_1g() {
  local peak=0 rss
  head -c $((1024 * 1024 * 1024)) /dev/zero | curl -sf -o /dev/null "${auth[@]}" -H 'Content-Type: application/octet-stream' -X POST -T - "$S/object/bench/1g.bin" &
  local curl_pid=$!
  while kill -0 "$curl_pid" 2>/dev/null; do
    rss=$(awk '/VmRSS/ {print $2}' "/proc/$PID/status"); (( rss > peak )) && peak=$rss
    sleep 0.1
  done
  wait "$curl_pid" || die "1 GiB upload failed"
  printf '| RSS during a 1 GiB upload | %d MiB peak |\n' $(( peak / 1024 ))
}

disk_baseline() {
  local start t
  start=$(date +%s.%N)
  dd if="$WORK/100m" of="$WORK/dd.out" bs=1M conv=fsync status=none
  t=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')
  printf '| baseline: dd 100 MiB to the same disk, fsynced | %.0f MB/s |\n' "$(awk -v t="$t" 'BEGIN { print 100 * 1048576 / t / 1e6 }')"
  rm -f "$WORK/dd.out"
}

echo "| measurement | result |"
echo "|---|---|"
disk_baseline
transfer 1mib.bin "$WORK/1m" 50
transfer 100mib.bin "$WORK/100m" 3
wrk_rps "4 KiB upload (upsert)" "$URL" "$WORK/up4k.lua"
wrk_rps "4 KiB download" "$S/object/bench/small.bin" "$WORK/down4k.lua"
peak_rss_1g
