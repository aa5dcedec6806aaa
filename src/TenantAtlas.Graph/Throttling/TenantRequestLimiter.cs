using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace TenantAtlas.Graph.Throttling;

/// <summary>In-process bound on Graph requests in flight per tenant (a request keeps its permit through the SDK's retry waits).</summary>
internal sealed class TenantRequestLimiter(IOptions<GraphOptions> options)
{
    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> gates = new();

    public SemaphoreSlim For(Guid tenantId) =>
        gates.GetOrAdd(tenantId, _ => new SemaphoreSlim(Math.Max(1, options.Value.MaxConcurrentRequestsPerTenant)));
}
