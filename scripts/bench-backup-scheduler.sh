#!/usr/bin/env bash
# The backup scheduler benchmark (on demand, never in CI): docs/performance.md, section "Backup scheduler".
#
#   scripts/bench-backup-scheduler.sh
#
# Builds tests/TenantAtlas.Backup.Tests in Release, starts its OWN PostgreSQL in a temp dir (durable: fsync on, as in
# production), and runs the SchedulerBenchmark test against it (TENANTATLAS_TEST_DB): a migrated database with the demo
# accounts, BENCH_SCHEDULES enabled schedules (10000) all due on the same slot, BENCH_SCHEDULERS scheduler hosts (3)
# released at once, BENCH_ROUNDS rounds (2, one new slot each). Prints the table (also in
# artifacts/bench/backup-scheduler.md) and stops the database, whatever happens. BENCH_KEEP=1 keeps the temp dir.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. scripts/lib.sh
ta_bench_begin tenantatlas-bench-scheduler "database stopped"

measured=$(ta_bench_work_tree src tests)
ta_log "Building tests/TenantAtlas.Backup.Tests (Release)"
ta_bench_build 1200 tests/TenantAtlas.Backup.Tests

ta_bench_pg_start
export TENANTATLAS_TEST_DB="Host=127.0.0.1;Port=$pg_port;Username=postgres;Password=$pg_password"
export TENANTATLAS_BENCH_SCHEDULER=1
export BENCH_SCHEDULES=${BENCH_SCHEDULES:-10000} BENCH_SCHEDULERS=${BENCH_SCHEDULERS:-3} BENCH_ROUNDS=${BENCH_ROUNDS:-2}
ta_log "Benchmark: $BENCH_SCHEDULES schedules, $BENCH_SCHEDULERS schedulers, $BENCH_ROUNDS rounds (load: $(cut -d' ' -f1-3 /proc/loadavg))"
started=$(date -u '+%Y-%m-%d %H:%M UTC')
timeout 3600 dotnet test tests/TenantAtlas.Backup.Tests -c Release --no-build --filter "FullyQualifiedName~SchedulerBenchmark" \
  --logger "console;verbosity=normal" >"$work/test.log" 2>&1 || { tail -50 "$work/test.log" >&2; exit 1; }
echo
echo "Measured $started with scripts/bench-backup-scheduler.sh ($measured, Release;" \
  "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') durable, fsync on; nproc $(nproc); load at the end: $(cut -d' ' -f1-3 /proc/loadavg))."
echo
cat artifacts/bench/backup-scheduler.md
