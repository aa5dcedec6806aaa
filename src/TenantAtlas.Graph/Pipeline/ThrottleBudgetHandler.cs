using Microsoft.Kiota.Http.HttpClientLibrary.Extensions;
using TenantAtlas.Graph.Registry;
using TenantAtlas.Graph.Throttling;

namespace TenantAtlas.Graph.Pipeline;

/// <summary>
/// Closest to the network: every attempt (retries included) waits for room in the tenant's shared budget first — the
/// budget of the service the request goes to (Conditional Access has its own limit; everything else pays into Intune's).
/// </summary>
internal sealed class ThrottleBudgetHandler(TenantThrottleBudget budget, GraphCallMetrics metrics, Guid tenantId, GraphContractRegistry registry, Uri graphRoot)
    : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var cost = request.GetRequestOption<GraphRequestCost>();
        var requests = cost?.Requests ?? 1;
        var writes = cost?.Writes ?? (request.Method == HttpMethod.Get ? 0 : 1);
        var waited = await budget.AcquireAsync(tenantId, RequestBudget.Of(request, registry, graphRoot), requests, writes, cancellationToken);
        if (waited > TimeSpan.Zero)
        {
            metrics.Current?.AddBudgetWait(waited);
        }

        return await base.SendAsync(request, cancellationToken);
    }
}
