namespace TenantAtlas.Operations.Tests.Support;

internal static class AuditSql
{
    /// <summary>
    /// How many start calls the audit entries of run $1 account for: an entry for the deduplicated calls of one batch says
    /// "… N times at once"; every other entry is one call. Append more conditions with AND.
    /// </summary>
    public const string AuditedCalls = """
        SELECT COALESCE(sum(COALESCE((regexp_match(summary, ' (\d+) times at once'))[1]::bigint, 1)), 0)::bigint
          FROM access.audit_entries WHERE operation_run_id = $1
        """;
}
