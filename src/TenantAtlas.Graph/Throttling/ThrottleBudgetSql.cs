namespace TenantAtlas.Graph.Throttling;

/// <summary>The budget's decision, in PostgreSQL so that every process shares it (created by the Initial migration).</summary>
internal static class ThrottleBudgetSql
{
    /// <summary>
    /// Admits <c>p_requests</c>/<c>p_writes</c> for a tenant if the slots of the last window (the current slot and the
    /// <c>p_slots</c> before it, so any window-long interval is covered) leave room, and returns 0; otherwise admits
    /// nothing and returns the milliseconds until enough old slots have left the window. One call is one statement: the
    /// tenant's <c>throttle_budgets</c> row is locked for its duration, so concurrent callers in any process are serialized.
    /// </summary>
    public const string CreateFunction = """
        CREATE OR REPLACE FUNCTION graph.acquire_throttle_budget(
            p_tenant_id uuid, p_now_ms bigint, p_slot_ms integer, p_slots integer,
            p_request_limit integer, p_write_limit integer, p_requests integer, p_writes integer)
        RETURNS bigint
        LANGUAGE plpgsql
        AS $$
        DECLARE
            v_slot bigint := p_now_ms / p_slot_ms;
            v_requests integer;
            v_writes integer;
            v_free_slot bigint;
        BEGIN
            INSERT INTO graph.throttle_budgets (tenant_id) VALUES (p_tenant_id) ON CONFLICT (tenant_id) DO NOTHING;
            PERFORM 1 FROM graph.throttle_budgets WHERE tenant_id = p_tenant_id FOR UPDATE;
            DELETE FROM graph.throttle_budget_slots WHERE tenant_id = p_tenant_id AND slot < v_slot - p_slots;
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
            RETURN greatest(1, (coalesce(v_free_slot, v_slot) + p_slots + 1) * p_slot_ms - p_now_ms);
        END;
        $$;
        """;

    public const string DropFunction = "DROP FUNCTION IF EXISTS graph.acquire_throttle_budget(uuid, bigint, integer, integer, integer, integer, integer, integer);";
}
