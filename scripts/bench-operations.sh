#!/usr/bin/env bash
# The operations benchmark (on demand, never in CI): docs/performance.md, section "Operations".
#
#   scripts/bench-operations.sh [--ref GIT-REV] [--update-docs]
#
# --ref measures the app as committed at GIT-REV (exported with git archive into the temp dir and built there), so a
# work tree in the middle of an edit neither breaks nor colours the figures; without it the work tree is measured.
#
# Builds the app in Release, starts its OWN PostgreSQL in a temp dir (durable: fsync on, as in production), migrates,
# seeds the demo accounts (no demo history) and 1,000,000 runs over 50 workspaces / 500 tenants with one
# INSERT … SELECT (bench/TenantAtlas.Benchmarks/seed-operations.sql), starts the app (--role all, environment Demo) on a
# free 127.0.0.1 port, and runs bench/TenantAtlas.Benchmarks against it over loopback. Prints the figures; with
# --update-docs also writes them into docs/performance.md between the operations-bench markers. Stops the app and the
# database at the end, whatever happens.
#
# Knobs (environment): BENCH_RUNS (1000000), BENCH_ITERATIONS (1000), BENCH_WARMUP (200), BENCH_CONCURRENCY (200),
# BENCH_DEDUPE_ROUNDS (5), BENCH_KEEP=1 keeps the temp dir (database, logs) for inspection.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. scripts/lib.sh

update_docs=0
ref=""
while [ $# -gt 0 ]; do
  case "$1" in
    --update-docs) update_docs=1 ;;
    --ref) ref=${2:?--ref needs a git revision}; shift ;;
    *) echo "usage: scripts/bench-operations.sh [--ref GIT-REV] [--update-docs]" >&2; exit 2 ;;
  esac
  shift
done

runs=${BENCH_RUNS:-1000000}
iterations=${BENCH_ITERATIONS:-1000}
warmup=${BENCH_WARMUP:-200}
concurrency=${BENCH_CONCURRENCY:-200}
rounds=${BENCH_DEDUPE_ROUNDS:-5}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

work=$(mktemp -d /tmp/tenantatlas-bench.XXXXXX)
chmod 755 "$work"
app_pid=""
cleanup() {
  local status=$?
  if [ -n "$app_pid" ] && kill -0 "$app_pid" 2>/dev/null; then
    kill "$app_pid" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$app_pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$app_pid" 2>/dev/null || true
  fi
  ta_pg_stop "$work/pg"
  if [ "${BENCH_KEEP:-0}" = 1 ]; then
    ta_log "Kept $work (database stopped; logs in app.log, seed.log)"
  else
    rm -rf "$work"
  fi
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

seconds() { echo $(( $(date +%s) - $1 )); }

build() { timeout 600 dotnet build "$1" -c Release -v quiet -nologo >"$work/build.log" 2>&1 || { grep -E 'error' "$work/build.log" | sort -u >&2; exit 1; }; }
if [ -n "$ref" ]; then
  commit=$(git rev-parse --verify "$ref^{commit}")
  ta_log "Building the app as committed at ${commit:0:12} (Release, in $work/src)"
  mkdir -p "$work/src"
  git archive "$commit" | tar -x -C "$work/src"
  build "$work/src/src/TenantAtlas.Web"
  app_dir="$work/src/src/TenantAtlas.Web"
  measured="commit ${commit:0:12}"
else
  ta_log "Building the app from the work tree (Release)"
  build src/TenantAtlas.Web
  app_dir="$root/src/TenantAtlas.Web"
  measured="work tree at $(git rev-parse --short=12 HEAD)$(git diff --quiet HEAD -- src 2>/dev/null || echo ' + uncommitted changes')"
fi
ta_log "Building the benchmark (Release)"
build bench/TenantAtlas.Benchmarks
app_dll="$app_dir/bin/Release/net10.0/TenantAtlas.Web.dll"
bench_dll="$root/bench/TenantAtlas.Benchmarks/bin/Release/net10.0/TenantAtlas.Benchmarks.dll"

pg_port=$(ta_free_port)
pg_password=$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
ta_pg_start "$work/pg" "$pg_port" "$pg_password" durable
pg_bin=$(ta_pg_bin)
psql_bench() { PGPASSWORD="$pg_password" timeout 900 "$pg_bin/psql" -X -q -h 127.0.0.1 -p "$pg_port" -U postgres "$@"; }
psql_bench -d postgres -c "CREATE DATABASE tenantatlas"
export TENANTATLAS_DB="Host=127.0.0.1;Port=$pg_port;Username=postgres;Password=$pg_password;Database=tenantatlas"
export ASPNETCORE_ENVIRONMENT=Demo Demo__History=false
# Loopback only: the demo tenants (like the seeded ones) point Graph and the authority at a closed local port, so a job
# that runs during the benchmark fails locally instead of calling Microsoft.
export Demo__GraphBaseUrl=http://127.0.0.1:9/ Demo__AuthorityHost=http://127.0.0.1:9/

ta_log "Migrating and seeding the demo accounts"
(cd "$app_dir" && timeout 300 dotnet "$app_dll" migrate >"$work/migrate.log" 2>&1) || { cat "$work/migrate.log" >&2; exit 1; }
(cd "$app_dir" && timeout 300 dotnet "$app_dll" seed-demo >"$work/seed-demo.log" 2>&1) || { cat "$work/seed-demo.log" >&2; exit 1; }

ta_log "Seeding $runs runs over 50 workspaces / 500 tenants"
seed_start=$(date +%s)
psql_bench -d tenantatlas -v runs="$runs" -f bench/TenantAtlas.Benchmarks/seed-operations.sql >"$work/seed.log" 2>&1 || { cat "$work/seed.log" >&2; exit 1; }
seed_seconds=$(seconds "$seed_start")
ta_log "Seeded in ${seed_seconds} s ($(grep -E '^Time:' "$work/seed.log" | sort -t: -k2 -n | tail -n 1 | tr -s ' '), the longest statement)"

token=$(cd "$app_dir" && timeout 120 dotnet "$app_dll" tokens create --user owner@demo.test --expires 1 --name bench 2>/dev/null)

app_port=$(ta_free_port)
while [ "$app_port" = "$pg_port" ]; do app_port=$(ta_free_port); done
base_url="http://127.0.0.1:$app_port"
ta_log "Starting the app on $base_url (--role all, environment Demo)"
(cd "$app_dir" && exec dotnet "$app_dll" --urls "$base_url" --role all) >"$work/app.log" 2>&1 &
app_pid=$!
for _ in $(seq 1 120); do
  if curl -fsS -o /dev/null "$base_url/healthz" 2>/dev/null; then break; fi
  if ! kill -0 "$app_pid" 2>/dev/null; then cat "$work/app.log" >&2; exit 1; fi
  sleep 0.5
done
curl -fsS -o /dev/null "$base_url/healthz" || { ta_log "The app did not answer /healthz within 60 s"; cat "$work/app.log" >&2; exit 1; }

ta_log "Measuring"
settings="app: $measured, Release, --role all, environment Demo; $runs runs seeded in ${seed_seconds} s"
status=0
timeout 1800 dotnet "$bench_dll" --base-url "$base_url" --db "$TENANTATLAS_DB" --token "$token" \
  --iterations "$iterations" --warmup "$warmup" --concurrency "$concurrency" --dedupe-rounds "$rounds" \
  --markdown "$work/results.md" --explain "$work/plans.md" \
  --command "scripts/bench-operations.sh${ref:+ --ref $ref}" --settings "$settings" || status=$?

mkdir -p artifacts/bench
stamp=$(date -u +%Y%m%dT%H%M%SZ)
for f in results.md plans.md; do [ -f "$work/$f" ] && cp "$work/$f" "artifacts/bench/operations-$stamp-$f"; done
cp "$work/app.log" "artifacts/bench/operations-$stamp-app.log" 2>/dev/null || true
ta_log "Results and query plans: artifacts/bench/operations-$stamp-*.md"

if [ "$update_docs" = 1 ] && [ -f "$work/results.md" ]; then
  doc=docs/performance.md
  if grep -q '<!-- operations-bench:begin -->' "$doc" && grep -q '<!-- operations-bench:end -->' "$doc"; then
    awk -v results="$work/results.md" '
      /<!-- operations-bench:begin -->/ { print; while ((getline line < results) > 0) print line; skip = 1; next }
      /<!-- operations-bench:end -->/ { skip = 0 }
      !skip { print }
    ' "$doc" >"$work/performance.md" && cat "$work/performance.md" >"$doc"
    ta_log "Updated $doc"
  else
    ta_log "$doc has no operations-bench markers: not updated"
  fi
fi

exit $status
