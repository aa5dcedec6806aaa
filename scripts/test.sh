#!/usr/bin/env bash
# Runs every test: builds the solution, checks migrations are current, starts one throwaway PostgreSQL (unless
# TENANTATLAS_TEST_DB is set or a Docker engine answers) and Debian's Chromium for browser tests, then prints
# "N passed, N failed, N skipped" from the TRX results and exits non-zero on any failure.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. scripts/lib.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

ta_chromium
ta_pg_bin >/dev/null

if [ -z "${TENANTATLAS_TEST_DB:-}" ] && ! ta_docker_works; then
  pgdir=$(mktemp -d /tmp/tenantatlas-test-pg.XXXXXX)
  port=$(ta_free_port)
  password=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
  trap 'ta_pg_stop "$pgdir"; rm -rf "$pgdir"' EXIT
  ta_pg_start "$pgdir" "$port" "$password" throwaway
  export TENANTATLAS_TEST_DB="Host=127.0.0.1;Port=$port;Username=postgres;Password=$password;Database=postgres"
fi

ta_log "Building"
dotnet tool restore >/dev/null
dotnet build TenantAtlas.sln -c Release -nologo -v quiet

ta_log "Checking that every module's migrations match its model"
# Every module of the catalogue (src/modules.txt: "name kind" lines), then the host's own key ring.
specs=()
while read -r name _; do
  specs+=("$name:src/TenantAtlas.$name:")
done < <(grep -Ev '^[[:space:]]*(#|$)' src/modules.txt)
specs+=("Platform:src/TenantAtlas.Web:KeysDbContext")
for spec in "${specs[@]}"; do
  IFS=: read -r name project context <<<"$spec"
  args=(--project "$project" --startup-project "$project" --configuration Release --no-build)
  [ -n "$context" ] && args+=(--context "$context")
  if ! dotnet ef migrations has-pending-model-changes "${args[@]}" >/tmp/ta-ef-check.log 2>&1; then
    cat /tmp/ta-ef-check.log >&2
    ta_log "$name has model changes without a migration: add one with dotnet ef migrations add"
    exit 1
  fi
done

ta_log "Running tests"
rm -rf TestResults
set +e
dotnet test TenantAtlas.sln -c Release --no-build --logger "trx" --results-directory TestResults "$@"
status=$?
set -e

# The closing line CI reads, summed over every test assembly's TRX file.
passed=0 failed=0 skipped=0 files=0
for f in TestResults/*.trx; do
  [ -f "$f" ] || continue
  files=$((files + 1))
  counters=$(grep -o '<Counters [^>]*>' "$f" | head -n 1)
  get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
  # Skipped tests appear as results with outcome NotExecuted (the Counters element does not count them).
  skipped=$((skipped + $(grep -c 'outcome="NotExecuted"' "$f" || true)))
done
echo "$passed passed, $failed failed, $skipped skipped"
if [ "$files" = 0 ] || [ "$passed" = 0 ] || [ "$failed" != 0 ]; then status=1; fi
exit $status
