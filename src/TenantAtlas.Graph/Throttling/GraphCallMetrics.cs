using TenantAtlas.Graph.Contracts;

namespace TenantAtlas.Graph.Throttling;

/// <summary>The current async flow's metrics scope; the pipeline's counting handler and the batch retry loop report into it.</summary>
internal sealed class GraphCallMetrics : IGraphCallMetrics
{
    private readonly AsyncLocal<GraphCallMetricsScope?> current = new();

    public GraphCallMetricsScope? Current => current.Value;

    public GraphCallMetricsScope BeginScope()
    {
        var scope = new GraphCallMetricsScope(current.Value, closed =>
        {
            if (ReferenceEquals(current.Value, closed))
            {
                current.Value = closed.Parent;
            }
        });
        current.Value = scope;
        return scope;
    }
}
