using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Serialization;
using TenantAtlas.Graph.Clients;
using TenantAtlas.Graph.Contracts;
using TenantAtlas.Graph.Errors;
using TenantAtlas.Graph.Pipeline;
using TenantAtlas.Graph.Registry;
using TenantAtlas.Graph.Throttling;

namespace TenantAtlas.Graph.Gateway;

/// <summary>One item of a <c>$batch</c>: a relative URL below the batch's version root ("/deviceManagement/…").</summary>
internal sealed record BatchItemRequest(string Id, string Method, string RelativeUrl);

internal sealed record BatchItemResponse(string Id, int Status, JsonObject? Body, IReadOnlyDictionary<string, string> Headers)
{
    public bool IsSuccess => Status is >= 200 and < 300;
}

/// <summary>
/// Sends requests through a tenant's SDK client (<c>RequestInformation</c> with absolute URLs, Graph's <c>ODataError</c>
/// mapping) and reads the JSON. Every failure leaves as <see cref="GraphRequestException"/>.
/// </summary>
internal sealed class GraphRequests(
    GraphContractRegistry registry,
    GraphCallMetrics metrics,
    IOptions<GraphOptions> options,
    TimeProvider time,
    ILogger<GraphRequests> logger)
{
    private static readonly Dictionary<string, ParsableFactory<IParsable>> ErrorMapping = new()
    {
        ["XXX"] = ODataError.CreateFromDiscriminatorValue,
    };

    public static async Task<JsonObject> GetAsync(TenantGraphClient client, Uri url, string? resourceKey, CancellationToken cancellationToken) =>
        await SendAsync(client, Method.GET, url, null, null, resourceKey, cancellationToken)
        ?? throw new GraphRequestException(GraphFailureKind.Unknown, "emptyResponse", "Graph answered without a body.") { TenantId = client.TenantId, ResourceKey = resourceKey };

    public static async Task<JsonObject?> SendAsync(
        TenantGraphClient client, Method method, Uri url, JsonNode? body, GraphRequestCost? cost, string? resourceKey, CancellationToken cancellationToken)
    {
        var request = new RequestInformation { HttpMethod = method, URI = url };
        request.Headers.Add("Accept", "application/json");
        if (body is not null)
        {
            request.SetStreamContent(new MemoryStream(Encoding.UTF8.GetBytes(body.ToJsonString())), "application/json");
        }

        if (cost is not null)
        {
            request.AddRequestOptions([cost]);
        }

        try
        {
            await using var stream = await client.Adapter.SendPrimitiveAsync<Stream>(request, ErrorMapping, cancellationToken);
            if (stream is null)
            {
                return null;
            }

            return await JsonNode.ParseAsync(stream, cancellationToken: cancellationToken) as JsonObject;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw GraphErrorMapper.Map(e, client.TenantId, resourceKey);
        }
    }

    /// <summary>
    /// Sends GET items in <c>$batch</c>es of up to 20 and retries items answered 429/503/504 ourselves (the SDK retries only
    /// the batch as a whole), honouring the largest Retry-After of the round or backing off like the SDK. Items still
    /// failing after <c>Graph:MaxRetries</c> rounds are returned as they last answered.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, BatchItemResponse>> BatchAsync(
        TenantGraphClient client, string version, IReadOnlyList<BatchItemRequest> items, string? resourceKey, CancellationToken cancellationToken)
    {
        foreach (var item in items)
        {
            if (registry.Match(item.Method, "/" + version + item.RelativeUrl) is null)
            {
                throw new GraphRequestException(
                    GraphFailureKind.NotInRegistry, "notInRegistry",
                    $"Batch item {item.Method} /{version}{item.RelativeUrl.Split('?')[0]} is not in the Graph contract registry; nothing was sent.")
                {
                    TenantId = client.TenantId,
                    ResourceKey = resourceKey,
                };
            }
        }

        var opts = options.Value;
        var results = new Dictionary<string, BatchItemResponse>(StringComparer.Ordinal);
        var pending = items.ToList();
        for (var round = 0; ; round++)
        {
            foreach (var chunk in pending.Chunk(Math.Clamp(opts.BatchSize, 1, 20)))
            {
                var body = new JsonObject
                {
                    ["requests"] = new JsonArray([.. chunk.Select(i => (JsonNode)new JsonObject { ["id"] = i.Id, ["method"] = i.Method, ["url"] = i.RelativeUrl })]),
                };
                var cost = new GraphRequestCost(chunk.Length, chunk.Count(i => i.Method != "GET"));
                var answer = await SendAsync(client, Method.POST, client.Url(version, "$batch"), body, cost, resourceKey, cancellationToken);
                foreach (var response in (answer?["responses"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    var id = response["id"]?.GetValue<string>() ?? "";
                    var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                    foreach (var (name, value) in response["headers"] as JsonObject ?? [])
                    {
                        headers[name] = value?.ToString() ?? "";
                    }

                    results[id] = new BatchItemResponse(id, response["status"]?.GetValue<int>() ?? 0, response["body"] as JsonObject, headers);
                }
            }

            var retry = pending.Where(i => results.TryGetValue(i.Id, out var r) && r.Status is 429 or 503 or 504).ToList();
            var throttled = retry.Count(i => results[i.Id].Status == 429);
            for (var i = 0; i < throttled; i++)
            {
                metrics.Current?.AddThrottled();
            }

            if (retry.Count == 0 || round >= opts.MaxRetries)
            {
                return results;
            }

            var wait = TimeSpan.FromSeconds(Math.Min(180, retry
                .Select(i => int.TryParse(results[i.Id].Headers.GetValueOrDefault("Retry-After"), out var s) ? s : (int?)null)
                .Max() ?? opts.RetryDelaySeconds * Math.Pow(2, round)));
            logger.LogWarning(
                "Graph $batch for tenant {TenantId}: {Count} item(s) throttled or unavailable, retrying them in {Wait} s",
                client.TenantId, retry.Count, wait.TotalSeconds);
            await Task.Delay(wait, time, cancellationToken);
            if (throttled > 0)
            {
                metrics.Current?.AddThrottleWait(wait);
            }

            pending = retry;
        }
    }

    /// <summary>
    /// Follows <c>@odata.nextLink</c> (or an expanded collection's <c>{name}@odata.nextLink</c>) verbatim; refuses links to
    /// another host and a link seen twice (a paging loop).
    /// </summary>
    public static Uri? NextLink(TenantGraphClient client, JsonObject page, HashSet<string> seen, string? resourceKey, string annotation = "@odata.nextLink")
    {
        if (page[annotation]?.GetValue<string>() is not { Length: > 0 } next)
        {
            return null;
        }

        if (!Uri.TryCreate(next, UriKind.Absolute, out var url) || GraphUrls.RelativeToRoot(client.GraphRoot, url) is null)
        {
            throw new GraphRequestException(GraphFailureKind.NotInRegistry, "foreignNextLink", "Graph returned a nextLink to another host; it was not followed.")
            {
                TenantId = client.TenantId,
                ResourceKey = resourceKey,
            };
        }

        if (!seen.Add(next))
        {
            throw new GraphRequestException(GraphFailureKind.Unknown, "pagingLoop", "Graph returned the same nextLink twice; paging stopped.")
            {
                TenantId = client.TenantId,
                ResourceKey = resourceKey,
            };
        }

        return url;
    }
}
