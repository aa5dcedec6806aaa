namespace TenantAtlas.Graph.Throttling;

/// <summary>The budget's decision, in PostgreSQL so that every process shares it (created by the Initial migration).</summary>
internal static class ThrottleBudgetSql
{
    /// <summary>
    /// Admits <c>p_requests</c>/<c>p_writes</c> for a tenant if the tenant's recent slots leave room, and returns 0;
    /// otherwise admits nothing and returns the milliseconds until enough old slots have left the window.
    /// <list type="bullet">
    /// <item>Counted: the current slot and the <c>p_slots + 1</c> before it. <c>p_slots</c> would already cover every
    /// window-long interval; the extra slot is margin for the time between admission here and arrival at Graph.</item>
    /// <item>One statement, one transaction: the tenant's <c>throttle_budgets</c> row is locked for its duration, so callers in
    /// every process are serialized, and the time is the database's <c>clock_timestamp()</c> taken under that lock — one clock
    /// for all processes, and no caller's clock can be stale by the time it waited for the lock.</item>
    /// </list>
    /// </summary>
    public const string CreateFunction = """
        CREATE OR REPLACE FUNCTION graph.acquire_throttle_budget(
            p_tenant_id uuid, p_slot_ms integer, p_slots integer,
            p_request_limit integer, p_write_limit integer, p_requests integer, p_writes integer)
        RETURNS bigint
        LANGUAGE plpgsql
        AS $$
        DECLARE
            v_now_ms bigint;
            v_slot bigint;
            v_requests integer;
            v_writes integer;
            v_free_slot bigint;
        BEGIN
            INSERT INTO graph.throttle_budgets (tenant_id) VALUES (p_tenant_id) ON CONFLICT (tenant_id) DO NOTHING;
            PERFORM 1 FROM graph.throttle_budgets WHERE tenant_id = p_tenant_id FOR UPDATE;
            v_now_ms := floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint;
            v_slot := v_now_ms / p_slot_ms;
            DELETE FROM graph.throttle_budget_slots WHERE tenant_id = p_tenant_id AND slot < v_slot - p_slots - 1;
            SELECT coalesce(sum(s.requests), 0), coalesce(sum(s.writes), 0) INTO v_requests, v_writes
            FROM graph.throttle_budget_slots s WHERE s.tenant_id = p_tenant_id;
            IF v_requests + p_requests <= p_request_limit AND v_writes + p_writes <= p_write_limit THEN
                INSERT INTO graph.throttle_budget_slots AS s (tenant_id, slot, requests, writes)
                VALUES (p_tenant_id, v_slot, p_requests, p_writes)
                ON CONFLICT (tenant_id, slot) DO UPDATE SET requests = s.requests + EXCLUDED.requests, writes = s.writes + EXCLUDED.writes;
                RETURN 0;
            END IF;
            -- The oldest slot whose expiry leaves enough room: everything up to and including it must leave the window.
            SELECT min(t.slot) INTO v_free_slot FROM (
                SELECT s.slot,
                       coalesce(sum(s.requests) OVER newer, 0) AS newer_requests,
                       coalesce(sum(s.writes) OVER newer, 0) AS newer_writes
                FROM graph.throttle_budget_slots s
                WHERE s.tenant_id = p_tenant_id
                WINDOW newer AS (ORDER BY s.slot DESC ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
            ) t
            WHERE t.newer_requests + p_requests <= p_request_limit AND t.newer_writes + p_writes <= p_write_limit;
            RETURN greatest(1, (coalesce(v_free_slot, v_slot) + p_slots + 2) * p_slot_ms - v_now_ms);
        END;
        $$;
        """;

    public const string DropFunction = "DROP FUNCTION IF EXISTS graph.acquire_throttle_budget(uuid, integer, integer, integer, integer, integer, integer);";
}
