#!/usr/bin/env bash
# The restore benchmark (on demand, never in CI): issue 13, docs/modules/restore.md, section "Benchmark".
#
#   scripts/bench-restore.sh [--ref GIT-REV]
#
# Builds the app, the Graph emulator and bench/TenantAtlas.Benchmarks in Release; starts its OWN durable PostgreSQL in
# a temp dir and the emulator as a separate process. The emulator's Contoso tenant (the demo's Contoso-EU) holds
# BENCH_ITEMS (1,000) policies of four families (device configurations, compliance, settings catalog, scripts); the
# Contoso US tenant (Contoso-US) holds none, the same groups, filters and scope tags (same seed, so references resolve),
# and enforces Intune's documented limits: 100 writes and 1,000 calls per 20 s. The app runs with its default write
# budget (90 per 20 s). `TenantAtlas.Benchmarks restore` then, through the product's APIs only: syncs both tenants'
# groups, backs Contoso-EU up, creates a restore request into Contoso-US (POST /api/restores), plans it and executes it,
# sampling the app's RSS. Prints writes/s against the budget's maximum (target ≥ 0.8), items/s, 429s and peak memory.
#
# Knobs (environment): BENCH_ITEMS (1000), BENCH_LATENCY_MS (none; e.g. 80-200), BENCH_KEEP=1 keeps the temp dir, Graph__Budget__Writes and other app
# settings pass through to the app.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. scripts/lib.sh

ta_bench_options "scripts/bench-restore.sh [--ref GIT-REV]" "$@"
items=${BENCH_ITEMS:-1000}
ta_bench_begin tenantatlas-bench-restore "database stopped; logs in app.log, emulator.log"

ta_bench_source "$ref" "the app and the emulator"
ta_bench_build 900 "$app_dir"
ta_bench_build 900 "$src_root/src/TenantAtlas.GraphEmulator"
ta_log "Building the benchmark (Release)"
ta_bench_build 900 bench/TenantAtlas.Benchmarks
bench_dll="$root/bench/TenantAtlas.Benchmarks/bin/Release/net10.0/TenantAtlas.Benchmarks.dll"

ta_bench_pg_start
ta_bench_app_db

target_tenant=1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d
# Four families, split 30/20/30/20; nothing else in the source.
dc=$((items * 3 / 10)); cp=$((items * 2 / 10)); sc=$((items * 3 / 10)); ds=$((items - dc - cp - sc))
ta_bench_emulator_start "$items policies in Contoso, none in Contoso US (writes limited to 100 per 20 s)" \
   --GraphEmulator:MaxRequestLogEntries=1000000 \
   --GraphEmulator:Tenants:0:Policies=0 --GraphEmulator:Tenants:0:Groups=300 --GraphEmulator:Tenants:0:DuplicateGroupNames=0 \
   --GraphEmulator:Tenants:0:FamilyCounts:deviceConfigurations=$dc --GraphEmulator:Tenants:0:FamilyCounts:deviceCompliancePolicies=$cp \
   --GraphEmulator:Tenants:0:FamilyCounts:configurationPolicies=$sc --GraphEmulator:Tenants:0:FamilyCounts:deviceManagementScripts=$ds \
   --GraphEmulator:Tenants:1:Seed=1 --GraphEmulator:Tenants:1:Groups=300 --GraphEmulator:Tenants:1:Policies=0 \
   --GraphEmulator:Tenants:1:AssignmentFilters=6 --GraphEmulator:Tenants:1:ScopeTags=4 \
   --GraphEmulator:Tenants:1:WriteLimit=100 --GraphEmulator:Tenants:1:RequestLimit=1000 --GraphEmulator:Tenants:1:LimitWindowSeconds=20

# The demo's schedules exist (Contoso-EU's nightly one is the backup the restore comes from); the five-minute ones of the
# other tenants are switched off, so nothing backs the target up while the benchmark runs (that would make the plan stale).
export ASPNETCORE_ENVIRONMENT=Demo Demo__History=false Demo__BackupSchedules=true Logging__LogLevel__Default=Warning

ta_log "Migrating and seeding the demo accounts and tenants"
ta_bench_migrate_and_seed
ta_bench_psql -d tenantatlas -c "UPDATE backup.backup_schedules SET enabled = false WHERE cron_expression <> '0 2 * * *'" >/dev/null
token=$(ta_bench_token)
ta_bench_app_start
sleep 2

ta_log "Measuring"
settings="app: $measured, Release, --role all, environment Demo, write budget ${Graph__Budget__Writes:-90} per 20 s; emulator in its own process, $items policies, latency per Graph round trip $latency"
status=0
timeout 3600 dotnet "$bench_dll" restore --base-url "$base_url" --db "$TENANTATLAS_DB" --token "$token" --pid "$app_pid" \
  --emulator "$emulator_url" --target-emulator-tenant "$target_tenant" --source Contoso-EU --target Contoso-US \
  --budget-writes "${Graph__Budget__Writes:-90}" --budget-window 20 --markdown "$work/results.md" \
  --command "scripts/bench-restore.sh${ref:+ --ref $ref}" --settings "$settings" || status=$?

ta_bench_keep restore results.md
exit $status
