using Microsoft.Extensions.Logging;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Http.HttpClientLibrary.Extensions;
using TenantAtlas.Graph.Throttling;

namespace TenantAtlas.Graph.Pipeline;

/// <summary>
/// Inside the SDK's retry handler, so it sees every attempt, not only final responses: counts requests and 429s, and
/// measures the time between a 429 and the retry that follows it (Retry-After honoured or the SDK's back-off).
/// </summary>
internal sealed class ThrottleCountingHandler(GraphCallMetrics metrics, TimeProvider time, ILogger logger, Guid tenantId) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var scope = metrics.Current;
        var timing = request.GetRequestOption<AttemptTiming>();
        if (timing is null)
        {
            timing = new AttemptTiming();
            request.Options.Set(new HttpRequestOptionsKey<IRequestOption>(typeof(AttemptTiming).FullName!), timing);
        }
        else if (timing.ThrottledAt is { } throttledAt)
        {
            scope?.AddThrottleWait(time.GetUtcNow() - throttledAt);
            timing.ThrottledAt = null;
        }

        var response = await base.SendAsync(request, cancellationToken);
        scope?.AddRequest();
        var status = (int)response.StatusCode;
        if (status == 429)
        {
            scope?.AddThrottled();
            timing.ThrottledAt = time.GetUtcNow();
            logger.LogWarning(
                "Graph throttled {Method} {Path} for tenant {TenantId} (Retry-After: {RetryAfter})",
                request.Method.Method, request.RequestUri?.AbsolutePath, tenantId, response.Headers.RetryAfter?.ToString() ?? "none");
        }
        else
        {
            logger.LogDebug("Graph {Method} {Path} for tenant {TenantId}: {Status}", request.Method.Method, request.RequestUri?.AbsolutePath, tenantId, status);
        }

        return response;
    }
}
