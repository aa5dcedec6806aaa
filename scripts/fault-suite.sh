#!/usr/bin/env bash
# The fault suite (docs/reliability.md): real OS processes of the app — two `--role web`, two `--role worker` — against one
# PostgreSQL and the Graph emulator, and faults a deploy or an outage brings. Prints one figure per scenario and exits
# non-zero when a promise is broken.
#
#   scripts/fault-suite.sh [--quick] [--scenario kill|postgres|dedupe|sigterm]... [--no-build]
#
#   kill      kill -9 of the worker running a run     → failed (worker_lost) within StaleAfter, the other worker goes on
#   postgres  pg_ctl stop -m immediate mid-run, 20 s  → everything recovers alone, no run lost or doubled, truthful outcome
#   dedupe    200 concurrent starts over both webs    → exactly one run
#   sigterm   SIGTERM of the worker running a run     → handed back, completed by the other worker
#
# --quick runs dedupe and sigterm (no waiting for the stale window or an outage). Default: all four. --no-build uses the
# Release build already there (CI runs this after scripts/test.sh built everything).
# Knobs (environment): FAULT_STALE_AFTER (seconds, 40), FAULT_OUTAGE (seconds, 20), FAULT_STARTS (200), FAULT_KEEP=1 keeps
# the temp dir (database, every process's log).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. scripts/lib.sh

scenarios=()
build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) scenarios+=(dedupe sigterm) ;;
    --scenario) scenarios+=("${2:?--scenario needs kill, postgres, dedupe or sigterm}"); shift ;;
    --no-build) build=0 ;;
    *) echo "usage: scripts/fault-suite.sh [--quick] [--scenario kill|postgres|dedupe|sigterm]... [--no-build]" >&2; exit 2 ;;
  esac
  shift
done
[ ${#scenarios[@]} -gt 0 ] || scenarios=(kill postgres dedupe sigterm)
for s in "${scenarios[@]}"; do
  case "$s" in kill | postgres | dedupe | sigterm) ;; *) echo "unknown scenario '$s'" >&2; exit 2 ;; esac
done

stale_after=${FAULT_STALE_AFTER:-40}
outage=${FAULT_OUTAGE:-20}
starts=${FAULT_STARTS:-200}
suite_start=$(date +%s)
BENCH_KEEP=${FAULT_KEEP:-0}
ta_bench_begin tenantatlas-faults "database stopped; logs of every process in *.log"
command -v curl >/dev/null || ta_apt_install curl
command -v jq >/dev/null || ta_apt_install jq
command -v openssl >/dev/null || ta_apt_install openssl

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
failures=0
figures=()
figure() { figures+=("$1"); ta_log "FIGURE $1"; }
broken() { failures=$((failures + 1)); figures+=("BROKEN: $1"); ta_log "BROKEN PROMISE: $1"; }

# ---- Build, database, emulator -------------------------------------------------------------------------------------
ta_bench_source "" "the app"
emulator_dir="$root/src/TenantAtlas.GraphEmulator"
if [ "$build" = 1 ]; then
  ta_bench_build 1200 "$app_dir"
  ta_bench_build 1200 "$emulator_dir"
fi
ta_bench_pg_start
ta_bench_app_db
sql() { ta_bench_psql -d tenantatlas -tA -c "$1"; }

emulator_port=$(ta_free_port)
emulator_https=$(ta_free_port)
emulator="http://127.0.0.1:$emulator_port"
(cd "$emulator_dir" && exec dotnet bin/Release/net10.0/TenantAtlas.GraphEmulator.dll --urls "$emulator" \
  --GraphEmulator:HttpsPort="$emulator_https" --GraphEmulator:CertificatePath="$work/emulator.pfx") >"$work/emulator.log" 2>&1 &
ta_bench_stop_at_exit $!
for _ in $(seq 1 120); do curl -fs "$emulator/_emulator/certificate" -o "$work/emulator.pem" 2>/dev/null && break; sleep 0.5; done
[ -s "$work/emulator.pem" ] || { cat "$work/emulator.log" >&2; ta_log "The Graph emulator did not start"; exit 1; }
Graph__TrustedCertificateThumbprints__0=$(openssl x509 -in "$work/emulator.pem" -noout -fingerprint -sha256 | sed 's/.*=//; s/://g')
export Graph__TrustedCertificateThumbprints__0
export Demo__GraphBaseUrl="$emulator" Demo__AuthorityHost="https://127.0.0.1:$emulator_https"
slow_graph() { curl -fsS -o /dev/null -X POST "$emulator/_emulator/faults" -H 'Content-Type: application/json' -d "{\"pattern\":\"$1\",\"latencyMs\":$2}"; }
fast_graph() { curl -fsS -o /dev/null -X DELETE "$emulator/_emulator/faults"; }

# Every process: the demo environment, no demo history or schedules (the suite counts runs), a short stale window and an
# upkeep every 5 s so a lost worker is found within the window, not a minute later.
export ASPNETCORE_ENVIRONMENT=Demo Demo__History=false Demo__BackupSchedules=false
export Operations__StaleAfter="00:00:$(printf '%02d' "$stale_after")" Operations__HeartbeatInterval=00:00:05
export Operations__MaintenanceCron="*/5 * * * * *" Hangfire__QueuePollMilliseconds=500 Hangfire__SchedulePollingSeconds=1
ta_log "Migrating and seeding the demo accounts"
ta_bench_migrate_and_seed
token=$(ta_bench_token)
tenant=$(sql "SELECT id FROM tenants.tenants WHERE entra_tenant_id = '6f1c3e0a-2b7d-4c59-9a8e-1d2f3a4b5c6d'")
[ -n "$tenant" ] || { ta_log "The demo tenant Contoso-EU is missing"; exit 1; }

# ---- The four processes ----------------------------------------------------------------------------------------------
declare -A pid url
start_process() { # NAME ROLE
  local name=$1 role=$2 port
  port=$(ta_free_port)
  url[$name]="http://127.0.0.1:$port"
  (cd "$app_dir" && exec dotnet "$app_dll" --urls "${url[$name]}" --role "$role") >>"$work/$name.log" 2>&1 &
  pid[$name]=$!
  ta_bench_stop_at_exit "${pid[$name]}"
}
wait_ready() { # NAME SECONDS — /readyz answers 200 (database, migrations, job storage, and a worker's job server)
  local deadline=$(($(date +%s) + $2))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "${url[$1]}/readyz")" = 200 ] && return 0
    kill -0 "${pid[$1]}" 2>/dev/null || { tail -n 40 "$work/$1.log" >&2; ta_log "$1 exited"; return 1; }
    sleep 0.5
  done
  ta_log "$1 was not ready within $2 s"
  return 1
}
ta_log "Starting web1, web2 (--role web) and worker1, worker2 (--role worker)"
boot=$(now)
for name in web1 web2; do start_process "$name" web; done
for name in worker1 worker2; do start_process "$name" worker; done
for name in web1 web2 worker1 worker2; do wait_ready "$name" 180; done
figure "start-up: 4 processes ready in $(elapsed "$boot") s"

start_run() { # WEB TYPE — prints the run id of a start through the API
  curl -fsS -X POST "${url[$1]}/api/operations" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d "{\"type\":\"$2\",\"tenantId\":\"$tenant\"}" | jq -r .id
}
field() { sql "SELECT $2 FROM operations.operation_runs WHERE id = $1"; }
wait_for() { # RUN SQL-CONDITION SECONDS
  local deadline=$(($(date +%s) + $3))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    [ "$(sql "SELECT count(*) FROM operations.operation_runs WHERE id = $1 AND ($2)")" = 1 ] && return 0
    sleep 0.25
  done
  return 1
}
# The worker process whose Hangfire server took the run's job (its server name is host:pid:role).
runner_of() {
  local server
  server=$(sql "SELECT s.data::jsonb ->> 'ServerId' FROM hangfire.state s WHERE s.jobid = (SELECT hangfire_job_id::bigint FROM operations.operation_runs WHERE id = $1) AND s.name = 'Processing' ORDER BY s.id DESC LIMIT 1")
  local p
  p=$(echo "$server" | cut -d: -f2)
  for name in worker1 worker2; do [ "${pid[$name]}" = "$p" ] && { echo "$name"; return 0; }; done
  return 1
}
active_runs() { sql "SELECT count(*) FROM operations.operation_runs WHERE status IN ('queued', 'running')"; }
# A fresh start completes (a small sync), proving the app still does work.
probe_completes() { # WEB SECONDS WHAT
  local run t
  t=$(now)
  run=$(start_run "$1" directory_role_definitions.sync)
  if wait_for "$run" "status = 'completed' AND outcome = 'succeeded'" "$2"; then
    figure "$3: a new start (run $run) succeeded in $(elapsed "$t") s"
  else
    broken "$3: a new start (run $run) did not succeed within $2 s (it is $(field "$run" "status || '/' || outcome"))"
  fi
}
long_run() { # WEB — an inventory sync made slow by 1.5 s of Graph latency per call; prints its id once it runs
  slow_graph "*/deviceManagement/*" 1500
  local run
  run=$(start_run "$1" inventory.sync)
  wait_for "$run" "status = 'running'" 60 || { broken "run $run never started"; return 1; }
  sleep 3 # mid-run: a few Graph calls made
  echo "$run"
}
restart_worker() {
  ta_log "Restarting $1"
  start_process "$1" worker
  wait_ready "$1" 180
}

# ---- Scenarios -------------------------------------------------------------------------------------------------------
scenario_kill() {
  ta_log "Scenario kill: kill -9 of the worker running a run"
  local run victim other t
  run=$(long_run web1) || return 0
  victim=$(runner_of "$run") || { broken "kill: could not tell which worker runs run $run"; return 0; }
  other=$([ "$victim" = worker1 ] && echo worker2 || echo worker1)
  t=$(now)
  kill -9 "${pid[$victim]}"
  fast_graph
  probe_completes web2 120 "kill ($other keeps working)"
  if wait_for "$run" "status = 'completed'" $((stale_after + 60)); then
    local outcome detected
    outcome=$(field "$run" "outcome || ' (' || coalesce(completion_reason, '') || ')'")
    detected=$(elapsed "$t")
    figure "kill: run $run of the killed $victim ended $outcome $detected s after kill -9 (StaleAfter ${stale_after} s, upkeep every 5 s)"
    [ "$outcome" = "failed (worker_lost)" ] || broken "kill: run $run ended $outcome, not failed (worker_lost)"
    awk -v d="$detected" -v w="$stale_after" 'BEGIN { exit !(d <= w + 15) }' || broken "kill: detected after $detected s, beyond StaleAfter + 15 s"
  else
    broken "kill: run $run is still $(field "$run" status) $((stale_after + 60)) s after its worker was killed"
  fi
  [ "$(active_runs)" = 0 ] || broken "kill: $(active_runs) run(s) still queued or running"
  restart_worker "$victim"
}

scenario_postgres() {
  ta_log "Scenario postgres: PostgreSQL stopped (immediate) mid-run, started ${outage} s later"
  local run before t back
  run=$(long_run web2) || return 0
  before=$(sql "SELECT count(*) FROM operations.operation_runs")
  ta_pg_run "$pg_bin/pg_ctl" -D "$work/pg/data" -m immediate stop >/dev/null
  t=$(now)
  sleep "$outage"
  ta_pg_start "$work/pg" "$pg_port" "$pg_password" durable
  back=$(now)
  fast_graph
  local name ready_all=1
  for name in web1 web2 worker1 worker2; do
    if wait_ready "$name" 120; then :; else ready_all=0; broken "postgres: $name did not become ready again within 120 s"; fi
  done
  [ "$ready_all" = 1 ] && figure "postgres: all 4 processes ready again $(elapsed "$back") s after PostgreSQL was back (outage $(elapsed "$t") s in all)"
  local page
  page=$(curl -s -o /dev/null -w '%{http_code}' "${url[web1]}/api/operations/$run" -H "Authorization: Bearer $token")
  [ "$page" = 200 ] || broken "postgres: the API answers $page after the outage"
  if wait_for "$run" "status = 'completed'" $((stale_after + 180)); then
    local outcome
    outcome=$(field "$run" "outcome || ' (' || coalesce(completion_reason, 'finished by its job') || ', handed back ' || hand_backs || '×)'")
    figure "postgres: the interrupted run $run ended $outcome"
    case "$outcome" in
      succeeded* | partially_succeeded* | "failed (worker_lost"*) ;;
      *) broken "postgres: run $run ended $outcome" ;;
    esac
  else
    broken "postgres: run $run is still $(field "$run" status) after the outage"
  fi
  probe_completes web1 120 "postgres"
  local after
  after=$(sql "SELECT count(*) FROM operations.operation_runs")
  [ "$after" = $((before + 1)) ] || broken "postgres: $before runs before, $after after one more start (lost or doubled)"
  figure "postgres: runs before $before, after $after (one new start): none lost or doubled"
  [ "$(active_runs)" = 0 ] || broken "postgres: $(active_runs) run(s) still queued or running"
}

scenario_dedupe() {
  ta_log "Scenario dedupe: $starts concurrent starts of one sync split across web1 and web2"
  slow_graph "*/groups*" 3000 # the run stays active through the burst
  local before t i codes created
  before=$(sql "SELECT count(*) FROM operations.operation_runs WHERE type = 'directory_groups.sync'")
  t=$(now)
  for i in $(seq 1 "$starts"); do echo "$([ $((i % 2)) = 0 ] && echo "${url[web1]}" || echo "${url[web2]}")"; done |
    xargs -P 50 -I{} curl -s -o /dev/null -w '%{http_code}\n' -X POST "{}/api/operations" -H "Authorization: Bearer $token" \
      -H 'Content-Type: application/json' -d "{\"type\":\"directory_groups.sync\",\"tenantId\":\"$tenant\"}" >"$work/dedupe.codes"
  codes=$(sort "$work/dedupe.codes" | uniq -c | awk '{ printf "%s×%s ", $1, $2 }')
  created=$(($(sql "SELECT count(*) FROM operations.operation_runs WHERE type = 'directory_groups.sync'") - before))
  figure "dedupe: $starts starts in $(elapsed "$t") s answered ${codes}→ $created run(s) created"
  [ "$created" = 1 ] || broken "dedupe: $created runs created by $starts identical starts"
  [ "$(grep -c '^201$' "$work/dedupe.codes")" = 1 ] || broken "dedupe: $(grep -c '^201$' "$work/dedupe.codes") answers were 201 Created"
  [ "$(grep -vc '^20[01]$' "$work/dedupe.codes")" = 0 ] || broken "dedupe: some starts were refused (${codes})"
  fast_graph
  local run
  run=$(sql "SELECT max(id) FROM operations.operation_runs WHERE type = 'directory_groups.sync'")
  wait_for "$run" "status = 'completed'" 180 || broken "dedupe: run $run did not complete"
}

scenario_sigterm() {
  ta_log "Scenario sigterm: SIGTERM of the worker running a run (a deploy)"
  local run victim other t exited
  run=$(long_run web1) || return 0
  victim=$(runner_of "$run") || { broken "sigterm: could not tell which worker runs run $run"; return 0; }
  other=$([ "$victim" = worker1 ] && echo worker2 || echo worker1)
  t=$(now)
  kill -TERM "${pid[$victim]}"
  fast_graph
  for _ in $(seq 1 120); do kill -0 "${pid[$victim]}" 2>/dev/null || break; sleep 0.25; done
  exited=$(elapsed "$t")
  kill -0 "${pid[$victim]}" 2>/dev/null && broken "sigterm: $victim still runs 30 s after SIGTERM"
  if wait_for "$run" "status = 'completed'" 180; then
    local outcome handbacks
    outcome=$(field "$run" "outcome")
    handbacks=$(field "$run" "hand_backs")
    figure "sigterm: $victim exited ${exited} s after SIGTERM; run $run handed back $handbacks time(s) and ended $outcome $(elapsed "$t") s after SIGTERM"
    [ "$outcome" = succeeded ] || broken "sigterm: run $run ended $outcome (a deploy must not burn runs)"
    [ "$handbacks" = 1 ] || broken "sigterm: run $run was handed back $handbacks times"
    local runner
    runner=$(runner_of "$run" || echo "?")
    [ "$runner" = "$other" ] || broken "sigterm: run $run was finished by $runner, not $other"
  else
    broken "sigterm: run $run is still $(field "$run" status) 180 s after SIGTERM"
  fi
  local live
  live=$(sql "SELECT count(*) FROM hangfire.job WHERE statename IN ('Enqueued', 'Processing') AND arguments::jsonb ->> 0 = '$run'")
  [ "$live" = 0 ] || broken "sigterm: $live Hangfire job(s) of run $run are still enqueued or processing"
  [ "$(active_runs)" = 0 ] || broken "sigterm: $(active_runs) run(s) still queued or running"
  restart_worker "$victim"
}

for s in "${scenarios[@]}"; do
  scenario_start=$(now)
  "scenario_$s"
  ta_log "Scenario $s took $(elapsed "$scenario_start") s"
done

echo
echo "Fault suite ($(ta_bench_work_tree src), StaleAfter ${stale_after} s, outage ${outage} s, ${starts} starts): $(( $(date +%s) - suite_start )) s in all"
for f in "${figures[@]}"; do echo "  - $f"; done
if [ "$failures" != 0 ]; then
  echo "$failures broken promise(s)"
  exit 1
fi
echo "Every promise held."
