-- Operations benchmark data: 50 workspaces, 500 tenants, 1,000,000 runs (psql -v runs=1000000 -f this file).
-- Runs after `migrate` and `seed-demo` (demo users must exist). Not idempotent: meant for a fresh database.
--
-- Shape (see docs/performance.md):
--   * workspaces "Bench 01".."Bench 50", each with an owner bench-owner-NN@bench.test (no password: cannot sign in)
--     and 10 tenants; runs are spread evenly: tenant = g % 500, so each workspace holds runs/50, each tenant runs/500;
--   * owner@demo.test is Owner of Bench 01, Manager of Bench 02, Operator of Bench 03, Readonly of Bench 04 (plus
--     Owner of Contoso from the demo seed), so its list merges several scopes, one with a type filter (operator);
--     operator@demo.test is Operator of Bench 01 and Bench 05; outsider@demo.test is Owner of Bench 10;
--   * types: 35% inventory sync, 15% groups sync, 10% role definitions sync, 25% scheduled backup, 8% backup run now,
--     2% backup retry, 5% restore; one run every 30 s, newest now; all completed (85% succeeded, 6% partially,
--     7% failed with a failure entry, 2% cancelled) except the newest 500 rows (one per tenant, so no two active runs
--     share a dedupe identity): a third running, the rest queued;
--   * every row satisfies the check constraints and unique indexes of the Initial migration: dedupe keys
--     "type|tenant:ID" (active ones unique), click keys "type|click:UUID", restore keys "restore.execute|restore_request:
--     UUID", schedule slots (schedule per tenant, scheduled_for = created_at to the second: unique), initiator system
--     <=> no user id;
--   * tenants point Graph and the authority at 127.0.0.1:9 (nothing listens there) and have no secret: a job that does
--     run during the benchmark (the Hangfire comparison run) fails on loopback, never reaching out;
--   * active rows carry a Hangfire job id (the reconciler leaves them alone) and running ones a heartbeat 30 minutes
--     ahead (workers that keep heartbeating during the measurement: the stale-run detector leaves them alone).
-- The full (non-partial) secondary indexes of operation_runs — the three list/keyset indexes, which every row enters —
-- are dropped before the load and recreated afterwards from their own definitions (pg_get_indexdef, read before
-- dropping), i.e. exactly what the migration created; the check below proves it. Partial indexes stay in place during
-- the load: a predicate such as status IN ('queued','running') does not deparse back to identical text, and the ON
-- CONFLICT of the starter must find the migration's own dedupe index.
\set ON_ERROR_STOP on
\if :{?runs}
\else
\set runs 1000000
\endif
\timing on

BEGIN;

INSERT INTO access.users (id, is_platform_admin, display_name, user_name, normalized_user_name, email, normalized_email,
                          email_confirmed, password_hash, security_stamp, concurrency_stamp, phone_number_confirmed,
                          two_factor_enabled, lockout_enabled, access_failed_count)
SELECT md5('bench-user-' || w)::uuid, false, 'Bench owner ' || lpad(w::text, 2, '0'),
       'bench-owner-' || lpad(w::text, 2, '0') || '@bench.test', upper('bench-owner-' || lpad(w::text, 2, '0') || '@bench.test'),
       'bench-owner-' || lpad(w::text, 2, '0') || '@bench.test', upper('bench-owner-' || lpad(w::text, 2, '0') || '@bench.test'),
       true, NULL, md5('stamp' || w), md5('concurrency' || w), false, false, true, 0
  FROM generate_series(1, 50) w;

INSERT INTO access.workspaces (id, name, created_at)
SELECT md5('bench-ws-' || w)::uuid, 'Bench ' || lpad(w::text, 2, '0'), now() - interval '400 days'
  FROM generate_series(1, 50) w;

INSERT INTO access.memberships (workspace_id, user_id, role, created_at)
SELECT md5('bench-ws-' || w)::uuid, md5('bench-user-' || w)::uuid, 'Owner', now() - interval '400 days'
  FROM generate_series(1, 50) w;

INSERT INTO access.memberships (workspace_id, user_id, role, created_at)
SELECT md5('bench-ws-' || m.w)::uuid, u.id, m.role, now() - interval '300 days'
  FROM (VALUES ('owner@demo.test', 1, 'Owner'), ('owner@demo.test', 2, 'Manager'), ('owner@demo.test', 3, 'Operator'),
               ('owner@demo.test', 4, 'Readonly'), ('operator@demo.test', 1, 'Operator'), ('operator@demo.test', 5, 'Operator'),
               ('outsider@demo.test', 10, 'Owner')) AS m(email, w, role)
  JOIN access.users u ON u.normalized_email = upper(m.email);

INSERT INTO tenants.tenants (id, workspace_id, display_name, entra_tenant_id, client_id, protected_client_secret,
                             graph_base_url, authority_host, created_at, updated_at, secret_updated_at)
SELECT md5('bench-tenant-' || t)::uuid, md5('bench-ws-' || (t / 10 + 1))::uuid,
       'Bench ' || lpad((t / 10 + 1)::text, 2, '0') || ' tenant ' || lpad((t % 10 + 1)::text, 2, '0'),
       md5('bench-entra-' || t)::uuid, md5('bench-app')::uuid, NULL,
       'http://127.0.0.1:9/', 'http://127.0.0.1:9/', now() - interval '400 days', now() - interval '400 days', NULL
  FROM generate_series(0, 499) t;

COMMIT;

-- The load: drop the full secondary indexes (keep the primary key and partial ones), one INSERT … SELECT, recreate them.
CREATE TEMP TABLE bench_saved_indexes AS
SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition
  FROM pg_index i
 WHERE i.indrelid = 'operations.operation_runs'::regclass AND NOT i.indisprimary AND NOT i.indisunique AND i.indpred IS NULL;

SELECT name, definition FROM bench_saved_indexes ORDER BY name;

DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT name FROM bench_saved_indexes LOOP
    EXECUTE 'DROP INDEX ' || r.name;
  END LOOP;
END $$;

SELECT setseed(0.4242);

INSERT INTO operations.operation_runs
    (workspace_id, tenant_id, type, status, outcome, identity_rule, identity_key, identity_source, context, summary, failures,
     initiator_kind, initiator_user_id, initiator_label, initiator_reason, retry_of_run_id, schedule_id, scheduled_for,
     restore_request_id, hangfire_job_id, dispatch_claimed_at, heartbeat_at, cancellation_requested_at, created_at,
     started_at, completed_at, completion_reason)
SELECT md5('bench-ws-' || (s.t / 10 + 1))::uuid,
       s.tenant,
       ty.type,
       st.status,
       oc.outcome,
       ty.rule,
       CASE ty.rule
           WHEN 'dedupe' THEN CASE WHEN ty.type = 'restore.execute' THEN ty.type || '|restore_request:' || s.restore
                                   ELSE ty.type || '|tenant:' || s.tenant END
           WHEN 'strict_schedule' THEN ty.type || '|schedule:' || s.schedule || '|' || to_char(s.slot AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS".0000000+00:00"')
           ELSE ty.type || '|click:' || md5('click' || s.g)::uuid
       END,
       CASE ty.rule
           WHEN 'dedupe' THEN CASE WHEN ty.type = 'restore.execute' THEN jsonb_build_object('type', ty.type, 'restore_request_id', s.restore)
                                   ELSE jsonb_build_object('type', ty.type, 'tenant_id', s.tenant) END
           WHEN 'strict_schedule' THEN jsonb_build_object('schedule_id', s.schedule, 'scheduled_for', s.slot)
           ELSE jsonb_build_object('type', ty.type, 'click', md5('click' || s.g)::uuid)
       END,
       CASE WHEN ty.type = 'restore.execute' THEN jsonb_build_object('restore_request_id', s.restore, 'items', 25)
            WHEN ty.type LIKE 'backup_schedule.%' THEN jsonb_build_object('policy_types', jsonb_build_array('deviceConfigurations', 'deviceCompliancePolicies', 'configurationPolicies'))
            ELSE '{}'::jsonb END,
       CASE WHEN st.status = 'queued' THEN '{}'::jsonb
            WHEN st.status = 'running' THEN jsonb_build_object('total', s.total, 'processed', s.total / 3)
            WHEN oc.outcome = 'succeeded' THEN jsonb_build_object('total', s.total, 'processed', s.total, 'succeeded', s.total,
                                                                  'unchanged', s.total - s.total / 20, 'updated', s.total / 20)
            WHEN oc.outcome = 'partially_succeeded' THEN jsonb_build_object('total', s.total, 'processed', s.total, 'succeeded', s.total - 2,
                                                                            'failed', 2, 'throttled_requests', 7, 'throttle_wait_seconds', 19)
            WHEN oc.outcome = 'cancelled' THEN jsonb_build_object('total', s.total, 'processed', s.total / 2)
            ELSE jsonb_build_object('total', s.total, 'processed', 0)
       END,
       CASE WHEN oc.outcome = 'failed' THEN jsonb_build_array(jsonb_build_object('code', 'ServiceUnavailable',
                'message', 'Graph answered 503 Service Unavailable after 3 retries (request-id ' || md5('req' || s.g)::uuid || ').',
                'item', NULL, 'at', s.completed))
            WHEN oc.outcome = 'partially_succeeded' THEN jsonb_build_array(
                jsonb_build_object('code', 'Request_ResourceNotFound', 'message', 'Resource does not exist or one of its queried reference-property objects are not present.', 'item', 'Windows 10 - BitLocker', 'at', s.completed),
                jsonb_build_object('code', 'TooManyRequests', 'message', 'Throttled by Intune after 3 retries; the item was skipped.', 'item', 'iOS restrictions - Sales', 'at', s.completed))
            ELSE '[]'::jsonb END,
       CASE WHEN ty.type = 'backup_schedule.scheduled' THEN 'system' ELSE 'user' END,
       CASE WHEN ty.type = 'backup_schedule.scheduled' THEN NULL ELSE md5('bench-user-' || (s.t / 10 + 1))::uuid END,
       CASE WHEN ty.type = 'backup_schedule.scheduled' THEN 'system' ELSE 'bench-owner-' || lpad((s.t / 10 + 1)::text, 2, '0') || '@bench.test' END,
       CASE WHEN ty.type = 'backup_schedule.scheduled' THEN 'schedule' ELSE NULL END,
       NULL,
       CASE WHEN ty.rule = 'strict_schedule' THEN s.schedule END,
       CASE WHEN ty.rule = 'strict_schedule' THEN s.slot END,
       CASE WHEN ty.type = 'restore.execute' THEN s.restore END,
       (s.g + 1000)::text,
       s.created,
       CASE WHEN st.status = 'running' THEN now() + interval '30 minutes' WHEN st.status = 'completed' THEN s.completed END,
       CASE WHEN oc.outcome = 'cancelled' THEN s.completed END,
       s.created,
       CASE WHEN st.status = 'queued' THEN NULL ELSE s.started END,
       CASE WHEN st.status = 'completed' THEN s.completed END,
       CASE oc.outcome WHEN 'failed' THEN 'exception' WHEN 'cancelled' THEN 'cancelled' END
  FROM (SELECT g, g % 500 AS t, md5('bench-tenant-' || (g % 500))::uuid AS tenant, md5('bench-schedule-' || (g % 500))::uuid AS schedule,
               md5('bench-restore-' || g)::uuid AS restore, random() AS rt, random() AS ro, 20 + (random() * 1500)::int AS total,
               now() - (:runs - g) * interval '30 seconds' AS created,
               date_trunc('second', now() - (:runs - g) * interval '30 seconds') AS slot,
               now() - (:runs - g) * interval '30 seconds' + interval '2 seconds' AS started,
               now() - (:runs - g) * interval '30 seconds' + interval '2 seconds' + (5 + random() * 600) * interval '1 second' AS completed
          FROM generate_series(1, :runs) g) s
 CROSS JOIN LATERAL (SELECT CASE WHEN s.rt < 0.35 THEN 'inventory.sync' WHEN s.rt < 0.50 THEN 'directory_groups.sync'
                                 WHEN s.rt < 0.60 THEN 'directory_role_definitions.sync' WHEN s.rt < 0.85 THEN 'backup_schedule.scheduled'
                                 WHEN s.rt < 0.93 THEN 'backup_schedule.run_now' WHEN s.rt < 0.95 THEN 'backup_schedule.retry'
                                 ELSE 'restore.execute' END AS type) t0
 CROSS JOIN LATERAL (SELECT t0.type, CASE WHEN t0.type LIKE '%.sync' OR t0.type = 'restore.execute' THEN 'dedupe'
                                          WHEN t0.type = 'backup_schedule.scheduled' THEN 'strict_schedule'
                                          ELSE 'unique_per_click' END AS rule) ty
 CROSS JOIN LATERAL (SELECT CASE WHEN s.g <= :runs - 500 THEN 'completed' WHEN s.g % 3 = 0 THEN 'running' ELSE 'queued' END AS status) st
 CROSS JOIN LATERAL (SELECT CASE WHEN st.status <> 'completed' THEN 'pending' WHEN s.ro < 0.85 THEN 'succeeded'
                                 WHEN s.ro < 0.91 THEN 'partially_succeeded' WHEN s.ro < 0.98 THEN 'failed'
                                 ELSE 'cancelled' END AS outcome) oc
 ORDER BY s.g;

DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT name, definition FROM bench_saved_indexes LOOP
    EXECUTE r.definition;
  END LOOP;
END $$;

-- Prove the indexes are back exactly as they were.
SELECT count(*) AS indexes_recreated_identically
  FROM bench_saved_indexes b
  JOIN pg_index i ON i.indexrelid = to_regclass(b.name)
 WHERE pg_get_indexdef(i.indexrelid) = b.definition;

DO $$
BEGIN
  IF (SELECT count(*) FROM bench_saved_indexes b JOIN pg_index i ON i.indexrelid = to_regclass(b.name)
       WHERE pg_get_indexdef(i.indexrelid) = b.definition) <> (SELECT count(*) FROM bench_saved_indexes) THEN
    RAISE EXCEPTION 'operation_runs indexes differ from their definitions before the load';
  END IF;
END $$;

VACUUM (ANALYZE) operations.operation_runs;
ANALYZE access.users;
ANALYZE access.workspaces;
ANALYZE access.memberships;
ANALYZE tenants.tenants;

-- Write the load back now, so the measurement does not pay for it in a checkpoint.
CHECKPOINT;

SELECT count(*) AS runs, pg_size_pretty(pg_total_relation_size('operations.operation_runs')) AS size_with_indexes
  FROM operations.operation_runs;
