#!/usr/bin/env bash
# The legacy import and backfill benchmark (on demand, never in CI): issue 14, docs/modules/legacy.md.
#
#   scripts/bench-legacy.sh [--rows N] [--ref GIT-REV]
#
# Builds the host (Release), starts its OWN durable PostgreSQL in a temp dir, migrates and seeds the demo (the old
# tenants map to the demo tenants), writes a legacy history of N inventory rows plus the same share of the other tables
# (default --rows 520000: about 1,000,000 rows in all) with scripts/legacy-history-csv.py, then times
# `legacy import --csv`, `legacy backfill`, and a second backfill (which must add 0 runs). Prints rows/s for each.
# BENCH_KEEP=1 keeps the temp dir.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. scripts/lib.sh
rows=520000
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) rows=${2:?--rows needs a number}; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
ta_bench_options "scripts/bench-legacy.sh [--rows N] [--ref GIT-REV]" "${args[@]+"${args[@]}"}"
ta_bench_begin tenantatlas-bench-legacy "database stopped"
ta_bench_source "$ref" "the host"
ta_bench_build 1500 "$app_dir"
ta_bench_pg_start
ta_bench_app_db
# The demo accounts and tenants (the old tenants map to them), without the demo run history or its legacy history.
export ASPNETCORE_ENVIRONMENT=Demo Demo__History=false Demo__BackupSchedules=false Logging__LogLevel__Default=Warning
ta_bench_migrate_and_seed

ta_log "Writing the legacy history ($rows inventory rows and their share of the other tables)"
python3 "$root/scripts/legacy-history-csv.py" "$work/csv" --rows "$rows"
total=$(($(cat "$work"/csv/*_runs.csv | python3 -c 'import csv,sys; print(sum(1 for _ in csv.reader(sys.stdin)))') - 5))
ta_log "$total legacy run rows (load: $(cut -d' ' -f1-3 /proc/loadavg))"

legacy() { (cd "$app_dir" && timeout 3600 dotnet "$app_dll" legacy "$@" 2>>"$work/legacy.log"); }
seconds() { python3 -c "import time; print(time.time())"; }
rate() { python3 -c "print(f'{$1 / ($3 - $2):,.0f} rows/s in {$3 - $2:.1f} s')"; }

t0=$(seconds); import=$(legacy import --csv "$work/csv"); t1=$(seconds)
backfill=$(legacy backfill); t2=$(seconds)
again=$(legacy backfill); t3=$(seconds)
added_again=$(echo "$again" | awk '$1 == "total" {gsub(",", "", $3); print $3}')

echo
echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') with scripts/bench-legacy.sh --rows $rows ($measured, Release; PostgreSQL durable," \
  "fsync on; nproc $(nproc); load at the end: $(cut -d' ' -f1-3 /proc/loadavg)); $total legacy run rows."
echo
echo "$import"
echo
echo "$backfill"
echo
echo "| step | rate |"
echo "|---|---|"
echo "| import (COPY + insert) | $(rate "$total" "$t0" "$t1") |"
echo "| backfill (runs created) | $(rate "$total" "$t1" "$t2") |"
echo "| second backfill | $(rate "$total" "$t2" "$t3"), added $added_again runs |"
[ "$added_again" = 0 ] || { ta_log "The second backfill added runs: it must add none"; exit 1; }
