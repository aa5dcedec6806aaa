#!/usr/bin/env bash
# The fault suite (docs/reliability.md): real OS processes of the app — two `--role web`, two `--role worker` — against one
# PostgreSQL and the Graph emulator, and faults a deploy or an outage brings. Prints one figure per scenario and exits
# non-zero when a promise is broken.
#
#   scripts/fault-suite.sh [SCENARIO]... [--quick] [--scenario SCENARIO]... [--no-build]
#
#   kill        kill -9 of the worker running a run     → failed (worker_lost) within StaleAfter, the other worker goes on
#   postgres    pg_ctl stop -m immediate mid-run, 20 s  → everything recovers alone, no run lost or doubled, truthful outcome
#   dedupe      200 concurrent starts over both webs    → exactly one run
#   sigterm     SIGTERM of the worker running a run     → handed back, completed by the other worker
#   schedulers  both workers tick the backup scheduler  → exactly one run per (schedule, slot), no slot missed
#   graph       Graph 429 storm, 503s, slow Graph       → truthful outcomes and throttle figures, the tenant budget kept
#   duplicate   a run's Hangfire job delivered again    → the run executes once (one claim, one backup set)
#   fuzz        bad input to every API route and form   → 4xx with a message, never 5xx, nothing written
#
# A scenario is named alone (`scripts/fault-suite.sh graph`) or with --scenario. --quick runs dedupe, sigterm, duplicate
# and fuzz (no waiting for the stale window, an outage or a scheduler slot). Default: all. --no-build uses the Release
# build already there (CI runs this after scripts/test.sh built everything).
# Knobs (environment): FAULT_STALE_AFTER (seconds, 40), FAULT_OUTAGE (seconds, 20), FAULT_STARTS (200), FAULT_BUDGET
# (Graph requests per tenant per 5 s, 60), FAULT_KEEP=1 keeps the temp dir (database, every process's log).
set -Eeuo pipefail
# A command that stops the suite says which one it was (a scenario's helpers run in command substitutions).
trap 'echo "fault suite: stopped by \"$BASH_COMMAND\" (line $LINENO, exit $?)" >&2' ERR
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. scripts/lib.sh

scenarios=()
build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) scenarios+=(dedupe sigterm duplicate fuzz) ;;
    --scenario) scenarios+=("${2:?--scenario needs a scenario name}"); shift ;;
    --no-build) build=0 ;;
    -*) echo "usage: scripts/fault-suite.sh [SCENARIO]... [--quick] [--scenario SCENARIO]... [--no-build]" >&2; exit 2 ;;
    *) scenarios+=("$1") ;;
  esac
  shift
done
all_scenarios=(kill postgres dedupe sigterm schedulers graph duplicate fuzz)
[ ${#scenarios[@]} -gt 0 ] || scenarios=("${all_scenarios[@]}")
for s in "${scenarios[@]}"; do
  case " ${all_scenarios[*]} " in *" $s "*) ;; *) echo "unknown scenario '$s' (known: ${all_scenarios[*]})" >&2; exit 2 ;; esac
done

stale_after=${FAULT_STALE_AFTER:-40}
outage=${FAULT_OUTAGE:-20}
starts=${FAULT_STARTS:-200}
budget=${FAULT_BUDGET:-60}
suite_start=$(date +%s)
BENCH_KEEP=${FAULT_KEEP:-0}
ta_bench_begin tenantatlas-faults "database stopped; logs of every process in *.log"
command -v curl >/dev/null || ta_apt_install curl
command -v jq >/dev/null || ta_apt_install jq
command -v openssl >/dev/null || ta_apt_install openssl
command -v python3 >/dev/null || ta_apt_install python3

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
# Both workers' backup scheduler ticks every 5 s (no schedule exists until the schedulers scenario makes one). A small
# per-tenant Graph budget (FAULT_BUDGET requests per 5 s, tracked in 1-s slots) that a backup exceeds without it, so the
# graph scenario can see it hold across both workers; SDK back-off without Retry-After from 1 s, not 3.
export Backup__SchedulerCron="*/5 * * * * *"
export Graph__Budget__Window=00:00:05 Graph__Budget__Slots=5 Graph__Budget__Requests="$budget" Graph__Budget__Writes=10
export Graph__RetryDelaySeconds=1
ta_log "Migrating and seeding the demo accounts"
ta_bench_migrate_and_seed
token=$(ta_bench_token)
tenant=$(sql "SELECT id FROM tenants.tenants WHERE entra_tenant_id = '6f1c3e0a-2b7d-4c59-9a8e-1d2f3a4b5c6d'")
[ -n "$tenant" ] || { ta_log "The demo tenant Contoso-EU is missing"; exit 1; }
# Contoso-US (150 policies in the emulator) for backups: small enough to back up in seconds, large enough for the budget.
us_entra=1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d
tenant_us=$(sql "SELECT id FROM tenants.tenants WHERE entra_tenant_id = '$us_entra'")
workspace_us=$(sql "SELECT workspace_id FROM tenants.tenants WHERE id = '$tenant_us'")

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

start_run() { # WEB TYPE [TENANT] [INPUTS-JSON] — prints the run id of a start through the API
  local body
  body=$(jq -nc --arg type "$2" --arg tenant "${3:-$tenant}" --argjson inputs "${4:-{\}}" '{type: $type, tenantId: $tenant, inputs: $inputs}')
  curl -fsS -X POST "${url[$1]}/api/operations" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d "$body" | jq -r .id
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
  slow_graph "*/groups*" 6000 # the run stays active through the burst
  local before t i codes created last_id overlapping
  before=$(sql "SELECT count(*) FROM operations.operation_runs WHERE type = 'directory_groups.sync'")
  last_id=$(sql "SELECT coalesce(max(id), 0) FROM operations.operation_runs")
  t=$(now)
  for i in $(seq 1 "$starts"); do echo "$([ $((i % 2)) = 0 ] && echo "${url[web1]}" || echo "${url[web2]}")"; done |
    xargs -P 50 -I{} curl -s -o /dev/null -w '%{http_code}\n' -X POST "{}/api/operations" -H "Authorization: Bearer $token" \
      -H 'Content-Type: application/json' -d "{\"type\":\"directory_groups.sync\",\"tenantId\":\"$tenant\"}" >"$work/dedupe.codes"
  codes=$(sort "$work/dedupe.codes" | uniq -c | awk '{ printf "%s×%s ", $1, $2 }')
  created=$(($(sql "SELECT count(*) FROM operations.operation_runs WHERE type = 'directory_groups.sync'") - before))
  figure "dedupe: $starts starts in $(elapsed "$t") s answered ${codes}→ $created run(s) created"
  # The promise is one ACTIVE run: a start after the run completed (a slow burst on a loaded machine) rightly makes a new one.
  overlapping=$(sql "SELECT count(*) FROM operations.operation_runs a JOIN operations.operation_runs b ON a.id < b.id
                     WHERE a.type = 'directory_groups.sync' AND b.type = a.type AND a.id > $last_id AND b.id > $last_id
                       AND b.created_at < coalesce(a.completed_at, 'infinity')")
  [ "$overlapping" = 0 ] || broken "dedupe: $created runs created by $starts identical starts, $overlapping pair(s) active at once"
  [ "$created" = 1 ] || ta_log "note: $created runs: the run completed during the burst and later starts made a new one (never two at once)"
  [ "$(grep -c '^201$' "$work/dedupe.codes")" = "$created" ] || broken "dedupe: $(grep -c '^201$' "$work/dedupe.codes") answers were 201 Created for $created runs"
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

# ---- Helpers of the later scenarios ----------------------------------------------------------------------------------
make_schedule() { # NAME CRON FAMILIES(comma-separated) [WATERMARK-SQL] — a backup schedule of Contoso-US; prints its id
  sql "INSERT INTO backup.backup_schedules (id, workspace_id, tenant_id, name, cron_expression, time_zone_id, families, enabled, watermark, created_at, updated_at)
       VALUES (gen_random_uuid(), '$workspace_us', '$tenant_us', '$1', '$2', 'Europe/Berlin', string_to_array('$3', ','), true, ${4:-now()}, now(), now())
       RETURNING id"
}
# A Hangfire job delivered again: the same method and arguments enqueued as a new job through Hangfire's storage — what a
# redelivery after the invisibility timeout, a requeue from the dashboard or a double enqueue amounts to.
deliver_again() { # HANGFIRE-JOB-ID [COUNT]
  local i
  for i in $(seq 1 "${2:-1}"); do
    # Ids first: a data-modifying CTE does not see rows its siblings insert, so the job is written with its state's id.
    sql "WITH ids AS (SELECT nextval('hangfire.job_id_seq') AS job, nextval('hangfire.state_id_seq') AS state),
              j AS (INSERT INTO hangfire.job (id, stateid, statename, invocationdata, arguments, createdat)
                    SELECT ids.job, ids.state, 'Enqueued', o.invocationdata, o.arguments, now() FROM hangfire.job o, ids WHERE o.id = $1
                    RETURNING id),
              st AS (INSERT INTO hangfire.state (id, jobid, name, reason, createdat, data)
                    SELECT ids.state, j.id, 'Enqueued', 'fault suite: delivered again', now(),
                           jsonb_build_object('Queue', 'default', 'EnqueuedAt', (extract(epoch FROM now()) * 1000)::bigint::text)
                    FROM ids, j RETURNING jobid)
         INSERT INTO hangfire.jobqueue (jobid, queue) SELECT jobid, 'default' FROM st RETURNING jobid" >/dev/null
  done
}
job_of() { field "$1" "hangfire_job_id"; }
summary_of() { field "$1" "coalesce(summary::text, '{}')"; }
# The emulator's count of Contoso-US's Graph calls after a log sequence number, over a window in ms.
# Calls that count against Intune's per-tenant limit (the app's Intune budget); Conditional Access keeps its own budget.
graph_rate() { curl -fsS "$emulator/_emulator/requests/rate?tenantId=$us_entra&windowMs=$2&after=$1&service=${3:-intune}"; }
graph_seq() { curl -fsS "$emulator/_emulator/requests?tenantId=$us_entra" | jq '[.[].sequence] | max // 0'; }
worker_of_server() { # SERVER-ID (host:pid:role) → worker1/worker2
  local p name
  p=$(echo "$1" | cut -d: -f2)
  for name in worker1 worker2; do [ "${pid[$name]}" = "$p" ] && { echo "$name"; return 0; }; done
  echo "?"
}

scenario_schedulers() {
  ta_log "Scenario schedulers: the backup scheduler ticks every 5 s in both workers over an every-minute schedule"
  local sched wm_start wm_end expected runs slots dup missed wait_s tick_job ticks
  # Four past slots are due at once (a restart's catch-up, within the grace window) and then one live slot a minute.
  local made_at
  made_at=$(sql "SELECT now()")
  sched=$(make_schedule "fault suite: every minute" "* * * * *" deviceManagementScripts "date_trunc('minute', now()) - interval '4 minutes' + interval '1 second'")
  wm_start=$(sql "SELECT watermark FROM backup.backup_schedules WHERE id = '$sched'")
  # Three more ticks at once on top of the recurring one, so both workers compute the same slots at the same moment.
  tick_job=$(sql "SELECT max(id) FROM hangfire.job WHERE invocationdata::text LIKE '%BackupScheduler%'")
  [ -n "$tick_job" ] && deliver_again "$tick_job" 3
  # Past the next live slot and long enough for its tick (every 5 s) and its backup.
  wait_s=$((60 - $(date +%-S) + 20))
  ta_log "Waiting ${wait_s} s for a live slot"
  sleep "$wait_s"
  sql "UPDATE backup.backup_schedules SET enabled = false WHERE id = '$sched'" >/dev/null
  wm_end=$(sql "SELECT watermark FROM backup.backup_schedules WHERE id = '$sched'")
  expected=$(sql "SELECT count(*) FROM generate_series(date_trunc('minute', '$wm_start'::timestamptz) + interval '1 minute', '$wm_end'::timestamptz, interval '1 minute')")
  runs=$(sql "SELECT count(*) FROM operations.operation_runs WHERE schedule_id = '$sched'")
  slots=$(sql "SELECT count(DISTINCT scheduled_for) FROM operations.operation_runs WHERE schedule_id = '$sched'")
  dup=$(sql "SELECT count(*) FROM (SELECT scheduled_for FROM operations.operation_runs WHERE schedule_id = '$sched' GROUP BY 1 HAVING count(*) > 1) d")
  missed=$(sql "SELECT count(*) FROM operations.operation_runs WHERE schedule_id = '$sched' AND completion_reason = 'missed'")
  ticks=$(sql "SELECT s.data::jsonb ->> 'ServerId' FROM hangfire.job j JOIN hangfire.state s ON s.jobid = j.id AND s.name = 'Processing'
               WHERE j.invocationdata::text LIKE '%BackupScheduler%' AND j.createdat >= '$made_at'::timestamptz" |
    while read -r server; do worker_of_server "$server"; done | sort | uniq -c | awk '{ printf "%s %s× ", $2, $1 }')
  for run in $(sql "SELECT id FROM operations.operation_runs WHERE schedule_id = '$sched' AND status <> 'completed'"); do
    wait_for "$run" "status = 'completed'" 60 || true
  done
  local outcomes sets
  outcomes=$(sql "SELECT outcome, count(*) FROM operations.operation_runs WHERE schedule_id = '$sched' GROUP BY 1 ORDER BY 1" | awk -F'|' '{ printf "%s %s× ", $1, $2 }')
  sets=$(sql "SELECT count(*) FROM backup.backup_sets WHERE schedule_id = '$sched'")
  figure "schedulers: ticks ran on ${ticks:-?}(3 extra at once); $expected slots due (4 caught up, the rest live) → $runs run(s) for $slots slot(s), $dup slot(s) doubled, $missed missed; outcomes ${outcomes% }; $sets backup set(s)"
  [ "$runs" = "$expected" ] && [ "$slots" = "$expected" ] || broken "schedulers: $expected slots due, $runs runs for $slots slots"
  [ "$dup" = 0 ] || broken "schedulers: $dup slot(s) got more than one run"
  [ "$missed" = 0 ] || broken "schedulers: $missed slot(s) recorded as missed"
  [ "$sets" = "$runs" ] || broken "schedulers: $runs runs but $sets backup sets"
  case "$ticks" in *worker1*worker2* | *worker2*worker1*) ;; *) ta_log "note: every tick ran on one worker ($ticks)" ;; esac
  [ "$(active_runs)" = 0 ] || broken "schedulers: $(active_runs) run(s) still queued or running"
}

# Throttle figures of a run: "throttled_requests/throttle_wait_seconds".
throttle_of() { summary_of "$1" | jq -r '"\(.throttled_requests // 0)/\(.throttle_wait_seconds // 0)"'; }
fault() { curl -fsS -o /dev/null -X POST "$emulator/_emulator/faults" -H 'Content-Type: application/json' -d "$1"; }

scenario_graph() {
  ta_log "Scenario graph: a 429 storm, 503s and slow Graph during backups and syncs of Contoso-US (budget ${budget} requests / 5 s)"
  local half_a half_b seq0 t run_a run_b run_s rate max
  half_a=$(make_schedule "fault suite: scripts and compliance" "0 3 * * *" deviceManagementScripts,deviceCompliancePolicies)
  half_b=$(make_schedule "fault suite: configurations" "0 3 * * *" deviceConfigurations,configurationPolicies)
  fast_graph

  # 1. A storm: every Intune call of the tenant answers 429 (Retry-After 3 s) for 6 s, from the start of two backups and
  #    three syncs running at once — in both workers; the SDK's retries outlast it. The budget keeps the tenant's calls under
  #    FAULT_BUDGET per 5 s across both processes (a backup alone would go faster).
  seq0=$(graph_seq)
  t=$(now)
  # The storm starts with the runs, not after them: on an idle machine a run may be done within a second, and a storm
  # that comes "mid-way" may find nothing left to throttle. 6 s, longer than the budget's pauses (so calls do arrive in
  # it); Retry-After 3 s, so a call's third attempt is past it.
  fault "{\"tenantId\":\"$us_entra\",\"pattern\":\"*/deviceManagement/*\",\"status\":429,\"retryAfterSeconds\":3,\"durationMs\":6000}"
  run_a=$(start_run web1 backup_schedule.run_now "$tenant_us" "{\"scheduleId\":\"$half_a\"}")
  run_b=$(start_run web2 backup_schedule.run_now "$tenant_us" "{\"scheduleId\":\"$half_b\"}")
  run_s=$(start_run web1 inventory.sync "$tenant_us")
  # Two directory syncs of the tenant too: five jobs at once are taken by both workers (each job by whichever polls first).
  local run_g run_d
  run_g=$(start_run web2 directory_groups.sync "$tenant_us")
  run_d=$(start_run web1 directory_role_definitions.sync "$tenant_us")
  local r ok=1
  for r in $run_a $run_b $run_s $run_g $run_d; do wait_for "$r" "status = 'completed'" 240 || { ok=0; broken "graph: storm run $r did not complete in 240 s"; }; done
  fast_graph
  if [ "$ok" = 1 ]; then
    rate=$(graph_rate "$seq0" 5000)
    local throttled_runs=0 desc="" runners=""
    for r in $run_a $run_b $run_s $run_g $run_d; do
      desc+="$(field "$r" "type || ' ' || outcome") $(throttle_of "$r"), "
      throttled_runs=$((throttled_runs + $(summary_of "$r" | jq '.throttled_requests // 0')))
      runners+="$(runner_of "$r" || echo '?') "
      [ "$(field "$r" outcome)" = succeeded ] ||
        broken "graph: storm run $r ended $(field "$r" "outcome || ' ' || failures::text") (a 6-s storm with Retry-After 3 s is outlasted by the retries)"
    done
    max=$(echo "$rate" | jq .maxInWindow)
    figure "graph storm: 6 s of 429 (Retry-After 3 s) on Intune calls over 2 backups and 3 syncs (ran on: ${runners% }) → ${desc%, } (throttled/wait s) in $(elapsed "$t") s; the emulator answered $(echo "$rate" | jq .throttled) × 429, the runs report $throttled_runs"
    [ "$throttled_runs" = "$(echo "$rate" | jq .throttled)" ] || broken "graph: the emulator throttled $(echo "$rate" | jq .throttled) calls, the runs report $throttled_runs"
    [ "$throttled_runs" -gt 0 ] || broken "graph: the storm throttled nothing (it came too late?)"
    figure "graph budget: $(echo "$rate" | jq .requests) Intune calls of Contoso-US from both workers; at most $max within any 5 s (budget $budget per 5 s), at most $(graph_rate "$seq0" 1000 | jq .maxInWindow) within any 1 s; Conditional Access (its own budget, 1 per s): $(graph_rate "$seq0" 1000 conditionalAccess | jq -r '"\(.requests) calls, at most \(.maxInWindow) within any 1 s"')"
    [ "$max" -le "$budget" ] || broken "graph: $max calls of one tenant within 5 s, over the budget of $budget"
    [ "$(echo "$rate" | jq .requests)" -gt "$budget" ] || broken "graph: the storm made only $(echo "$rate" | jq .requests) calls: the budget was not tested"
    case "$runners" in *worker1*worker2* | *worker2*worker1*) ;; *) ta_log "note: all five runs went to one worker ($runners): the budget held within one process only this time" ;; esac
  fi

  # 1b. A storm that does not pass on one family: the SDK gives up after its retries; the backup is partial and says
  #     TooManyRequests for that family, and counts every 429.
  fault "{\"tenantId\":\"$us_entra\",\"pattern\":\"*/deviceManagement/deviceCompliancePolicies*\",\"status\":429,\"retryAfterSeconds\":1}"
  seq0=$(graph_seq)
  t=$(now)
  run_a=$(start_run web2 backup_schedule.run_now "$tenant_us" "{\"scheduleId\":\"$half_a\"}")
  if wait_for "$run_a" "status = 'completed'" 120; then
    local outcome codes
    outcome=$(field "$run_a" outcome)
    codes=$(field "$run_a" "failures::text" | jq -r '[.[] | (.code // "?")] | unique | join(",")')
    figure "graph 429 without end on deviceCompliancePolicies → backup $run_a ended $outcome in $(elapsed "$t") s, failure codes [$codes], throttled/wait $(throttle_of "$run_a") (the emulator answered $(graph_rate "$seq0" 5000 | jq .throttled) × 429)"
    [ "$outcome" = partially_succeeded ] || broken "graph: a backup with one family throttled for good ended $outcome, not partially_succeeded"
    [ "$codes" = TooManyRequests ] || broken "graph: the throttled family's failure carries [$codes], not TooManyRequests"
  else
    broken "graph: the throttled backup $run_a did not complete in 120 s"
  fi
  fast_graph

  # 2. 503s without end on one family: the backup is partial, the family missing with Graph's error code; the other succeeds.
  fault "{\"tenantId\":\"$us_entra\",\"pattern\":\"*/deviceManagement/configurationPolicies*\",\"status\":503,\"retryAfterSeconds\":1}"
  t=$(now)
  run_a=$(start_run web2 backup_schedule.run_now "$tenant_us" "{\"scheduleId\":\"$half_b\"}")
  if wait_for "$run_a" "status = 'completed'" 120; then
    local outcome codes
    outcome=$(field "$run_a" outcome)
    codes=$(field "$run_a" "failures::text" | jq -r '[.[] | (.code // "?")] | unique | join(",")')
    figure "graph 503: 503 without end on configurationPolicies → backup $run_a ended $outcome in $(elapsed "$t") s, failure codes [$codes], throttled/wait $(throttle_of "$run_a")"
    [ "$outcome" = partially_succeeded ] || broken "graph: a backup with one family answering 503 ended $outcome, not partially_succeeded"
    case "$codes" in *erviceUnavailable* | *serviceNotAvailable* | *unavailable*) ;; *) broken "graph: the 503 family's failure carries [$codes], not Graph's error code" ;; esac
  else
    broken "graph: the 503 backup $run_a did not complete in 120 s"
  fi
  fast_graph

  # 3. Graph down for the whole tenant: the sync fails and says why (Graph's code), within the retry budget.
  fault "{\"tenantId\":\"$us_entra\",\"pattern\":\"*\",\"status\":503,\"retryAfterSeconds\":1}"
  t=$(now)
  run_s=$(start_run web1 inventory.sync "$tenant_us")
  if wait_for "$run_s" "status = 'completed'" 120; then
    local outcome codes
    outcome=$(field "$run_s" "outcome || ' (' || coalesce(completion_reason, '') || ')'")
    codes=$(field "$run_s" "failures::text" | jq -r '[.[] | (.code // "?")] | unique | join(",")')
    figure "graph down: every call 503 → inventory sync $run_s ended $outcome in $(elapsed "$t") s, failure codes [$codes]"
    case "$outcome" in failed*) ;; *) broken "graph: a sync against a Graph answering only 503 ended $outcome" ;; esac
    [ -n "$codes" ] && [ "$codes" != "?" ] || broken "graph: the failed sync carries no Graph error code"
  else
    broken "graph: the sync against a dead Graph did not complete in 120 s"
  fi
  fast_graph

  # 4. Slow Graph: 400 ms on every call of the tenant; the backup succeeds, only slower.
  slow_graph "*" 400
  t=$(now)
  run_b=$(start_run web2 backup_schedule.run_now "$tenant_us" "{\"scheduleId\":\"$half_a\"}")
  if wait_for "$run_b" "status = 'completed'" 180; then
    figure "graph slow: 400 ms per call → backup $run_b ended $(field "$run_b" outcome) in $(elapsed "$t") s ($(summary_of "$run_b" | jq -r '.succeeded // 0') policies)"
    [ "$(field "$run_b" outcome)" = succeeded ] || broken "graph: the slow backup ended $(field "$run_b" outcome)"
  else
    broken "graph: the slow backup $run_b did not complete in 180 s"
  fi
  fast_graph
  [ "$(active_runs)" = 0 ] || broken "graph: $(active_runs) run(s) still queued or running"
}

scenario_duplicate() {
  ta_log "Scenario duplicate: a backup run's Hangfire job delivered again — at once, while it runs, and after it completed"
  local sched run job before_jobs effects claims sets
  sched=$(make_schedule "fault suite: duplicate delivery" "0 4 * * *" deviceManagementScripts,deviceCompliancePolicies)
  slow_graph "*/deviceManagement/*" 150 # a few seconds of work, so "while it runs" is while it runs
  run=$(start_run web1 backup_schedule.run_now "$tenant_us" "{\"scheduleId\":\"$sched\"}")
  for _ in $(seq 1 40); do job=$(job_of "$run"); [ -n "$job" ] && break; sleep 0.25; done
  [ -n "$job" ] || { broken "duplicate: run $run got no Hangfire job"; fast_graph; return 0; }
  deliver_again "$job" 2   # three deliveries racing for the queued run
  wait_for "$run" "status = 'running'" 60 || true
  local claimed_at
  claimed_at=$(field "$run" "started_at")
  deliver_again "$job" 2   # two more while it runs
  wait_for "$run" "status = 'completed'" 180 || broken "duplicate: run $run did not complete"
  fast_graph
  deliver_again "$job" 1   # one after it completed
  local finished_at summary_before
  finished_at=$(field "$run" "completed_at")
  summary_before=$(field "$run" "summary::text || failures::text || hand_backs")
  # Every delivery ends: 6 jobs of this run, none enqueued or processing.
  local deadline=$(($(date +%s) + 60)) live
  while [ "$(date +%s)" -lt "$deadline" ]; do
    live=$(sql "SELECT count(*) FROM hangfire.job WHERE arguments::jsonb ->> 0 = '$run' AND statename IN ('Enqueued', 'Processing', 'Scheduled')")
    [ "$live" = 0 ] && break
    sleep 0.5
  done
  local states
  states=$(sql "SELECT statename, count(*) FROM hangfire.job WHERE arguments::jsonb ->> 0 = '$run' GROUP BY 1 ORDER BY 1" | awk -F'|' '{ printf "%s %s× ", $1, $2 }')
  # Which worker took each delivery (Hangfire's Processing state names the server).
  local takers
  takers=$(sql "SELECT s.data::jsonb ->> 'ServerId' FROM hangfire.job j JOIN hangfire.state s ON s.jobid = j.id AND s.name = 'Processing'
                WHERE j.arguments::jsonb ->> 0 = '$run'" | while read -r server; do worker_of_server "$server"; done | sort | uniq -c | awk '{ printf "%s %s× ", $2, $1 }')
  claims=$([ "$(field "$run" "started_at")" = "$claimed_at" ] && [ "$(field "$run" hand_backs)" = 0 ] && echo 1 || echo "more than 1")
  sets=$(sql "SELECT count(*) FROM backup.backup_sets WHERE operation_run_id = $run")
  figure "duplicate: run $run delivered 6 times (1 + 2 at once + 2 while running + 1 after; taken by ${takers% }) → $(field "$run" outcome), $claims claim, $sets backup set; the jobs ended ${states% }; the delivery after completion changed nothing"
  [ "$live" = 0 ] || broken "duplicate: $live job(s) of run $run still enqueued or processing"
  [ "$sets" = 1 ] || broken "duplicate: run $run has $sets backup sets"
  [ "$(field "$run" outcome)" = succeeded ] || broken "duplicate: run $run ended $(field "$run" outcome)"
  [ "$(field "$run" "completed_at")" = "$finished_at" ] && [ "$(field "$run" "summary::text || failures::text || hand_backs")" = "$summary_before" ] ||
    broken "duplicate: a delivery after completion changed run $run"
  [ "$claims" = 1 ] || broken "duplicate: run $run was claimed $claims times (its start or hand-backs changed)"
}

scenario_fuzz() {
  ta_log "Scenario fuzz: bad input to every API route and form, against web1"
  local before after out
  local counted="operations.operation_runs backup.backup_schedules backup.backup_sets tenants.tenants access.personal_access_tokens restore.restore_requests"
  # Row counts, and a checksum of the rows an edit form could change.
  counts() {
    local t
    for t in $counted; do echo "$t=$(sql "SELECT count(*) FROM $t" 2>/dev/null || echo '-')"; done | tr '\n' ' '
    echo "tenants.tenants md5=$(sql "SELECT md5(string_agg(t::text, ',' ORDER BY id)) FROM tenants.tenants t" | cut -c1-8)"
  }
  before=$(counts)
  if out=$(python3 "$root/scripts/fault-fuzz.py" --base "${url[web1]}" --token "$token" --tenant "$tenant" \
      --email owner@demo.test --password 'Demo!2345' --workspace "$(sql "SELECT workspace_id FROM tenants.tenants WHERE id = '$tenant'")" \
      --report "$work/fuzz.tsv" 2>"$work/fuzz.log"); then
    figure "fuzz: $out"
  else
    figure "fuzz: $out"
    broken "fuzz: $(grep -c '^BAD' "$work/fuzz.tsv" 2>/dev/null || echo '?') request(s) answered badly: $(grep '^BAD' "$work/fuzz.tsv" 2>/dev/null | head -n 5 | cut -f2-4 | tr '\t\n' ' ;')"
  fi
  after=$(counts)
  [ "$before" = "$after" ] || broken "fuzz: rows changed by rejected input: before [$before] after [$after]"
  figure "fuzz: row counts unchanged: $after"
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
