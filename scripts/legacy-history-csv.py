#!/usr/bin/env python3
"""Writes a legacy history of the old system as CSV files (one per table, the importer's contract in
docs/modules/legacy.md): a year of runs of the demo tenants, with the messy statuses such history holds (success,
error, partial, null, still running), Laravel dumps in error messages, a schedule slot that ran twice and an old tenant
that maps to no TenantAtlas tenant. Deterministic (seeded).

  scripts/legacy-history-csv.py DIR [--rows N]

Without --rows: the demo's history (about 3,000 rows, src/TenantAtlas.Web/Demo/legacy). --rows N: N inventory rows
plus the same share of the other tables (the benchmark, scripts/bench-legacy.sh).
"""
import csv, os, random, sys
from datetime import datetime, timedelta

out = sys.argv[1] if len(sys.argv) > 1 and not sys.argv[1].startswith('-') else sys.exit(__doc__)
rows = int(sys.argv[sys.argv.index('--rows') + 1]) if '--rows' in sys.argv else None
rnd = random.Random(14)
os.makedirs(out, exist_ok=True)

# The demo tenants' Entra ids (src/TenantAtlas.Web/Demo/DemoSeeder.cs) and one the portal never had.
tenants = [
    (1, 'Contoso EU (old portal)', '6f1c3e0a-2b7d-4c59-9a8e-1d2f3a4b5c6d'),
    (2, 'Contoso US (old portal)', '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d'),
    (3, 'Fabrikam (old portal)', 'a7e4d2c1-9b8f-4e3d-b2a1-0f9e8d7c6b5a'),
    (4, 'Northwind (left in 2025)', '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a'),
]
emails = ['owner@demo.test', 'operator@demo.test', 'former.admin@oldportal.example', '']
start = datetime(2025, 12, 1)
fmt = lambda t: t.strftime('%Y-%m-%d %H:%M:%S') if t else ''

def status():
    r = rnd.random()
    for limit, s in [(0.55, 'completed'), (0.70, 'success'), (0.78, 'partial'), (0.86, 'failed'), (0.92, 'error'),
                     (0.95, 'cancelled'), (0.97, ''), (0.985, 'running'), (1.0, 'pending')]:
        if r < limit:
            return s

errors = [
    'Graph request failed: 429 Too Many Requests',
    "Token request failed: Array\n(\n    [client_id] => 0b1e7a52\n    [client_secret] => Zx9~old-secret-value\n)",
    "Config: ['tenant' => 'contoso', 'client_secret' => 'old-secret-2']",
    'cURL error 28: Operation timed out after 30000 milliseconds',
]

def common(i, when):
    s = status()
    started = when + timedelta(seconds=rnd.randint(0, 30))
    finished = None if s in ('running', 'pending') else started + timedelta(seconds=rnd.randint(5, 900))
    err = rnd.choice(errors) if s in ('failed', 'error', 'partial') else ''
    email = rnd.choice(emails)
    return [i, rnd.choice([1, 1, 2, 3, 3, 4]), s, fmt(started), fmt(finished), err, rnd.randint(1, 9) if email else '', email,
            fmt(when), fmt(finished or started)]

head = ['id', 'tenant_id', 'status', 'started_at', 'finished_at', 'error_message', 'triggered_by_user_id', 'user_email', 'created_at', 'updated_at']

def write(name, header, body):
    with open(os.path.join(out, name + '.csv'), 'w', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(header)
        w.writerows(body)

write('tenants', ['id', 'name', 'entra_tenant_id', 'created_at', 'updated_at'], [(i, n, e, '2024-06-01 09:00:00', '') for i, n, e in tenants])
n = rows or 1500
span = 365 * 24 * 3600
def when(i, count):
    return start + timedelta(seconds=int(span * i / count))

write('inventory_sync_runs', head + ['items_synced', 'items_failed'],
      ([*common(i, when(i, n)), rnd.randint(20, 400), rnd.randint(0, 3)] for i in range(1, n + 1)))
g = max(1, n * 2 // 5)
write('entra_group_sync_runs', head + ['groups_synced', 'groups_deleted'],
      ([*common(i, when(i, g)), rnd.randint(50, 3000), rnd.randint(0, 20)] for i in range(1, g + 1)))
b = max(2, n * 2 // 5)
def backups():
    for i in range(1, b + 1):
        row = common(i, when(i, b))
        schedule = 10 + row[1]
        slot = when(i, b).replace(minute=0, second=0)
        if i == 2:  # the old scheduler fired this slot twice
            slot = when(1, b).replace(minute=0, second=0)
            row[1] = first_tenant
            schedule = 10 + first_tenant
        yield [*row, schedule, fmt(slot), rnd.randint(10, 200), rnd.randint(0, 2)]
first_tenant = None
rnd_state = rnd.getstate()
first_tenant = common(1, when(1, b))[1]
rnd.setstate(rnd_state)
write('backup_schedule_runs', head + ['backup_schedule_id', 'scheduled_for', 'items_backed_up', 'items_failed'], backups())
r = max(1, n // 30)
write('restore_runs', head + ['restore_request_id', 'items_restored', 'items_failed'],
      ([*common(i, when(i, r)), '', rnd.randint(1, 40), rnd.randint(0, 2)] for i in range(1, r + 1)))
d = max(1, n // 10)
write('role_definition_sync_runs', head + ['roles_synced'], ([*common(i, when(i, d)), rnd.randint(5, 40)] for i in range(1, d + 1)))
