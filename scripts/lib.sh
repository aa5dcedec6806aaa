#!/usr/bin/env bash
# Shared helpers for run.sh, test.sh, .ci/run and the benchmarks (bench-*.sh). Sourced, not executed.

ta_log() { printf '\033[1;34m[tenantatlas]\033[0m %s\n' "$*" >&2; }

ta_as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

ta_apt_updated=0
ta_apt_install() {
  if [ "$ta_apt_updated" = 0 ]; then ta_as_root apt-get update -qq >/dev/null; ta_apt_updated=1; fi
  ta_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# Finds PostgreSQL's server binaries, installing Debian's postgresql when missing.
ta_pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$dir" ] || [ ! -x "$dir/initdb" ]; then
    ta_log "PostgreSQL binaries not found: installing Debian's postgresql package"
    ta_apt_install postgresql
    dir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
  echo "$dir"
}

# Runs a PostgreSQL binary as the cluster owner: initdb refuses root, so root runs it as 'postgres'.
ta_pg_run() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# ta_pg_start DIR PORT PASSWORD MODE — starts (creating if needed) a cluster in DIR on 127.0.0.1:PORT.
# MODE=durable keeps fsync on (the run command); MODE=throwaway turns it off (tests only).
ta_pg_start() {
  local dir=$1 port=$2 password=$3 mode=$4 bin
  bin=$(ta_pg_bin)
  mkdir -p "$dir"
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$dir"; chmod 700 "$dir"; fi
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    local pwfile
    pwfile=$(mktemp)
    printf '%s\n' "$password" > "$pwfile"
    if [ "$(id -u)" = 0 ]; then chown postgres "$pwfile"; fi
    local extra=()
    [ "$mode" = throwaway ] && extra+=(--no-sync)
    ta_pg_run "$bin/initdb" -D "$dir/data" -U postgres --pwfile="$pwfile" --auth-host=scram-sha-256 --auth-local=trust -E UTF8 --locale=C.UTF-8 "${extra[@]}" >/dev/null
    rm -f "$pwfile"
  fi
  if ta_pg_run "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    ta_log "PostgreSQL already running in $dir"
    return 0
  fi
  local opts="-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300"
  if [ "$mode" = throwaway ]; then opts="$opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off"; fi
  ta_pg_run "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o "$opts" start >/dev/null
  ta_log "PostgreSQL ($mode) listening on 127.0.0.1:$port, data in $dir/data"
}

ta_pg_stop() {
  local dir=$1 bin
  bin=$(ta_pg_bin)
  ta_pg_run "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
}

ta_docker_works() { command -v docker >/dev/null 2>&1 && timeout 5 docker info >/dev/null 2>&1; }

ta_chromium() {
  if [ ! -x /usr/bin/chromium ]; then
    ta_log "Chromium not found: installing Debian's chromium package (browser tests)"
    ta_apt_install chromium
  fi
}

# A free TCP port on 127.0.0.1 (probing with bash's /dev/tcp; no other tools needed).
ta_free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 30000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  echo 55499
}

# Stops a process: TERM, up to 15 s to go, then KILL. No-op for an empty or finished pid.
ta_stop_pid() {
  local pid=$1
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
  fi
}

# --- The benchmarks (scripts/bench-*.sh): build in Release, their OWN durable PostgreSQL in a temp dir, clean up at exit.
# The functions share the script's globals: work (the temp dir), pg_port, pg_password, pg_bin, src_root, app_dir, app_dll,
# measured, base_url, app_pid, stamp.

# ta_bench_options USAGE ARG... — the options of the benchmarks that measure a running app: sets ref (--ref GIT-REV) and
# update_docs (--update-docs: 1); anything else prints USAGE and exits 2.
ta_bench_options() {
  local usage=$1
  shift
  update_docs=0
  ref=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --update-docs) update_docs=1 ;;
      --ref) ref=${2:?--ref needs a git revision}; shift ;;
      *) echo "usage: $usage" >&2; exit 2 ;;
    esac
    shift
  done
}

# ta_bench_begin NAME KEPT — the temp dir $work (/tmp/NAME.XXXXXX, readable by the postgres user) and the cleanup at exit
# or interrupt: stops what ta_bench_stop_at_exit registered (last first) and the database, then removes $work, or keeps it
# with BENCH_KEEP=1 and logs "Kept $work (KEPT)". Also quiets dotnet's first-run output and telemetry.
ta_bench_begin() {
  export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
  work=$(mktemp -d "/tmp/$1.XXXXXX")
  chmod 755 "$work"
  ta_bench_kept=$2
  ta_bench_pids=()
  trap ta_bench_cleanup EXIT
  trap 'exit 130' INT TERM
}

ta_bench_stop_at_exit() { ta_bench_pids+=("$1"); }

ta_bench_cleanup() {
  local status=$? i
  for ((i = ${#ta_bench_pids[@]} - 1; i >= 0; i--)); do ta_stop_pid "${ta_bench_pids[i]}"; done
  ta_pg_stop "$work/pg"
  if [ "${BENCH_KEEP:-0}" = 1 ]; then ta_log "Kept $work ($ta_bench_kept)"; else rm -rf "$work"; fi
  exit $status
}

# ta_bench_work_tree PATH... — "work tree at <HEAD>", plus " + uncommitted changes" when PATHs differ from HEAD.
ta_bench_work_tree() {
  echo "work tree at $(git rev-parse --short=12 HEAD)$(git diff --quiet HEAD -- "$@" 2>/dev/null || echo ' + uncommitted changes')"
}

# ta_bench_source REF WHAT — where the app is built from: the work tree, or with REF the commit exported into $work/src, so a
# work tree in the middle of an edit neither breaks nor colours the figures. Sets src_root, app_dir, app_dll and measured.
ta_bench_source() {
  local ref=$1 what=$2 commit
  if [ -n "$ref" ]; then
    commit=$(git rev-parse --verify "$ref^{commit}")
    ta_log "Building $what as committed at ${commit:0:12} (Release, in $work/src)"
    mkdir -p "$work/src"
    git archive "$commit" | tar -x -C "$work/src"
    src_root="$work/src"
    measured="commit ${commit:0:12}"
  else
    ta_log "Building $what from the work tree (Release)"
    src_root="$root"
    measured=$(ta_bench_work_tree src)
  fi
  app_dir="$src_root/src/TenantAtlas.Web"
  app_dll="$app_dir/bin/Release/net10.0/TenantAtlas.Web.dll"
}

# ta_bench_build SECONDS PROJECT — a quiet Release build; on failure prints its distinct error lines and exits.
ta_bench_build() {
  timeout "$1" dotnet build "$2" -c Release -v quiet -nologo >"$work/build.log" 2>&1 || { grep -E 'error' "$work/build.log" | sort -u >&2; exit 1; }
}

# ta_bench_pg_start — a durable PostgreSQL (fsync on, as in production) in $work/pg on a free port; sets pg_port,
# pg_password and pg_bin.
ta_bench_pg_start() {
  pg_port=$(ta_free_port)
  pg_password=$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
  ta_pg_start "$work/pg" "$pg_port" "$pg_password" durable
  pg_bin=$(ta_pg_bin)
}

# ta_bench_psql ARG... — psql on that server as postgres (15 minutes at most).
ta_bench_psql() { PGPASSWORD="$pg_password" timeout 900 "$pg_bin/psql" -X -q -h 127.0.0.1 -p "$pg_port" -U postgres "$@"; }

# ta_bench_emulator_start WHAT ARG... — the Graph emulator built in $src_root, as its own process on free 127.0.0.1 ports
# (Graph over http, the Entra authority over https with a self-signed certificate in $work), logging to $work/emulator.log,
# stopped at exit; ARGs are its configuration (--GraphEmulator:…=…). With BENCH_LATENCY_MS (e.g. 80-200) every Graph round
# trip waits a uniformly random time in that range (GraphEmulator:LatencyMs). Waits up to 60 s for the certificate, then
# exports what the app needs to trust it and what seed-demo points the demo tenants at. Sets emulator_url,
# emulator_https_port, emulator_pid, thumbprint and latency ("none" without BENCH_LATENCY_MS).
ta_bench_emulator_start() {
  local what=$1 dir="$src_root/src/TenantAtlas.GraphEmulator" port extra=()
  shift
  port=$(ta_free_port)
  emulator_https_port=$(ta_free_port)
  emulator_url="http://127.0.0.1:$port"
  latency=${BENCH_LATENCY_MS:-none}
  if [ "$latency" != none ]; then extra+=(--GraphEmulator:LatencyMs="$latency"); fi
  ta_log "Starting the Graph emulator on $emulator_url: $what; latency per Graph round trip: $latency"
  (cd "$dir" && exec dotnet bin/Release/net10.0/TenantAtlas.GraphEmulator.dll --urls "$emulator_url" \
     --GraphEmulator:HttpsPort="$emulator_https_port" --GraphEmulator:CertificatePath="$work/emulator.pfx" \
     "${extra[@]}" "$@" --Logging:LogLevel:Default=Warning) >"$work/emulator.log" 2>&1 &
  emulator_pid=$!
  ta_bench_stop_at_exit "$emulator_pid"
  for _ in $(seq 1 120); do
    curl -fs "$emulator_url/_emulator/certificate" -o "$work/emulator.pem" 2>/dev/null && break
    kill -0 "$emulator_pid" 2>/dev/null || { cat "$work/emulator.log" >&2; exit 1; }
    sleep 0.5
  done
  [ -s "$work/emulator.pem" ] || { cat "$work/emulator.log" >&2; ta_log "The Graph emulator did not start"; exit 1; }
  thumbprint=$(openssl x509 -in "$work/emulator.pem" -noout -fingerprint -sha256 | sed 's/.*=//; s/://g')
  export Graph__TrustedCertificateThumbprints__0="$thumbprint"
  export Demo__GraphBaseUrl="$emulator_url" Demo__AuthorityHost="https://127.0.0.1:$emulator_https_port"
}

# ta_bench_app_db — the app's database "tenantatlas" on that server, exported as TENANTATLAS_DB.
ta_bench_app_db() {
  ta_bench_psql -d postgres -c "CREATE DATABASE tenantatlas"
  export TENANTATLAS_DB="Host=127.0.0.1;Port=$pg_port;Username=postgres;Password=$pg_password;Database=tenantatlas"
}

# ta_bench_migrate_and_seed — the app's migrate and seed-demo commands (logs in $work); exits with the log on failure.
ta_bench_migrate_and_seed() {
  (cd "$app_dir" && timeout 300 dotnet "$app_dll" migrate >"$work/migrate.log" 2>&1) || { cat "$work/migrate.log" >&2; exit 1; }
  (cd "$app_dir" && timeout 300 dotnet "$app_dll" seed-demo >"$work/seed-demo.log" 2>&1) || { cat "$work/seed-demo.log" >&2; exit 1; }
}

# ta_bench_token — prints a personal access token of owner@demo.test, valid for a day.
ta_bench_token() {
  (cd "$app_dir" && timeout 120 dotnet "$app_dll" tokens create --user owner@demo.test --expires 1 --name bench 2>/dev/null)
}

# ta_bench_app_start — the app (--role all, in the environment the caller exported) on a free 127.0.0.1 port, logging to
# $work/app.log, stopped at exit; waits up to 60 s for /healthz. Sets base_url and app_pid.
ta_bench_app_start() {
  local port
  port=$(ta_free_port)
  while [ "$port" = "$pg_port" ]; do port=$(ta_free_port); done
  base_url="http://127.0.0.1:$port"
  ta_log "Starting the app on $base_url (--role all, environment Demo)"
  (cd "$app_dir" && exec dotnet "$app_dll" --urls "$base_url" --role all) >"$work/app.log" 2>&1 &
  app_pid=$!
  ta_bench_stop_at_exit "$app_pid"
  for _ in $(seq 1 120); do
    if curl -fsS -o /dev/null "$base_url/healthz" 2>/dev/null; then break; fi
    if ! kill -0 "$app_pid" 2>/dev/null; then cat "$work/app.log" >&2; exit 1; fi
    sleep 0.5
  done
  curl -fsS -o /dev/null "$base_url/healthz" || { ta_log "The app did not answer /healthz within 60 s"; cat "$work/app.log" >&2; exit 1; }
}

# ta_bench_keep NAME FILE... — copies the FILEs of $work that exist, and app.log, to artifacts/bench/NAME-<stamp>-FILE;
# sets stamp (UTC).
ta_bench_keep() {
  local name=$1 f
  shift
  mkdir -p artifacts/bench
  stamp=$(date -u +%Y%m%dT%H%M%SZ)
  for f in "$@"; do
    if [ -f "$work/$f" ]; then cp "$work/$f" "artifacts/bench/$name-$stamp-$f"; fi
  done
  cp "$work/app.log" "artifacts/bench/$name-$stamp-app.log" 2>/dev/null || true
}

# ta_bench_update_docs MARKER — puts $work/results.md between <!-- MARKER:begin --> and <!-- MARKER:end --> in
# docs/performance.md, replacing what stood there.
ta_bench_update_docs() {
  local begin="<!-- $1:begin -->" end="<!-- $1:end -->" doc=docs/performance.md
  if grep -qF "$begin" "$doc" && grep -qF "$end" "$doc"; then
    awk -v results="$work/results.md" -v begin="$begin" -v end="$end" '
      index($0, begin) { print; while ((getline line < results) > 0) print line; skip = 1; next }
      index($0, end) { skip = 0 }
      !skip { print }
    ' "$doc" >"$work/performance.md" && cat "$work/performance.md" >"$doc"
    ta_log "Updated $doc"
  else
    ta_log "$doc has no $1 markers: not updated"
  fi
}
