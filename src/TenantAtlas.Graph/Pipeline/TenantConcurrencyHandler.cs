using TenantAtlas.Graph.Registry;
using TenantAtlas.Graph.Throttling;

namespace TenantAtlas.Graph.Pipeline;

/// <summary>
/// Outside the retry handler: a request holds one of the tenant's permits of its budget (<see cref="RequestBudget"/>)
/// until it is answered, retries included.
/// </summary>
internal sealed class TenantConcurrencyHandler(TenantRequestLimiter limiter, Guid tenantId, GraphContractRegistry registry, Uri graphRoot) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var gate = limiter.For(tenantId, RequestBudget.Of(request, registry, graphRoot));
        await gate.WaitAsync(cancellationToken);
        try
        {
            return await base.SendAsync(request, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }
}
