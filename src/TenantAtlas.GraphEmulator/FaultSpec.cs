namespace TenantAtlas.GraphEmulator;

/// <summary>
/// A scripted fault: Graph calls (batch items included) whose path matches <see cref="Pattern"/> answer
/// <see cref="Status"/> (429, 503, 504…) <see cref="Times"/> times (every time when null), after
/// <see cref="LatencyMs"/> of added latency. A rule without a status only adds latency. With <see cref="DurationMs"/> the
/// rule holds only for that long after it was added — a storm that passes, as Graph's throttling does.
/// </summary>
public sealed class FaultSpec
{
    /// <summary>Only for this tenant (id or domain); null for every tenant.</summary>
    public string? TenantId { get; set; }

    /// <summary>
    /// Matched against the path with its version and without the query, e.g. "/beta/deviceManagement/configurationPolicies".
    /// A glob ("*" any characters including "/", "?" one character; whole path, case-insensitive) unless <see cref="IsRegex"/>.
    /// </summary>
    public string Pattern { get; set; } = "*";

    /// <summary>Treat <see cref="Pattern"/> as a .NET regular expression (case-insensitive, unanchored).</summary>
    public bool IsRegex { get; set; }

    /// <summary>Only this HTTP method (GET, POST…); null for any.</summary>
    public string? Method { get; set; }

    public int? Status { get; set; }

    /// <summary>Seconds for the Retry-After header; null sends none (some Intune endpoints do that).</summary>
    public int? RetryAfterSeconds { get; set; }

    /// <summary>Fail this many times, then let calls through ("fail N times then succeed"); null fails forever.</summary>
    public int? Times { get; set; }

    public int LatencyMs { get; set; }

    /// <summary>The rule holds for this many milliseconds after it was added, then lets every call through; null: until removed.</summary>
    public int? DurationMs { get; set; }

    /// <summary>Error code in the envelope; defaults per status (TooManyRequests, serviceNotAvailable, …).</summary>
    public string? ErrorCode { get; set; }

    public string? ErrorMessage { get; set; }

    public static FaultSpec Throttle(string pattern, int? retryAfterSeconds, int? times = null, string? tenantId = null) =>
        new() { Pattern = pattern, Status = 429, RetryAfterSeconds = retryAfterSeconds, Times = times, TenantId = tenantId };

    public static FaultSpec Fail(string pattern, int status, int? times = null, string? tenantId = null) =>
        new() { Pattern = pattern, Status = status, Times = times, TenantId = tenantId };

    public static FaultSpec Latency(string pattern, int latencyMs, string? tenantId = null) =>
        new() { Pattern = pattern, LatencyMs = latencyMs, TenantId = tenantId };

    public FaultSpec Clone() => (FaultSpec)MemberwiseClone();
}

/// <summary>A fault rule as it stands: its spec, how often it fired, how many failures it has left, and when it stops holding.</summary>
public sealed record FaultRule(string Id, FaultSpec Spec, int Hits, int? Remaining, DateTimeOffset? EndsAt = null);
