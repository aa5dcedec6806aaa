namespace TenantAtlas.Graph;

/// <summary>Configuration section <c>Graph</c>.</summary>
internal sealed class GraphOptions
{
    public const string Section = "Graph";

    /// <summary>
    /// SHA-256 thumbprints (hex) of TLS certificates to trust in addition to the system's trust store — only for hosts
    /// that are not Microsoft's (the emulator's self-signed authority). Microsoft hosts always get normal validation.
    /// </summary>
    public List<string> TrustedCertificateThumbprints { get; set; } = [];

    /// <summary>The SDK retry handler's attempts after the first (Graph's default 3, at most 10).</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>First back-off in seconds when a 429/503/504 carries no Retry-After (doubles per attempt; Graph's default 3).</summary>
    public int RetryDelaySeconds { get; set; } = 3;

    /// <summary>Azure.Core's retries of a token request on transport errors and 5xx (its default 3).</summary>
    public int TokenMaxRetries { get; set; } = 3;

    /// <summary>Whole-call timeout including the retry handler's waits (each wait may reach 180 s).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>In-process bound on requests in flight per tenant and throttle budget (a request holds its permit through its retries).</summary>
    public int MaxConcurrentRequestsPerTenant { get; set; } = 4;

    /// <summary>Cross-process work slots per tenant (<c>IGraphTenantSlots</c>).</summary>
    public int WorkSlotsPerTenant { get; set; } = 4;

    /// <summary>How long <c>IGraphTenantSlots.AcquireAsync</c> waits for a free slot.</summary>
    public TimeSpan WorkSlotWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary><c>$top</c> of the full groups listing (Graph allows 1–999).</summary>
    public int GroupsPageSize { get; set; } = 999;

    /// <summary>Items per <c>$batch</c> (Graph allows at most 20).</summary>
    public int BatchSize { get; set; } = 20;

    public GraphBudgetOptions Budget { get; set; } = new();

    /// <summary>
    /// Conditional Access policies and named locations have their own service limit, 1 request per second per tenant
    /// for all apps, which answers 429 without Retry-After: a budget of their own, so reading them at that pace never
    /// holds back the Intune families. The window is 1.25 s, tracked in 125 ms slots, so requests leave at least 1.375 s
    /// apart: a request admitted on time can reach Graph late (a busy process), and two arriving within a second are
    /// refused — 1.1 s apart (a 1 s window) was too little to absorb that on a loaded machine.
    /// </summary>
    public GraphBudgetOptions ConditionalAccessBudget { get; set; } = new()
    {
        Window = TimeSpan.FromMilliseconds(1250),
        Slots = 10,
        Requests = 1,
        Writes = 1,
    };
}

/// <summary>
/// The per-tenant throttle budget, kept in PostgreSQL and shared by every process. Intune allows 1,000 requests and
/// 100 writes per 20 s per app per tenant; the defaults stay 10% below that for clock skew between processes.
/// </summary>
internal sealed class GraphBudgetOptions
{
    public bool Enabled { get; set; } = true;

    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>The window is tracked in this many slots; a request is admitted only if the current slot and the Slots + 1 before it leave room (one slot of margin).</summary>
    public int Slots { get; set; } = 20;

    public int Requests { get; set; } = 900;

    public int Writes { get; set; } = 90;
}
