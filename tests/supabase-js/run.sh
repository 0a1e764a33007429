#!/usr/bin/env bash
# supabase-js compatibility job: serves ./project (a Supabase CLI project) with `hearth serve --supabase`, runs
# compat.test.mjs (the real @supabase/supabase-js client and ws, pinned in package-lock.json) against it,
# stops Hearth, and ends with one line "N passed, N failed, N skipped". Exit code: node's.
#
#   HEARTH_BIN=artifacts/hearth bash tests/supabase-js/run.sh
#   HEARTH_BIN="dotnet src/Hearth/bin/Debug/net10.0/hearth.dll" bash tests/supabase-js/run.sh
#
# HEARTH_BIN is a command string, split on whitespace. Without it, artifacts/hearth or the Debug build
# is used if present (nothing is built here). Extra arguments are passed to `node --test`, e.g.
#   bash tests/supabase-js/run.sh --test-name-pattern='sign'
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
job=supabase-js
package=@supabase/supabase-js
# --supabase without a secret uses the Supabase CLI's local-development secret, so the well-known local
# anon key works, as after `supabase start`.
hearth_env=()
hearth_args=(--supabase "$here/project")
node_env=()

# shellcheck source=../lib/node-job.sh
source "$here/../lib/node-job.sh"
node_job "$@"
