#!/usr/bin/env bash
# Shared helpers for run.sh, test.sh and .ci/run. Sourced, not executed.

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
