#!/usr/bin/env bash
# OpenAPI job: serves ./schema with Hearth and validates GET / (OpenAPI 2.0) and GET /openapi.json
# (OpenAPI 3.1) with @seriousme/openapi-schema-validator (pinned in package-lock.json), for several roles
# and profiles (openapi.test.mjs). Ends with one line "N passed, N failed, N skipped".
#   HEARTH_BIN=artifacts/hearth bash tests/openapi/run.sh
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
job=openapi
package=@seriousme/openapi-schema-validator
secret=openapi-job-secret-of-at-least-32-characters
hearth_env=(HEARTH_JWT_SECRET="$secret")
hearth_args=(--migrations "$here/schema" --schemas public,other)
node_env=(HEARTH_TEST_JWT_SECRET="$secret")

# shellcheck source=../lib/node-job.sh
source "$here/../lib/node-job.sh"
node_job "$@"
