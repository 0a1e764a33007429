#!/usr/bin/env bash
# postgrest-js compatibility job: starts Hearth on a fresh data dir with ./schema as migrations, runs
# compat.test.mjs (the real @supabase/postgrest-js client, pinned in package-lock.json) against it,
# stops Hearth, and ends with one line "N passed, N failed, N skipped". Exit code: node's.
#
#   HEARTH_BIN=artifacts/hearth bash tests/postgrest-js/run.sh
#   HEARTH_BIN="dotnet src/Hearth/bin/Debug/net10.0/hearth.dll" bash tests/postgrest-js/run.sh
#
# HEARTH_BIN is a command string, split on whitespace. Without it, artifacts/hearth or the Debug build
# is used if present (nothing is built here). Extra arguments are passed to `node --test`, e.g.
#   bash tests/postgrest-js/run.sh --test-name-pattern='^eq$'
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
job=postgrest-js
package=@supabase/postgrest-js
# The secret the auth tests sign their tokens with (a test value, not a credential).
jwt_secret=postgrest-js-compat-secret-0123456789abcdef
hearth_env=(HEARTH_JWT_SECRET="$jwt_secret")
hearth_args=(--migrations "$here/schema" --db-aggregates-enabled)
node_env=(HEARTH_JWT_SECRET="$jwt_secret")

# shellcheck source=../lib/node-job.sh
source "$here/../lib/node-job.sh"
node_job "$@"
