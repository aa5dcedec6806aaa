namespace TenantAtlas.Graph.Pipeline;

/// <summary>Outside the retry handler: a request holds one of the tenant's permits until it is answered, retries included.</summary>
internal sealed class TenantConcurrencyHandler(SemaphoreSlim gate) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
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
