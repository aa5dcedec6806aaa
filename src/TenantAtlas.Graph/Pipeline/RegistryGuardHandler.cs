using TenantAtlas.Graph.Contracts;
using TenantAtlas.Graph.Registry;

namespace TenantAtlas.Graph.Pipeline;

/// <summary>
/// Outermost handler: a request leaves only if it goes to the tenant's Graph host and matches an operation of the contract
/// registry. Whatever the gateway builds, this is the check that holds.
/// </summary>
internal sealed class RegistryGuardHandler(GraphContractRegistry registry, Uri graphRoot) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var relative = request.RequestUri is { } uri ? GraphUrls.RelativeToRoot(graphRoot, uri) : null;
        if (relative is null || registry.Match(request.Method.Method, relative) is null)
        {
            throw new GraphRequestException(
                GraphFailureKind.NotInRegistry,
                "notInRegistry",
                $"{request.Method.Method} {request.RequestUri?.GetLeftPart(UriPartial.Path)} is not in the Graph contract registry; it was not sent.");
        }

        return base.SendAsync(request, cancellationToken);
    }
}
