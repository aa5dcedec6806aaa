#!/usr/bin/env bash
# Starts TenantAtlas with demo data on http://127.0.0.1:5080 (override: TENANTATLAS_URL=http://127.0.0.1:PORT).
# Database: TENANTATLAS_DB when set; otherwise a project-local PostgreSQL in .data/postgres (persistent, fsync on,
# 127.0.0.1 only, port 55432), installed from Debian's packages when missing.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. scripts/lib.sh

url=${TENANTATLAS_URL:-http://127.0.0.1:5080}
export ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Demo}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

if [ -z "${TENANTATLAS_DB:-}" ]; then
  port=${TENANTATLAS_PG_PORT:-55432}
  pwfile=.data/postgres.password
  mkdir -p .data
  [ -f "$pwfile" ] || (umask 077; head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' > "$pwfile")
  ta_pg_start "$root/.data/postgres" "$port" "$(cat "$pwfile")" durable
  export TENANTATLAS_DB="Host=127.0.0.1;Port=$port;Username=postgres;Password=$(cat "$pwfile");Database=tenantatlas"
  bin=$(ta_pg_bin)
  if ! ta_pg_run "$bin/psql" -h "$root/.data/postgres" -p "$port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='tenantatlas'" | grep -q 1; then
    ta_pg_run "$bin/createdb" -h "$root/.data/postgres" -p "$port" -U postgres tenantatlas
  fi
fi

ta_log "Building"
dotnet build src/TenantAtlas.Web -c Release -v quiet -nologo >/dev/null
dotnet build src/TenantAtlas.GraphEmulator -c Release -v quiet -nologo >/dev/null

command -v curl >/dev/null || ta_apt_install curl
command -v openssl >/dev/null || ta_apt_install openssl
# The Graph emulator: the demo tenants are its seeded tenants (Graph on http :5090, Entra authority on https :5091).
emulator_url=${TENANTATLAS_EMULATOR_URL:-http://127.0.0.1:5090}
emulator_https_port=${TENANTATLAS_EMULATOR_HTTPS_PORT:-5091}
mkdir -p .data
(cd src/TenantAtlas.GraphEmulator && exec dotnet bin/Release/net10.0/TenantAtlas.GraphEmulator.dll --urls "$emulator_url" \
   --GraphEmulator:HttpsPort="$emulator_https_port" --GraphEmulator:CertificatePath="$root/.data/emulator.pfx" \
   >"$root/.data/emulator.log" 2>&1) &
emulator_pid=$!
trap 'kill $emulator_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
  curl -fs "$emulator_url/_emulator/certificate" -o .data/emulator.pem 2>/dev/null && break
  sleep 1
done
[ -s .data/emulator.pem ] || { cat .data/emulator.log >&2; ta_log "The Graph emulator did not start"; exit 1; }
thumbprint=$(openssl x509 -in .data/emulator.pem -noout -fingerprint -sha256 | sed 's/.*=//; s/://g')
export Graph__TrustedCertificateThumbprints__0="$thumbprint"
export Demo__GraphBaseUrl="$emulator_url" Demo__AuthorityHost="https://127.0.0.1:$emulator_https_port"
ta_log "Graph emulator on $emulator_url (authority https://127.0.0.1:$emulator_https_port, certificate $thumbprint)"
cd src/TenantAtlas.Web
dll=bin/Release/net10.0/TenantAtlas.Web.dll
ta_log "Applying migrations"
dotnet "$dll" migrate
ta_log "Seeding demo data (idempotent)"
dotnet "$dll" seed-demo
# Once running, the demo makes its restore for real: a backup of Contoso-EU, a request into Contoso-US, its plan.
export Demo__SeedRestore=true
ta_log "TenantAtlas on $url — sign in as owner@demo.test / Demo!2345 (demo only)"
dotnet "$dll" --urls "$url" "$@"
