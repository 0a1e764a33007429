#!/usr/bin/env bash
# CI's external-PostgreSQL job: installs Debian's postgresql-15 and pgbouncer if missing, then runs, against
# clusters of their own on 127.0.0.1 (tests/external/start-postgres.sh, start-pgbouncer.sh, started by the
# test fixtures): the External test classes (least privilege, three instances, pooler mode, restart, realtime
# across instances with --database-replication-url) and the HTTP read, write/RPC and auth (JWT, roles, RLS)
# tests — once straight to PostgreSQL 15, once through PgBouncer in transaction mode.
# Ends with one line "N passed, N failed, N skipped". HEARTH_BIN as for tests/run.
set -uo pipefail
cd "$(dirname "$0")/../.."
export PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
need=()
[ -x "$PG_BIN/pg_ctl" ] || need+=(postgresql-15)
command -v pgbouncer >/dev/null || need+=(pgbouncer)
if [ ${#need[@]} -gt 0 ]; then
  # Debian's packages would create and start a cluster and a pgbouncer service of their own: not wanted.
  mkdir -p /etc/postgresql-common
  echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.conf
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
export HEARTH_TEST_PG_BIN=$PG_BIN HEARTH_TEST_SHARED_EXTERNAL=1
filter='/*/(Hearth.Tests.External)|(Hearth.Tests.Http.Reads)|(Hearth.Tests.Http)|(Hearth.Tests.Http.Writes)|(Hearth.Tests.Http.Auth)/*/*'
passed=0; failed=0; skipped=0; code=0
for mode in direct pgbouncer; do
  echo "=== external PostgreSQL 15, $mode"
  log=$(mktemp)
  HEARTH_TEST_POOLER=$([ $mode = pgbouncer ] && echo 1 || echo 0) bash tests/run --treenode-filter "$filter" 2>&1 | tee "$log" | grep -vE '^[0-9]+ passed, [0-9]+ failed'
  [ "${PIPESTATUS[0]}" -eq 0 ] || code=1
  read -r p f s < <(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1 | awk -F'[ ,]+' '{print $1, $3, $5}')
  echo "$mode: ${p:-0} passed, ${f:-1} failed, ${s:-0} skipped" | sed 's/^/  /'
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-1})); skipped=$((skipped + ${s:-0}))
  rm -f "$log"
done
echo "$passed passed, $failed failed, $skipped skipped"
exit "$code"
