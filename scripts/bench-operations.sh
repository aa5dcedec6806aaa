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

ta_bench_options "scripts/bench-operations.sh [--ref GIT-REV] [--update-docs]" "$@"
runs=${BENCH_RUNS:-1000000}
iterations=${BENCH_ITERATIONS:-1000}
warmup=${BENCH_WARMUP:-200}
concurrency=${BENCH_CONCURRENCY:-200}
rounds=${BENCH_DEDUPE_ROUNDS:-5}
ta_bench_begin tenantatlas-bench "database stopped; logs in app.log, seed.log"

seconds() { echo $(( $(date +%s) - $1 )); }

ta_bench_source "$ref" "the app"
ta_bench_build 600 "$app_dir"
ta_log "Building the benchmark (Release)"
ta_bench_build 600 bench/TenantAtlas.Benchmarks
bench_dll="$root/bench/TenantAtlas.Benchmarks/bin/Release/net10.0/TenantAtlas.Benchmarks.dll"

ta_bench_pg_start
ta_bench_app_db
export ASPNETCORE_ENVIRONMENT=Demo Demo__History=false
# Loopback only: the demo tenants (like the seeded ones) point Graph and the authority at a closed local port, so a job
# that runs during the benchmark fails locally instead of calling Microsoft.
export Demo__GraphBaseUrl=http://127.0.0.1:9/ Demo__AuthorityHost=http://127.0.0.1:9/

ta_log "Migrating and seeding the demo accounts"
ta_bench_migrate_and_seed

ta_log "Seeding $runs runs over 50 workspaces / 500 tenants"
seed_start=$(date +%s)
ta_bench_psql -d tenantatlas -v runs="$runs" -f bench/TenantAtlas.Benchmarks/seed-operations.sql >"$work/seed.log" 2>&1 || { cat "$work/seed.log" >&2; exit 1; }
seed_seconds=$(seconds "$seed_start")
ta_log "Seeded in ${seed_seconds} s ($(grep -E '^Time:' "$work/seed.log" | sort -t: -k2 -n | tail -n 1 | tr -s ' '), the longest statement)"

token=$(ta_bench_token)
ta_bench_app_start

ta_log "Measuring"
settings="app: $measured, Release, --role all, environment Demo; $runs runs seeded in ${seed_seconds} s"
status=0
timeout 1800 dotnet "$bench_dll" --base-url "$base_url" --db "$TENANTATLAS_DB" --token "$token" \
  --iterations "$iterations" --warmup "$warmup" --concurrency "$concurrency" --dedupe-rounds "$rounds" \
  --markdown "$work/results.md" --explain "$work/plans.md" \
  --command "scripts/bench-operations.sh${ref:+ --ref $ref}" --settings "$settings" || status=$?

ta_bench_keep operations results.md plans.md
ta_log "Results and query plans: artifacts/bench/operations-$stamp-*.md"
if [ "$update_docs" = 1 ] && [ -f "$work/results.md" ]; then ta_bench_update_docs operations-bench; fi

exit $status
