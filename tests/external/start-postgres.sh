#!/usr/bin/env bash
# Starts a PostgreSQL server of its own for the external-database tests and bench: Debian's
# postgresql-15 (or PG_BIN), a fresh cluster in $HEARTH_EXT_DIR, listening on 127.0.0.1 only. Not the
# embedded server, not a system service. Run as root it runs PostgreSQL as the `postgres` account.
#   bash tests/external/start-postgres.sh [start|stop|restart|status]
# Roles it creates (the least-privilege setup the README documents):
#   postgres (superuser, for the tests' own checks), hearth_owner (LOGIN CREATEROLE, owns the databases:
#   --admin-database-url), authenticator (LOGIN NOINHERIT, member of anon/authenticated/service_role:
#   --database-url), and the API roles anon, authenticated, service_role (NOLOGIN).
set -euo pipefail
dir=${HEARTH_EXT_DIR:-/tmp/hearth-external}
port=${HEARTH_EXT_PG_PORT:-5515}
bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
data=$dir/pg
log=$dir/postgres.log

[ -x "$bin/pg_ctl" ] || { echo "start-postgres: no $bin/pg_ctl (apt-get install postgresql-15, or set PG_BIN)" >&2; exit 1; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "${1:-start}" in
  stop) [ -f "$data/postmaster.pid" ] && as_pg "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null; exit 0 ;;
  status) as_pg "$bin/pg_ctl" -D "$data" status; exit ;;
  restart) as_pg "$bin/pg_ctl" -D "$data" -m fast -w -l "$log" restart >/dev/null; exit 0 ;;
  start) ;;
  *) echo "usage: $0 [start|stop|restart|status]" >&2; exit 2 ;;
esac

mkdir -p "$dir"
[ "$(id -u)" = 0 ] && chown postgres: "$dir"
if [ ! -f "$data/PG_VERSION" ]; then
  as_pg "$bin/initdb" -D "$data" -U postgres --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
  cat >> "$data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
max_connections = 200
wal_level = logical
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
fi
if ! as_pg "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
  as_pg "$bin/pg_ctl" -D "$data" -l "$log" -w -t 60 start >/dev/null
fi

as_pg "$bin/psql" -X -q -h "$dir" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 < "$(dirname "$0")/roles.sql"
echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (data $data)"
