namespace TenantAtlas.GraphEmulator;

/// <summary>
/// How hard a client pushed one tenant (or all): Graph calls as Graph's throttling counts them — direct calls and
/// <c>$batch</c> items, never the batch envelope — and the most of them that arrived within any window of
/// <see cref="WindowMs"/> (a sliding window over arrival times, not aligned to clock seconds). Lets a test compare what
/// arrived with the budget the client promised to keep.
/// </summary>
public sealed record RequestRate(
    string? TenantId,
    int WindowMs,
    int Requests,
    int Writes,
    int Throttled,
    int MaxInWindow,
    int MaxWritesInWindow,
    DateTimeOffset? BusiestWindowStart,
    DateTimeOffset? First,
    DateTimeOffset? Last)
{
    /// <summary>Computes the figures over <paramref name="entries"/> (any order; non-Graph entries are ignored).</summary>
    public static RequestRate From(string? tenantId, IEnumerable<RequestLogEntry> entries, TimeSpan window)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        var calls = entries.Where(Counts).OrderBy(e => e.Timestamp).ThenBy(e => e.Sequence).ToList();
        int maxRequests = 0, maxWrites = 0, writesInWindow = 0, start = 0;
        DateTimeOffset? busiest = null;
        for (var end = 0; end < calls.Count; end++)
        {
            writesInWindow += IsWrite(calls[end]) ? 1 : 0;
            // Calls within [start, end] arrived less than one window apart.
            while (calls[end].Timestamp - calls[start].Timestamp >= window)
            {
                writesInWindow -= IsWrite(calls[start]) ? 1 : 0;
                start++;
            }

            if (end - start + 1 > maxRequests)
            {
                maxRequests = end - start + 1;
                busiest = calls[start].Timestamp;
            }

            maxWrites = Math.Max(maxWrites, writesInWindow);
        }

        return new RequestRate(
            tenantId,
            (int)window.TotalMilliseconds,
            calls.Count,
            calls.Count(IsWrite),
            calls.Count(e => e.Status == 429),
            maxRequests,
            maxWrites,
            busiest,
            calls.Count == 0 ? null : calls[0].Timestamp,
            calls.Count == 0 ? null : calls[^1].Timestamp);
    }

    /// <summary>
    /// Whether a call counts against a service's own limit: "conditionalAccess" — Entra's Conditional Access endpoints
    /// (their 1 request/s per tenant); "intune" — every other call (Intune's per-tenant limits); null — every call.
    /// </summary>
    public static bool OfService(RequestLogEntry entry, string? service)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var conditionalAccess = entry.PathAndQuery.Contains("/identity/conditionalAccess/", StringComparison.OrdinalIgnoreCase);
        return service switch
        {
            null => true,
            "conditionalAccess" => conditionalAccess,
            "intune" => !conditionalAccess,
            _ => throw new ArgumentException($"Unknown service '{service}'. Known: intune, conditionalAccess."),
        };
    }

    private static bool Counts(RequestLogEntry e) =>
        e.Kind == "graph" && (e.IsBatchItem || !e.PathAndQuery.Split('?')[0].EndsWith("/$batch", StringComparison.OrdinalIgnoreCase));

    private static bool IsWrite(RequestLogEntry e) => !string.Equals(e.Method, "GET", StringComparison.OrdinalIgnoreCase);
}
