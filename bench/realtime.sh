#!/usr/bin/env bash
# Realtime: commit-to-delivery latency (p50/p99) for 1 subscriber and for 1,000 subscribers on one table, the
# sustained inserts/s Hearth fans out (to 10 subscribers) before p99 passes 100 ms, and memory per idle
# connection. Runs the AOT binary on a fresh data dir with bench/realtime/migrations; the client is
# bench/realtime/bench.mjs (Node, `ws` from tests/supabase-js). Latency is measured from the moment the
# INSERT request is sent (REST) to delivery, so it includes the insert and its commit: an upper bound.
#
#   bench/realtime.sh          HEARTH=path/to/hearth (default artifacts/hearth)
#
# Prints Markdown tables. Do not run it next to other benchmarks or tests: the numbers are for the machine.
set -Eeuo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HEARTH=${HEARTH:-$ROOT/artifacts/hearth}
log() { printf '%s\n' "$*" >&2; }
die() { log "realtime.sh: $*"; exit 1; }
[[ -x $HEARTH ]] || die "$HEARTH not found: bash .ci/publish linux-x64"
command -v node >/dev/null && command -v openssl >/dev/null || die "node and openssl are required"
(cd "$ROOT/tests/supabase-js" && [[ -d node_modules/ws ]] || npm ci --no-audit --no-fund --loglevel=error >/dev/null)
ulimit -n 65536 2>/dev/null || (( $(ulimit -n) >= 4096 )) || log "realtime.sh: open files limit $(ulimit -n); 1,000 sockets may fail"

WORK=$(mktemp -d); chmod 755 "$WORK"
PID=
cleanup() { [[ -n $PID ]] && kill -TERM "$PID" 2>/dev/null && wait "$PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

SECRET=bench-realtime-secret-0123456789abcdef-0123456789
b64() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
HEADER=$(printf '{"alg":"HS256","typ":"JWT"}' | b64)
PAYLOAD=$(printf '{"role":"anon","exp":%d}' $(( $(date +%s) + 86400 )) | b64)
ANON="$HEADER.$PAYLOAD.$(printf '%s' "$HEADER.$PAYLOAD" | openssl dgst -sha256 -hmac "$SECRET" -binary | b64)"

HEARTH_JWT_SECRET=$SECRET "$HEARTH" serve --data-dir "$WORK/data" --port 0 --migrations "$ROOT/bench/realtime/migrations" \
  >"$WORK/out" 2>"$WORK/err" </dev/null &
PID=$!
URL=
for _ in $(seq 1 600); do
  URL=$(sed -n 's|^Hearth listening on \(http://[^[:space:]]*\).*|\1|p' "$WORK/out" | head -n 1)
  [[ -n $URL ]] && break
  kill -0 "$PID" 2>/dev/null || { cat "$WORK/err" >&2; die "Hearth exited"; }
  sleep 0.1
done
[[ -n $URL ]] || die "Hearth did not start"
log "Hearth at $URL (pid $PID); $(nproc) cores; $(date -u +%Y-%m-%dT%H:%MZ)"
node "$ROOT/bench/realtime/bench.mjs" "$URL" "$ANON" "$PID"
