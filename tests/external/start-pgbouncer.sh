#!/usr/bin/env bash
# Starts Debian's pgbouncer in transaction pooling mode in front of the server start-postgres.sh started:
# 127.0.0.1:$HEARTH_EXT_BOUNCER_PORT, every database, the test roles with their passwords (SCRAM).
#   bash tests/external/start-pgbouncer.sh [start|stop]
set -euo pipefail
dir=${HEARTH_EXT_DIR:-/tmp/hearth-external}
pg_port=${HEARTH_EXT_PG_PORT:-5515}
port=${HEARTH_EXT_BOUNCER_PORT:-6515}
conf=$dir/pgbouncer.ini
pidfile=$dir/pgbouncer.pid

command -v pgbouncer >/dev/null || { echo "start-pgbouncer: pgbouncer is not installed (apt-get install pgbouncer)" >&2; exit 1; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

if [ "${1:-start}" = stop ]; then
  if [ -f "$pidfile" ]; then
    pid=$(cat "$pidfile")
    kill -INT "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  exit 0
fi

cat > "$dir/userlist.txt" <<'USERS'
"postgres" "postgres-pw"
"hearth_owner" "owner-pw"
"authenticator" "authenticator-pw"
USERS
cat > "$conf" <<CONF
[databases]
* = host=127.0.0.1 port=$pg_port

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir =
auth_type = scram-sha-256
auth_file = $dir/userlist.txt
pool_mode = transaction
max_client_conn = 1000
default_pool_size = 20
max_db_connections = 60
server_reset_query =
; While PostgreSQL is down PgBouncer 1.18 holds queries (120 s by default): fail them after 3 s so clients
; (Hearth answers 503) learn of the outage, and retry the server login every second to recover quickly.
query_wait_timeout = 3
server_login_retry = 1
ignore_startup_parameters = extra_float_digits
logfile = $dir/pgbouncer.log
pidfile = $pidfile
CONF
[ "$(id -u)" = 0 ] && chown postgres: "$conf" "$dir/userlist.txt"
chmod 600 "$dir/userlist.txt"
if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
  kill -HUP "$(cat "$pidfile")"  # running: reload the configuration
else
  as_pg pgbouncer -d "$conf"
fi
for _ in $(seq 1 50); do (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null && break; sleep 0.1; done
echo "PgBouncer $(pgbouncer --version | head -1 | awk '{print $2}') (transaction pooling) on 127.0.0.1:$port"
