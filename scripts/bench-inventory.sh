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
# Knobs (environment): BENCH_POLICIES (20000), BENCH_ROUNDS (2: all created, then all unchanged), BENCH_KEEP=1 keeps the
# temp dir (database, logs) for inspection, Inventory__BatchSize and other app settings pass through to the app.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. scripts/lib.sh

ta_bench_options "scripts/bench-inventory.sh [--ref GIT-REV] [--update-docs]" "$@"
policies=${BENCH_POLICIES:-20000}
rounds=${BENCH_ROUNDS:-2}
ta_bench_begin tenantatlas-bench-inventory "database stopped; logs in app.log, emulator.log"

ta_bench_source "$ref" "the app and the emulator"
ta_bench_build 900 "$app_dir"
ta_bench_build 900 "$src_root/src/TenantAtlas.GraphEmulator"
ta_log "Building the benchmark (Release)"
ta_bench_build 900 bench/TenantAtlas.Benchmarks
emulator_dir="$src_root/src/TenantAtlas.GraphEmulator"
bench_dll="$root/bench/TenantAtlas.Benchmarks/bin/Release/net10.0/TenantAtlas.Benchmarks.dll"

ta_bench_pg_start
ta_bench_app_db

emulator_port=$(ta_free_port)
emulator_https_port=$(ta_free_port)
emulator_url="http://127.0.0.1:$emulator_port"
ta_log "Starting the Graph emulator on $emulator_url with $policies policies in its Contoso tenant"
(cd "$emulator_dir" && exec dotnet bin/Release/net10.0/TenantAtlas.GraphEmulator.dll --urls "$emulator_url" \
   --GraphEmulator:HttpsPort="$emulator_https_port" --GraphEmulator:CertificatePath="$work/emulator.pfx" \
   --GraphEmulator:Tenants:0:Policies="$policies" --Logging:LogLevel:Default=Warning) >"$work/emulator.log" 2>&1 &
emulator_pid=$!
ta_bench_stop_at_exit "$emulator_pid"
for _ in $(seq 1 120); do
  curl -fs "$emulator_url/_emulator/certificate" -o "$work/emulator.pem" 2>/dev/null && break
  kill -0 "$emulator_pid" 2>/dev/null || { cat "$work/emulator.log" >&2; exit 1; }
  sleep 0.5
done
[ -s "$work/emulator.pem" ] || { cat "$work/emulator.log" >&2; ta_log "The Graph emulator did not start"; exit 1; }
thumbprint=$(openssl x509 -in "$work/emulator.pem" -noout -fingerprint -sha256 | sed 's/.*=//; s/://g')

export ASPNETCORE_ENVIRONMENT=Demo Demo__History=false Demo__BackupSchedules=false Logging__LogLevel__Default=Warning
export Graph__TrustedCertificateThumbprints__0="$thumbprint"
export Demo__GraphBaseUrl="$emulator_url" Demo__AuthorityHost="https://127.0.0.1:$emulator_https_port"

ta_log "Migrating and seeding the demo accounts and tenants"
ta_bench_migrate_and_seed
token=$(ta_bench_token)
ta_bench_app_start
# The process to measure is the app itself (dotnet running TenantAtlas.Web.dll), not the subshell.
sleep 2

ta_log "Measuring"
settings="app: $measured, Release, --role all, environment Demo; emulator in its own process, $policies policies in the tenant"
status=0
timeout 1800 dotnet "$bench_dll" inventory --base-url "$base_url" --db "$TENANTATLAS_DB" --token "$token" --pid "$app_pid" --emulator-pid "$emulator_pid" \
  --postmaster-pid "$(head -n 1 "$work/pg/data/postmaster.pid")" \
  --tenant Contoso-EU --warmup-tenant Contoso-US --rounds "$rounds" --markdown "$work/results.md" \
  --command "scripts/bench-inventory.sh${ref:+ --ref $ref}" --settings "$settings" || status=$?

ta_bench_keep inventory results.md
if [ "$update_docs" = 1 ] && [ -f "$work/results.md" ]; then ta_bench_update_docs inventory-bench; fi

exit $status
