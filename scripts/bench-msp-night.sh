#!/usr/bin/env bash
# The MSP-night benchmark (on demand, never in CI): docs/performance.md, section "MSP night".
#
#   scripts/bench-msp-night.sh [--ref GIT-REV] [--update-docs]
#
# A nightly backup of an MSP's fleet: BENCH_TENANTS (100) tenants × BENCH_POLICIES (300) policies spread over every policy
# family the emulator seeds, each tenant with a backup schedule of every policy family the app's registry knows. Builds
# the app, the Graph emulator and bench/TenantAtlas.Benchmarks in Release; starts its OWN durable PostgreSQL in a temp dir
# and the emulator as a separate process holding only the generated tenants (GraphEmulator:GeneratedTenants), each with
# Intune's documented limits (1,000 calls and 100 writes per 20 s) and BENCH_LATENCY_MS (80-200) of latency on every Graph
# round trip; migrates, seeds the demo accounts (no history, no demo schedules) and the fleet (`seed-bench-tenants`:
# workspace "MSP bench"); starts the app (--role all, environment Demo, default Graph and Hangfire settings). Then
# `TenantAtlas.Benchmarks msp-night` starts every tenant's backup at once through the runs API (backup_schedule.run_now of
# its schedule), waits for all, samples the RSS of the app and the emulator, and reads the emulator's request log.
# Prints wall time, the throttle-limited optimum and their ratio (target ≥ 0.7), runs succeeded/failed, 429s and peak
# memory; with --update-docs also writes them into docs/performance.md between the msp-night-bench markers.
#
# Knobs (environment): BENCH_TENANTS (100), BENCH_POLICIES (300 per tenant), BENCH_LATENCY_MS (80-200; "none" for
# loopback), BENCH_REQUEST_LIMIT (1000) and BENCH_WRITE_LIMIT (100) per 20 s, BENCH_KEEP=1 keeps the temp dir;
# Hangfire__WorkerCount, Graph__MaxConcurrentRequestsPerTenant and other app settings pass through to the app (and into
# the optimum).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. scripts/lib.sh

ta_bench_options "scripts/bench-msp-night.sh [--ref GIT-REV] [--update-docs]" "$@"
tenants=${BENCH_TENANTS:-100}
policies=${BENCH_POLICIES:-300}
export BENCH_LATENCY_MS=${BENCH_LATENCY_MS:-80-200}
request_limit=${BENCH_REQUEST_LIMIT:-1000}
write_limit=${BENCH_WRITE_LIMIT:-100}
# The app's own defaults (src/TenantAtlas.Web/Platform/HostComposition.cs, src/TenantAtlas.Graph/README.md), unless overridden.
cores=$(nproc)
workers=${Hangfire__WorkerCount:-$((cores * 5 < 20 ? cores * 5 : 20))}
in_flight=${Graph__MaxConcurrentRequestsPerTenant:-4}
ta_bench_begin tenantatlas-bench-msp-night "database stopped; logs in app.log, emulator.log"

ta_bench_source "$ref" "the app and the emulator"
ta_bench_build 900 "$app_dir"
ta_bench_build 900 "$src_root/src/TenantAtlas.GraphEmulator"
ta_log "Building the benchmark (Release)"
ta_bench_build 900 bench/TenantAtlas.Benchmarks
bench_dll="$root/bench/TenantAtlas.Benchmarks/bin/Release/net10.0/TenantAtlas.Benchmarks.dll"

ta_bench_pg_start
ta_bench_app_db

# An empty content root: the emulator holds only the fleet, not the demo's tenants of its appsettings.json.
mkdir -p "$work/emulator-root"
ta_bench_emulator_start "$tenants generated tenants × $policies policies, Intune's limits ($request_limit calls, $write_limit writes per 20 s)" \
  --contentRoot "$work/emulator-root" --GraphEmulator:MaxRequestLogEntries=$((tenants * 2000 + 10000)) \
  --GraphEmulator:GeneratedTenants:Count="$tenants" \
  --GraphEmulator:GeneratedTenants:Template:Policies="$policies" --GraphEmulator:GeneratedTenants:Template:Groups=30 \
  --GraphEmulator:GeneratedTenants:Template:RequestLimit="$request_limit" --GraphEmulator:GeneratedTenants:Template:WriteLimit="$write_limit" \
  --GraphEmulator:GeneratedTenants:Template:LimitWindowSeconds=20

export ASPNETCORE_ENVIRONMENT=Demo Demo__History=false Demo__BackupSchedules=false Logging__LogLevel__Default=Warning

ta_log "Migrating and seeding the demo accounts and the fleet ($tenants tenants)"
ta_bench_migrate_and_seed
(cd "$app_dir" && timeout 600 dotnet "$app_dll" seed-bench-tenants --count "$tenants" >"$work/seed-bench.log" 2>&1) || { cat "$work/seed-bench.log" >&2; exit 1; }
token=$(ta_bench_token)
ta_bench_app_start
sleep 2

ta_log "Measuring"
settings="app: $measured, Release, --role all, environment Demo, $workers Hangfire workers, $in_flight Graph requests in flight per tenant, budget ${Graph__Budget__Requests:-900} calls per 20 s; emulator in its own process: $tenants tenants × $policies policies, latency $latency per Graph round trip, Intune's limits $request_limit calls / $write_limit writes per 20 s per tenant"
status=0
timeout 7800 dotnet "$bench_dll" msp-night --base-url "$base_url" --db "$TENANTATLAS_DB" --token "$token" --pid "$app_pid" \
  --emulator-pid "$emulator_pid" --emulator "$emulator_url" --latency "$latency" --request-limit "$request_limit" --window 20 \
  --workers "$workers" --in-flight "$in_flight" --markdown "$work/results.md" \
  --command "BENCH_TENANTS=$tenants BENCH_POLICIES=$policies BENCH_LATENCY_MS=$latency scripts/bench-msp-night.sh${ref:+ --ref $ref}" \
  --settings "$settings" || status=$?

ta_bench_keep msp-night results.md
if [ "$update_docs" = 1 ] && [ -f "$work/results.md" ]; then ta_bench_update_docs msp-night-bench; fi

exit $status
