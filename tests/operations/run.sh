#!/usr/bin/env bash
# Operations job: serves an empty data dir with the admin listener (--admin-port), drives some load over
# HTTP, scrapes /metrics and parses it with parse-prometheus-text-format (pinned in package-lock.json): a
# real Prometheus text-format parser, not ours. Ends with one line "N passed, N failed, N skipped".
#
#   HEARTH_BIN=artifacts/hearth bash tests/operations/run.sh
#   HEARTH_BIN="dotnet src/Hearth/bin/Debug/net10.0/hearth.dll" bash tests/operations/run.sh
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
job=operations
package=parse-prometheus-text-format
# A free loopback port for the admin listener (the API port is picked by Hearth itself).
admin_port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
secret="operations-job-secret-0123456789-abcdefghij"
hearth_env=(HEARTH_JWT_SECRET="$secret")
# Realtime clients may fall 20 messages behind (default 1000), so one that stops reading overflows quickly.
hearth_args=(--admin-port "$admin_port" --migrations "$here/migrations" --realtime-max-queued-messages 20)
node_env=(HEARTH_ADMIN_URL="http://127.0.0.1:$admin_port" JWT_SECRET="$secret")

# shellcheck source=../lib/node-job.sh
source "$here/../lib/node-job.sh"
node_job "$@"
