using System.Collections.Concurrent;
using TenantAtlas.GraphEmulator.Faults;

namespace TenantAtlas.GraphEmulator.State;

/// <summary>
/// Everything the emulator knows: tenants, scripted faults and the request log. The control API and the
/// in-process host both work through this object; all members are thread-safe.
/// </summary>
public sealed class EmulatorState
{
    private readonly ConcurrentDictionary<string, TenantState> tenants = new(StringComparer.OrdinalIgnoreCase);

    public EmulatorState(GraphEmulatorOptions options)
    {
        Options = options;
        Protector = new TokenProtector(options.SigningKey);
        Log = new RequestLog(Math.Max(1, options.MaxRequestLogEntries));
        Faults = new FaultEngine(options.TimeProvider);
        Latency = LatencyRange.Parse(options.LatencyMs);
        Reset();
    }

    public GraphEmulatorOptions Options { get; }

    public TimeProvider Time => Options.TimeProvider;

    internal TokenProtector Protector { get; }

    internal FaultEngine Faults { get; }

    /// <summary>The latency added to each Graph round trip (<see cref="GraphEmulatorOptions.LatencyMs"/>).</summary>
    public LatencyRange Latency { get; }

    internal RequestLog Log { get; }

    public IReadOnlyList<TenantState> Tenants => tenants.Values.OrderBy(t => t.TenantId, StringComparer.OrdinalIgnoreCase).ToList();

    /// <summary>Creates (or replaces) a tenant and seeds its data from the spec.</summary>
    public TenantState CreateTenant(TenantSpec spec)
    {
        var tenant = new TenantState(spec, Time);
        tenants[tenant.TenantId] = tenant;
        return tenant;
    }

    /// <summary>A tenant by id or by domain, like the token endpoint accepts either.</summary>
    public TenantState? FindTenant(string? idOrDomain)
    {
        if (string.IsNullOrWhiteSpace(idOrDomain))
        {
            return null;
        }

        return tenants.TryGetValue(idOrDomain, out var tenant)
            ? tenant
            : tenants.Values.FirstOrDefault(t => string.Equals(t.Domain, idOrDomain, StringComparison.OrdinalIgnoreCase));
    }

    public TenantState GetTenant(string idOrDomain) =>
        FindTenant(idOrDomain) ?? throw new KeyNotFoundException($"Tenant '{idOrDomain}' does not exist in the emulator.");

    public bool RemoveTenant(string idOrDomain) =>
        FindTenant(idOrDomain) is { } tenant && tenants.TryRemove(tenant.TenantId, out _);

    /// <summary>Rebuilds a tenant from its spec: seeded data back, mutations gone, delta tokens invalid.</summary>
    public TenantState ResetTenant(string idOrDomain) => CreateTenant(GetTenant(idOrDomain).Spec);

    public FaultRule AddFault(FaultSpec spec)
    {
        var scoped = spec.Clone();
        if (scoped.TenantId is not null)
        {
            scoped.TenantId = FindTenant(scoped.TenantId)?.TenantId ?? scoped.TenantId;
        }

        return Faults.Add(scoped);
    }

    public IReadOnlyList<FaultRule> FaultRules => Faults.Snapshot();

    public bool RemoveFault(string id) => Faults.Remove(id);

    /// <summary>Clears every fault, or only those scoped to one tenant.</summary>
    public void ClearFaults(string? tenantId = null) =>
        Faults.Clear(tenantId is null ? null : FindTenant(tenantId)?.TenantId ?? tenantId);

    /// <summary>The request log, oldest first, optionally for one tenant and after a sequence number.</summary>
    public IReadOnlyList<RequestLogEntry> RequestLog(string? tenantId = null, long afterSequence = 0)
    {
        var canonical = tenantId is null ? null : FindTenant(tenantId)?.TenantId ?? tenantId;
        return Log.Snapshot()
            .Where(e => e.Sequence > afterSequence)
            .Where(e => canonical is null || string.Equals(e.TenantId, canonical, StringComparison.OrdinalIgnoreCase))
            .ToList();
    }

    public void ClearRequestLog() => Log.Clear();

    /// <summary>The request log's Graph calls for one tenant (or all) after a sequence number, as a rate over <paramref name="window"/>.</summary>
    public RequestRate RequestRate(string? tenantId, TimeSpan window, long afterSequence = 0, string? service = null) =>
        GraphEmulator.RequestRate.From(
            tenantId is null ? null : FindTenant(tenantId)?.TenantId ?? tenantId,
            RequestLog(tenantId, afterSequence).Where(e => GraphEmulator.RequestRate.OfService(e, service)),
            window);

    public void ExpireDeltaTokens(string tenantId) => GetTenant(tenantId).ExpireDeltaTokens();

    /// <summary>Back to the start: the configured tenants freshly seeded, no faults, an empty log.</summary>
    public void Reset()
    {
        Faults.Clear();
        Log.Clear();
        tenants.Clear();
        foreach (var spec in Options.AllTenantSpecs())
        {
            CreateTenant(spec);
        }
    }
}
