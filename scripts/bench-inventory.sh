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

update_docs=0
ref=""
while [ $# -gt 0 ]; do
  case "$1" in
    --update-docs) update_docs=1 ;;
    --ref) ref=${2:?--ref needs a git revision}; shift ;;
    *) echo "usage: scripts/bench-inventory.sh [--ref GIT-REV] [--update-docs]" >&2; exit 2 ;;
  esac
  shift
done

policies=${BENCH_POLICIES:-20000}
rounds=${BENCH_ROUNDS:-2}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

work=$(mktemp -d /tmp/tenantatlas-bench-inventory.XXXXXX)
chmod 755 "$work"
app_pid=""
emulator_pid=""
stop_pid() {
  local pid=$1
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
  fi
}
cleanup() {
  local status=$?
  stop_pid "$app_pid"
  stop_pid "$emulator_pid"
  ta_pg_stop "$work/pg"
  if [ "${BENCH_KEEP:-0}" = 1 ]; then
    ta_log "Kept $work (database stopped; logs in app.log, emulator.log)"
  else
    rm -rf "$work"
  fi
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

build() { timeout 900 dotnet build "$1" -c Release -v quiet -nologo >"$work/build.log" 2>&1 || { grep -E 'error' "$work/build.log" | sort -u >&2; exit 1; }; }
if [ -n "$ref" ]; then
  commit=$(git rev-parse --verify "$ref^{commit}")
  ta_log "Building the app and the emulator as committed at ${commit:0:12} (Release, in $work/src)"
  mkdir -p "$work/src"
  git archive "$commit" | tar -x -C "$work/src"
  src_root="$work/src"
  measured="commit ${commit:0:12}"
else
  ta_log "Building the app and the emulator from the work tree (Release)"
  src_root="$root"
  measured="work tree at $(git rev-parse --short=12 HEAD)$(git diff --quiet HEAD -- src 2>/dev/null || echo ' + uncommitted changes')"
fi
build "$src_root/src/TenantAtlas.Web"
build "$src_root/src/TenantAtlas.GraphEmulator"
ta_log "Building the benchmark (Release)"
build bench/TenantAtlas.Benchmarks
app_dir="$src_root/src/TenantAtlas.Web"
app_dll="$app_dir/bin/Release/net10.0/TenantAtlas.Web.dll"
emulator_dir="$src_root/src/TenantAtlas.GraphEmulator"
bench_dll="$root/bench/TenantAtlas.Benchmarks/bin/Release/net10.0/TenantAtlas.Benchmarks.dll"

pg_port=$(ta_free_port)
pg_password=$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
ta_pg_start "$work/pg" "$pg_port" "$pg_password" durable
pg_bin=$(ta_pg_bin)
PGPASSWORD="$pg_password" "$pg_bin/psql" -X -q -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -c "CREATE DATABASE tenantatlas"
export TENANTATLAS_DB="Host=127.0.0.1;Port=$pg_port;Username=postgres;Password=$pg_password;Database=tenantatlas"

emulator_port=$(ta_free_port)
emulator_https_port=$(ta_free_port)
emulator_url="http://127.0.0.1:$emulator_port"
ta_log "Starting the Graph emulator on $emulator_url with $policies policies in its Contoso tenant"
(cd "$emulator_dir" && exec dotnet bin/Release/net10.0/TenantAtlas.GraphEmulator.dll --urls "$emulator_url" \
   --GraphEmulator:HttpsPort="$emulator_https_port" --GraphEmulator:CertificatePath="$work/emulator.pfx" \
   --GraphEmulator:Tenants:0:Policies="$policies" --Logging:LogLevel:Default=Warning) >"$work/emulator.log" 2>&1 &
emulator_pid=$!
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
(cd "$app_dir" && timeout 300 dotnet "$app_dll" migrate >"$work/migrate.log" 2>&1) || { cat "$work/migrate.log" >&2; exit 1; }
(cd "$app_dir" && timeout 300 dotnet "$app_dll" seed-demo >"$work/seed-demo.log" 2>&1) || { cat "$work/seed-demo.log" >&2; exit 1; }
token=$(cd "$app_dir" && timeout 120 dotnet "$app_dll" tokens create --user owner@demo.test --expires 1 --name bench 2>/dev/null)

app_port=$(ta_free_port)
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
# The process to measure is the app itself (dotnet running TenantAtlas.Web.dll), not the subshell.
sleep 2

ta_log "Measuring"
settings="app: $measured, Release, --role all, environment Demo; emulator in its own process, $policies policies in the tenant"
status=0
timeout 1800 dotnet "$bench_dll" inventory --base-url "$base_url" --db "$TENANTATLAS_DB" --token "$token" --pid "$app_pid" --emulator-pid "$emulator_pid" \
  --postmaster-pid "$(head -n 1 "$work/pg/data/postmaster.pid")" \
  --tenant Contoso-EU --warmup-tenant Contoso-US --rounds "$rounds" --markdown "$work/results.md" \
  --command "scripts/bench-inventory.sh${ref:+ --ref $ref}" --settings "$settings" || status=$?

mkdir -p artifacts/bench
stamp=$(date -u +%Y%m%dT%H%M%SZ)
[ -f "$work/results.md" ] && cp "$work/results.md" "artifacts/bench/inventory-$stamp-results.md"
cp "$work/app.log" "artifacts/bench/inventory-$stamp-app.log" 2>/dev/null || true

if [ "$update_docs" = 1 ] && [ -f "$work/results.md" ]; then
  doc=docs/performance.md
  if grep -q '<!-- inventory-bench:begin -->' "$doc" && grep -q '<!-- inventory-bench:end -->' "$doc"; then
    awk -v results="$work/results.md" '
      /<!-- inventory-bench:begin -->/ { print; while ((getline line < results) > 0) print line; skip = 1; next }
      /<!-- inventory-bench:end -->/ { skip = 0 }
      !skip { print }
    ' "$doc" >"$work/performance.md" && cat "$work/performance.md" >"$doc"
    ta_log "Updated $doc"
  else
    ta_log "$doc has no inventory-bench markers: not updated"
  fi
fi

exit $status
