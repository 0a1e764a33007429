# Shared by the client-library jobs (tests/postgrest-js, tests/supabase-js), sourced by their run.sh:
# installs the pinned npm packages, starts Hearth on a fresh data dir, runs every *.test.mjs in the job's folder with node's test
# runner against it, stops Hearth (and any PostgreSQL it left), and ends with one line
# "N passed, N failed, N skipped". Exit code: node's.
#
# The caller sets, then calls `node_job "$@"` (its arguments go to `node --test`):
#   job          a name for messages              package     the npm package named in the banner
#   here         the job's folder                 hearth_env  environment for Hearth (array, may be empty)
#   hearth_args  `serve` arguments (array)         node_env    environment for the tests (array, may be empty)
# HEARTH_BIN is a command string, split on whitespace. Without it, artifacts/hearth or the Debug build is
# used if present (nothing is built here).

node_job() {
repo=$(cd "$here/../.." && pwd)

summary() { echo "$1 passed, $2 failed, $3 skipped"; }
fail_early() { echo "$job: $*" >&2; summary 0 1 0; exit 1; }

if [ -z "${HEARTH_BIN:-}" ]; then
  if [ -x "$repo/artifacts/hearth" ]; then
    HEARTH_BIN="$repo/artifacts/hearth"
  elif [ -f "$repo/src/Hearth/bin/Debug/net10.0/hearth.dll" ]; then
    HEARTH_BIN="dotnet $repo/src/Hearth/bin/Debug/net10.0/hearth.dll"
  else
    fail_early "set HEARTH_BIN to the Hearth command (e.g. artifacts/hearth or \"dotnet path/hearth.dll\")"
  fi
fi
read -r -a hearth_cmd <<< "$HEARTH_BIN"
[ ${#hearth_cmd[@]} -gt 0 ] || fail_early "HEARTH_BIN is empty"

command -v node >/dev/null && command -v npm >/dev/null || fail_early "node and npm are required"

# --- dependencies (exact versions from package-lock.json) ---------------------------------------------
npm_log=$(mktemp)
if ! (cd "$here" && npm ci --no-audit --no-fund --loglevel=error >"$npm_log" 2>&1); then
  cat "$npm_log" >&2
  rm -f "$npm_log"
  fail_early "npm ci failed"
fi
rm -f "$npm_log"

# --- start Hearth --------------------------------------------------------------------------------------
work=$(mktemp -d)
chmod 755 "$work"  # as root, Hearth runs PostgreSQL as an unprivileged user that must traverse it
hearth_pid=

stop_hearth() {
  [ -n "$hearth_pid" ] || return 0
  if kill -0 "$hearth_pid" 2>/dev/null; then
    kill -TERM "$hearth_pid" 2>/dev/null
    for _ in $(seq 1 300); do kill -0 "$hearth_pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$hearth_pid" 2>/dev/null; then
      echo "$job: Hearth did not stop within 30 s of SIGTERM; killing it" >&2
      kill -KILL "$hearth_pid" 2>/dev/null
    fi
  fi
  wait "$hearth_pid" 2>/dev/null
  hearth_pid=
  # If Hearth could not stop its PostgreSQL, stop that server (started by this run) before cleaning up.
  local pidfile pg_pid
  while IFS= read -r pidfile; do
    pg_pid=$(head -n 1 "$pidfile" 2>/dev/null)
    if [[ "$pg_pid" =~ ^[0-9]+$ ]] && kill -0 "$pg_pid" 2>/dev/null; then
      echo "$job: stopping leftover PostgreSQL (pid $pg_pid)" >&2
      kill -TERM "$pg_pid" 2>/dev/null
      for _ in $(seq 1 100); do kill -0 "$pg_pid" 2>/dev/null || break; sleep 0.1; done
    fi
  done < <(find "$work" -name postmaster.pid 2>/dev/null)
}

cleanup() {
  stop_hearth
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

env "${hearth_env[@]}" "${hearth_cmd[@]}" serve --data-dir "$work/data" --port 0 "${hearth_args[@]}" \
  >"$work/hearth.out" 2>"$work/hearth.err" </dev/null &
hearth_pid=$!

url=
for _ in $(seq 1 600); do  # 60 s
  url=$(sed -n 's|^Hearth listening on \(http://[^[:space:]]*\)[[:space:]]*$|\1|p' "$work/hearth.out" | head -n 1)
  [ -n "$url" ] && break
  kill -0 "$hearth_pid" 2>/dev/null || break
  sleep 0.1
done

if [ -z "$url" ]; then
  if kill -0 "$hearth_pid" 2>/dev/null; then
    echo "$job: Hearth did not report 'Hearth listening on ...' within 60 s" >&2
  else
    wait "$hearth_pid"; code=$?; hearth_pid=
    echo "$job: Hearth exited with code $code before it was ready" >&2
  fi
  echo "--- Hearth stdout ---" >&2; cat "$work/hearth.out" >&2
  echo "--- Hearth stderr ---" >&2; cat "$work/hearth.err" >&2
  summary 0 1 0
  exit 1
fi
echo "$job: Hearth is listening on $url ($(node --version), $package $(node -p "require('$here/node_modules/$package/package.json').version"))"

# --- run the tests -------------------------------------------------------------------------------------
# Human-readable spec output on stdout, TAP in a file for the summary.
tap="$work/results.tap"
(cd "$here" && env "${node_env[@]}" HEARTH_URL="$url" node --test --test-timeout=30000 \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$tap" \
  "$@" ./*.test.mjs)
code=$?

stop_hearth
if [ "$code" -ne 0 ] && grep -qE ' (fail|crit): ' "$work/hearth.err" 2>/dev/null; then
  echo "--- Hearth errors logged during the run (last 40) ---"
  grep -E ' (fail|crit): ' "$work/hearth.err" | tail -n 40
fi

count() { grep -E "^# $1 [0-9]+\$" "$tap" 2>/dev/null | tail -n 1 | grep -oE '[0-9]+' || echo 0; }
passed=$(count pass)
failed=$(( $(count fail) + $(count cancelled) ))
skipped=$(( $(count skipped) + $(count todo) ))
if [ "$code" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi  # node failed before/outside a test
summary "$passed" "$failed" "$skipped"
return "$code"
}
