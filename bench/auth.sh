#!/usr/bin/env bash
# Sign-in (POST /auth/v1/token?grant_type=password, a bcrypt check each) and refresh
# (grant_type=refresh_token, a rotation each: revoke + insert in one transaction) with wrk against the
# AOT binary. Rate limits are raised out of the way; each wrk thread follows its own session's refresh
# token chain. Installs wrk/openssl with apt-get when missing (as root).
#
#   bench/auth.sh [seconds-per-run]          (default 10)
#
# Knobs: WRK_THREADS (2), WRK_CONNECTIONS (16), HEARTH (default artifacts/hearth).
# Prints a Markdown table: requests/s and p50/p99 latency per endpoint.
set -Eeuo pipefail
DURATION=${1:-10}
WRK_THREADS=${WRK_THREADS:-2}
WRK_CONNECTIONS=${WRK_CONNECTIONS:-16}
NAME=auth.sh
# shellcheck source=bench/lib/servers.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/servers.sh"
bench_hearth_alone
ANON=$(bench_jwt "{\"role\":\"anon\",\"exp\":$(( $(date +%s) + 86400 ))}")
export HEARTH_AUTH_RATE_LIMIT_SIGN_IN_SIGN_UPS=100000000 HEARTH_AUTH_RATE_LIMIT_TOKEN_REFRESH=100000000 HEARTH_AUTH_REFRESH_TOKEN_REUSE_INTERVAL=3600
start_hearth "$MIGRATIONS"
URL=$HEARTH_URL

api() { curl -s -H "apikey: $ANON" -H 'Content-Type: application/json' "$@"; }
api -X POST "$URL/auth/v1/signup" -d '{"email":"bench@example.com","password":"bench password 1"}' >/dev/null
tokens=()
for _ in $(seq 1 "$WRK_THREADS"); do
  tokens+=("$(api -X POST "$URL/auth/v1/token?grant_type=password" -d '{"email":"bench@example.com","password":"bench password 1"}' | sed -n 's/.*"refresh_token":"\([a-z0-9]*\)".*/\1/p')")
done

cat > "$WORK/signin.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["apikey"] = "$ANON"
wrk.body = '{"email":"bench@example.com","password":"bench password 1"}'
LUA
cat > "$WORK/refresh.lua" <<LUA
local tokens = { $(printf '"%s",' "${tokens[@]}") }
local n = 0
function setup(thread) n = n + 1; thread:set("token", tokens[n]) end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["apikey"] = "$ANON"
function request() return wrk.format(nil, nil, nil, '{"refresh_token":"' .. token .. '"}') end
function response(status, headers, body)
  local next = body:match('"refresh_token":"(%w+)"')
  if next then token = next end
end
LUA

run() { # name, path, script
  local out; out=$(wrk -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"${DURATION}s" --latency -s "$3" "$URL$2")
  local rps p50 p99 non2xx
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out"); p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out"); non2xx=${non2xx:-0}
  printf '| %s | %s | %s | %s | %s |\n' "$1" "$rps" "$p50" "$p99" "$non2xx"
}
log "Hearth $URL, $(nproc) cores, wrk -t$WRK_THREADS -c$WRK_CONNECTIONS -d${DURATION}s"
echo "| endpoint | req/s | p50 | p99 | non-2xx |"
echo "|---|---|---|---|---|"
run "sign-in (grant_type=password)" "/auth/v1/token?grant_type=password" "$WORK/signin.lua"
run "refresh (grant_type=refresh_token)" "/auth/v1/token?grant_type=refresh_token" "$WORK/refresh.lua"
