# Sourced by the bench scripts: building, tools, and Hearth plus the hand-written baseline (bench/Baseline)
# serving one embedded PostgreSQL. The including script sets NAME (for messages) and calls, in order:
#   bench_build; bench_tools wrk openssl; bench_workdir; start_hearth MIGRATIONS-DIR [serve args]; start_baseline
# Afterwards: HEARTH_PID HEARTH_URL BASELINE_PID BASELINE_URL DATA SOCKET_DIR WORK; everything started is
# stopped (and WORK removed) on exit. Knobs: HEARTH (binary, default artifacts/hearth), REBUILD=1.
# Scripts that measure Hearth alone (auth.sh, storage.sh) call bench_hearth_alone instead of the first three.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HEARTH=${HEARTH:-$ROOT/artifacts/hearth}
BASELINE_DIR=$ROOT/bench/Baseline
BASELINE=$BASELINE_DIR/out/baseline
BENCH_JWT_SECRET=bench-secret-bench-secret-bench-secret-0123
HEARTH_PID= BASELINE_PID= WRK_PID= TCPDUMP_PID= WORK=
BENCH_WRAPPER=() # a command both servers run under (bench/instructions.sh: valgrind); their PIDs are the wrapper's

log() { printf '%s\n' "$*" >&2; }
die() { log "${NAME:-bench}: $*"; exit 1; }

bench_build() { # publishes Hearth (only the default path) and the baseline when missing, outdated or REBUILD=1
  if [[ ! -x $HEARTH || ${REBUILD:-0} == 1 ]]; then
    [[ $HEARTH == "$ROOT/artifacts/hearth" ]] || die "$HEARTH not found"
    log "Publishing Hearth (Native AOT) into artifacts/ ..."
    dotnet publish "$ROOT/src/Hearth" -c Release -r linux-x64 -o "$ROOT/artifacts" -nologo -v quiet >&2
  fi
  if [[ $HEARTH == "$ROOT/artifacts/hearth" && -n $(find "$ROOT/src/Hearth" -path '*/bin' -prune -o -path '*/obj' -prune -o \( -name '*.cs' -o -name '*.csproj' \) -newer "$HEARTH" -print -quit) ]]; then
    log "Warning: artifacts/hearth is older than the sources in src/Hearth; REBUILD=1 publishes it again."
  fi
  if [[ ! -x $BASELINE || ${REBUILD:-0} == 1 || -n $(find "$BASELINE_DIR" -maxdepth 1 \( -name '*.cs' -o -name '*.csproj' \) -newer "$BASELINE") ]]; then
    log "Publishing the baseline (Native AOT) into bench/Baseline/out/ ..."
    dotnet publish "$BASELINE_DIR" -c Release -r linux-x64 -o "$BASELINE_DIR/out" -nologo -v quiet >&2
  fi
}

bench_hearth_alone() { # scripts that measure Hearth alone (auth.sh, storage.sh): an existing HEARTH, tools, WORK
  [[ -x $HEARTH ]] || die "$HEARTH not found: bash .ci/publish linux-x64 (or REBUILD=1 bench/throughput.sh)"
  bench_tools wrk openssl curl
  bench_workdir
}

bench_tools() { # tool... : installs the missing ones with apt-get (as root)
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null && continue
    [[ $(id -u) == 0 ]] || die "$tool is missing: install it (apt-get install $tool) or run as root"
    log "Installing $tool ..."
    apt-get install -y "$tool" >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y "$tool" >/dev/null; }
  done
}

stop() { # pid: SIGTERM, then wait up to 30 s, then SIGKILL
  local pid=$1 i
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 300; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

bench_cleanup() {
  local rc=$?
  set +e; trap '' PIPE # finish cleaning up even if whoever reads our output has gone away
  [[ -n $WRK_PID ]] && stop "$WRK_PID"
  [[ -n $TCPDUMP_PID ]] && stop "$TCPDUMP_PID"
  [[ -n $BASELINE_PID ]] && stop "$BASELINE_PID"
  [[ -n $HEARTH_PID ]] && stop "$HEARTH_PID"   # Hearth stops its PostgreSQL on SIGTERM
  if [[ $rc != 0 && $rc != 130 && -n $WORK ]]; then
    [[ -s $WORK/hearth.err ]] && { log "--- hearth stderr (tail) ---"; tail -n 20 "$WORK/hearth.err" >&2; }
    [[ -s $WORK/baseline.out ]] && { log "--- baseline output (tail) ---"; tail -n 20 "$WORK/baseline.out" >&2; }
  fi
  [[ -n $WORK ]] && rm -rf "$WORK"
  exit "$rc"
}

bench_workdir() { # WORK (removed on exit; under WORK_DIR when set), with DATA and MIGRATIONS in it
  WORK=$(mktemp -d ${WORK_DIR:+-p "$WORK_DIR"})
  chmod 755 "$WORK" # as root Hearth runs PostgreSQL as an unprivileged account, which must traverse this
  DATA=$WORK/data
  MIGRATIONS=$WORK/migrations
  mkdir -p "$DATA" "$MIGRATIONS"
  chmod 755 "$DATA"
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
  trap 'exit 141' PIPE
}

bench_items_table() { # file: the migration of the read benchmarks' table (10,000 rows, readable by anon and authenticated)
  cat > "$1" <<'SQL'
create table public.items (id int primary key, name text, price numeric);
insert into public.items (id, name, price)
select g, 'item ' || g, round((g % 1000) + 0.99, 2) from generate_series(1, 10000) as g;
analyze public.items;
grant select on public.items to anon, authenticated;
SQL
}

bench_jwt() { # claims-json -> an HS256 token signed with BENCH_JWT_SECRET
  local input
  b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
  input=$(printf '{"alg":"HS256","typ":"JWT"}' | b64url).$(printf '%s' "$1" | b64url)
  printf '%s.%s\n' "$input" "$(printf %s "$input" | openssl dgst -sha256 -hmac "$BENCH_JWT_SECRET" -binary | b64url)"
}

wait_url() { # output-file sed-expression pid seconds name -> the URL the process printed (no trailing /)
  local url i
  for ((i = 0; i < $4 * 10; i++)); do
    url=$(sed -n "$2" "$1" | head -n 1)
    [[ -n $url ]] && { printf '%s\n' "${url%/}"; return 0; }
    kill -0 "$3" 2>/dev/null || die "$5 exited before it was ready"
    sleep 0.1
  done
  die "$5 was not ready within $4 s"
}

start_hearth() { # migrations-dir [serve args...] -> HEARTH_PID, HEARTH_URL, SOCKET_DIR
  local migrations=$1; shift
  log "Starting Hearth ($HEARTH) ..."
  touch "$WORK/hearth.out" # a background job opens its redirections asynchronously
  HEARTH_JWT_SECRET=$BENCH_JWT_SECRET "${BENCH_WRAPPER[@]}" "$HEARTH" serve --data-dir "$DATA" --migrations "$migrations" --port 0 "$@" >"$WORK/hearth.out" 2>"$WORK/hearth.err" &
  HEARTH_PID=$!
  HEARTH_URL=$(wait_url "$WORK/hearth.out" 's/^Hearth listening on \(http:[^ ]*\).*/\1/p' "$HEARTH_PID" 120 Hearth)
  # The same private socket Hearth uses: <data-dir>/run, or /tmp/hearth-<hash> when that path is too long
  # for a Unix socket (see src/Hearth/Hosting/DataDirLayout.cs).
  SOCKET_DIR=$DATA/run
  local lock_suffix=/.s.PGSQL.5432.lock temp_root=${TMPDIR:-/tmp}
  if (( ${#SOCKET_DIR} + ${#lock_suffix} >= 100 )); then
    SOCKET_DIR=${temp_root%/}/hearth-$(printf %s "$DATA" | sha256sum | cut -c1-16)
  fi
  [[ -S $SOCKET_DIR/.s.PGSQL.5432 ]] || die "no PostgreSQL socket in $SOCKET_DIR"
}

start_baseline() { # -> BASELINE_PID, BASELINE_URL (connected as postgres to Hearth's PostgreSQL)
  log "Starting the baseline ($BASELINE) ..."
  touch "$WORK/baseline.out"
  BASELINE_DB="Host=$SOCKET_DIR;Port=5432;Username=postgres;Database=postgres" \
    "${BENCH_WRAPPER[@]}" "$BASELINE" --urls http://127.0.0.1:0 >"$WORK/baseline.out" 2>&1 &
  BASELINE_PID=$!
  BASELINE_URL=$(wait_url "$WORK/baseline.out" 's/.*Now listening on: \(http:[^ ]*\).*/\1/p' "$BASELINE_PID" $((${#BENCH_WRAPPER[@]} > 0 ? 120 : 30)) "the baseline")
}

# wrk's own HdrHistogram, printed by a Lua done() hook: the tail of every run (µs). Include with -s.
bench_wrk_script() { # file [method] [body] [header lines...] -> a wrk Lua script that sends that request
  local file=$1 method=${2:-GET} body=${3:-} h
  {
    printf 'wrk.method = "%s"\n' "$method"
    [[ -n $body ]] && printf 'wrk.body = [=[%s]=]\n' "$body"
    shift 3 2>/dev/null || shift $#
    for h in "$@"; do printf 'wrk.headers["%s"] = [=[%s]=]\n' "${h%%: *}" "${h#*: }"; done
    cat <<'LUA'
function done(summary, latency, requests)
  io.stderr:write(string.format("LATENCY %d %d %d %d %d\n", latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency:percentile(99.9), latency.max))
end
LUA
  } >"$file"
}
