using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using TenantAtlas.Graph.Registry;

namespace TenantAtlas.Graph.Throttling;

/// <summary>
/// In-process bound on Graph requests in flight per tenant (a request keeps its permit through the SDK's retry waits and
/// its budget wait). Each throttle budget has its own permits: a Conditional Access request waiting for its one request a
/// second must not hold a permit Intune's requests could use.
/// </summary>
internal sealed class TenantRequestLimiter(IOptions<GraphOptions> options)
{
    private readonly ConcurrentDictionary<(Guid Tenant, GraphBudgetKind Budget), SemaphoreSlim> gates = new();

    public SemaphoreSlim For(Guid tenantId, GraphBudgetKind budget) =>
        gates.GetOrAdd((tenantId, budget), _ => new SemaphoreSlim(Math.Max(1, options.Value.MaxConcurrentRequestsPerTenant)));
}
