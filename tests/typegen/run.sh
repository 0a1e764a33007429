#!/usr/bin/env bash
# Type-check job for `hearth gen types typescript`: generates the types of ./migrations with Hearth, then
# type-checks programs/good.ts (must compile) and programs/bad.ts (must fail, on exactly the lines marked
# "expect error") with the pinned TypeScript and @supabase/supabase-js from package-lock.json.
# Ends with one line "N passed, N failed, N skipped".
#   HEARTH_BIN=artifacts/hearth bash tests/typegen/run.sh
#   HEARTH_BIN="dotnet src/Hearth/bin/Debug/net10.0/hearth.dll" bash tests/typegen/run.sh
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
summary() { echo "$1 passed, $2 failed, 0 skipped"; }

if [ -z "${HEARTH_BIN:-}" ]; then
  if [ -x "$repo/artifacts/hearth" ]; then HEARTH_BIN="$repo/artifacts/hearth"
  else HEARTH_BIN="dotnet $repo/src/Hearth/bin/Debug/net10.0/hearth.dll"; fi
fi
read -r -a hearth_cmd <<< "$HEARTH_BIN"

if ! (cd "$here" && npm ci --no-audit --no-fund --loglevel=error >/dev/null 2>&1); then
  echo "typegen: npm ci failed" >&2; summary 0 1; exit 1
fi

work=$(mktemp -d)
chmod 755 "$work"  # as root, Hearth runs PostgreSQL as an unprivileged user that must traverse it
trap 'rm -rf "$work"' EXIT
mkdir -p "$here/generated"
if ! "${hearth_cmd[@]}" gen types typescript --data-dir "$work/data" --migrations "$here/migrations" >"$here/generated/database.types.ts" 2>"$work/gen.err"; then
  echo "typegen: hearth gen types typescript failed:" >&2; cat "$work/gen.err" >&2; summary 0 1; exit 1
fi

passed=0; failed=0

# good.ts: compiles without errors.
if (cd "$here" && node_modules/.bin/tsc --strict --noEmit --target ES2022 --module ESNext --moduleResolution Bundler --skipLibCheck programs/good.ts); then
  echo "ok - programs/good.ts compiles"; passed=$((passed + 1))
else
  echo "not ok - programs/good.ts does not compile"; failed=$((failed + 1))
fi

# bad.ts: fails, with an error on every marked line and on no other line.
out=$(cd "$here" && node_modules/.bin/tsc --strict --noEmit --target ES2022 --module ESNext --moduleResolution Bundler --skipLibCheck programs/bad.ts 2>&1)
code=$?
expected=$(grep -n '// expect error:' "$here/programs/bad.ts" | cut -d: -f1 | sort -n | uniq | tr '\n' ' ')
actual=$(printf '%s\n' "$out" | sed -n 's/^programs\/bad\.ts(\([0-9]*\),.*/\1/p' | sort -n | uniq | tr '\n' ' ')
if [ "$code" -ne 0 ] && [ "$expected" = "$actual" ]; then
  echo "ok - programs/bad.ts fails on exactly the marked lines ($expected)"; passed=$((passed + 1))
else
  echo "not ok - programs/bad.ts: expected errors on lines [$expected], got [$actual] (tsc exit $code)"
  printf '%s\n' "$out"; failed=$((failed + 1))
fi
summary "$passed" "$failed"
[ "$failed" -eq 0 ]
