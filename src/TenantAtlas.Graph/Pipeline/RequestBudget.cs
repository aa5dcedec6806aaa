using TenantAtlas.Graph.Registry;

namespace TenantAtlas.Graph.Pipeline;

/// <summary>The throttle budget a request pays into: its resource's (the registry's), Intune's for anything else.</summary>
internal static class RequestBudget
{
    public static GraphBudgetKind Of(HttpRequestMessage request, GraphContractRegistry registry, Uri graphRoot) =>
        request.RequestUri is { } uri && GraphUrls.RelativeToRoot(graphRoot, uri) is { } relative
        && registry.Match(request.Method.Method, relative) is { Resource: { } resource }
            ? resource.Budget
            : GraphBudgetKind.Intune;
}
