#!/usr/bin/env bash
# The inventory sync benchmark (on demand, never in CI): docs/performance.md, section "Inventory sync".
#
#   scripts/bench-inventory.sh [--ref GIT-REV] [--update-docs]
#
# Builds the app, the Graph emulator and bench/TenantAtlas.Benchmarks in Release; starts its OWN PostgreSQL in a temp
# dir (durable: fsync on) and the emulator as a separate process whose Contoso tenant holds BENCH_POLICIES (20,000)
# policies over the eight policy families; migrates and seeds the demo accounts and tenants (pointing at the emulator,
# no history, no backup schedules); starts the app (--role all, environment Demo) on a free 127.0.0.1 port; then
# `TenantAtlas.Benchmarks inventory` starts inventory.sync for Contoso-EU through the runs API (after a warm-up sync of
# Contoso-US), polls the run and samples the app process's RSS every 10 ms. Prints the figures; with --update-docs also
# writes them into docs/performance.md between the inventory-bench markers. Stops everything it started at the end.
#
# The emulator enforces Intune's documented limits on that tenant (1,000 calls and 100 writes per 20 s) and, with
# BENCH_LATENCY_MS, waits a random time in that range on every Graph round trip (real Graph is not on loopback).
#
# Knobs (environment): BENCH_POLICIES (20000), BENCH_ROUNDS (2: all created, then all unchanged), BENCH_LATENCY_MS (none;
# e.g. 80-200), BENCH_REQUEST_LIMIT (1000) and BENCH_WRITE_LIMIT (100) per 20 s (0: none), BENCH_KEEP=1 keeps the
# temp dir (database, logs) for inspection, Inventory__BatchSize and other app settings pass through to the app.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. scripts/lib.sh

ta_bench_options "scripts/bench-inventory.sh [--ref GIT-REV] [--update-docs]" "$@"
policies=${BENCH_POLICIES:-20000}
rounds=${BENCH_ROUNDS:-2}
request_limit=${BENCH_REQUEST_LIMIT:-1000}
write_limit=${BENCH_WRITE_LIMIT:-100}
ta_bench_begin tenantatlas-bench-inventory "database stopped; logs in app.log, emulator.log"

ta_bench_source "$ref" "the app and the emulator"
ta_bench_build 900 "$app_dir"
ta_bench_build 900 "$src_root/src/TenantAtlas.GraphEmulator"
ta_log "Building the benchmark (Release)"
ta_bench_build 900 bench/TenantAtlas.Benchmarks
bench_dll="$root/bench/TenantAtlas.Benchmarks/bin/Release/net10.0/TenantAtlas.Benchmarks.dll"

ta_bench_pg_start
ta_bench_app_db

# Intune's documented limits on the measured tenant (1,000 calls and 100 writes per 20 s per app and tenant; GRAPH.md): the
# app's own budget (900 per 20 s) stays below them, so a 429 here means the budget let too much through.
ta_bench_emulator_start "$policies policies in its Contoso tenant, Intune's limits ($request_limit calls, $write_limit writes per 20 s)" \
  --GraphEmulator:Tenants:0:Policies="$policies" \
  --GraphEmulator:Tenants:0:RequestLimit="$request_limit" --GraphEmulator:Tenants:0:WriteLimit="$write_limit" --GraphEmulator:Tenants:0:LimitWindowSeconds=20

export ASPNETCORE_ENVIRONMENT=Demo Demo__History=false Demo__BackupSchedules=false Logging__LogLevel__Default=Warning

ta_log "Migrating and seeding the demo accounts and tenants"
ta_bench_migrate_and_seed
token=$(ta_bench_token)
ta_bench_app_start
# The process to measure is the app itself (dotnet running TenantAtlas.Web.dll), not the subshell.
sleep 2

ta_log "Measuring"
settings="app: $measured, Release, --role all, environment Demo; emulator in its own process, $policies policies in the tenant, latency per Graph round trip $latency, Intune's limits $request_limit calls / $write_limit writes per 20 s"
status=0
timeout 1800 dotnet "$bench_dll" inventory --base-url "$base_url" --db "$TENANTATLAS_DB" --token "$token" --pid "$app_pid" --emulator-pid "$emulator_pid" \
  --postmaster-pid "$(head -n 1 "$work/pg/data/postmaster.pid")" \
  --tenant Contoso-EU --warmup-tenant Contoso-US --rounds "$rounds" --markdown "$work/results.md" \
  --command "scripts/bench-inventory.sh${ref:+ --ref $ref}" --settings "$settings" || status=$?

ta_bench_keep inventory results.md
if [ "$update_docs" = 1 ] && [ -f "$work/results.md" ]; then ta_bench_update_docs inventory-bench; fi

exit $status
