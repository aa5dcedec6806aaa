using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;

namespace TenantAtlas.GraphEmulator.Graph;

/// <summary>
/// JSON batching: at most 20 requests; each item runs through the same pipeline as a direct call (token,
/// faults, permissions, request log), so one item can be throttled on its own; an item whose dependency
/// failed answers 424; responses come back in a seeded shuffled order, as Graph does not keep request order.
/// </summary>
internal static class BatchHandler
{
    public const int MaxRequests = 20;

    public static async Task<GraphResponse> HandleAsync(GraphCall call, GraphDispatcher dispatcher, string? authorization, CancellationToken cancellationToken)
    {
        if (call.Request.Body is not JsonObject body || body["requests"] is not JsonArray requests)
        {
            throw new GraphException(400, "BadRequest", "Invalid batch payload format.");
        }

        if (requests.Count > MaxRequests)
        {
            throw new GraphException(400, "BadRequest", $"Number of requests in the batch exceeds the limit of {MaxRequests}.");
        }

        var items = new List<BatchItem>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in requests)
        {
            if (node is not JsonObject item
                || item["id"]?.ToString() is not { Length: > 0 } id
                || item["method"]?.GetValue<string>() is not { Length: > 0 } method
                || item["url"]?.GetValue<string>() is not { Length: > 0 } url)
            {
                throw new GraphException(400, "BadRequest", "Invalid batch payload format: each request needs an id, a method and a url.");
            }

            if (!ids.Add(id))
            {
                throw new GraphException(400, "BadRequest", $"Batch request contains duplicate id '{id}'.");
            }

            var dependsOn = (item["dependsOn"] as JsonArray ?? []).Select(d => d!.ToString()).ToList();
            foreach (var dependency in dependsOn)
            {
                if (!ids.Contains(dependency) || dependency == id)
                {
                    throw new GraphException(400, "BadRequest", $"Request '{id}' depends on '{dependency}', which is not an earlier request of the batch.");
                }
            }

            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (item["headers"] is JsonObject headerObject)
            {
                foreach (var (name, value) in headerObject)
                {
                    headers[name] = value?.ToString() ?? "";
                }
            }

            items.Add(new BatchItem(id, method.ToUpperInvariant(), url, headers, item["body"], dependsOn));
        }

        var results = new Dictionary<string, int>(StringComparer.Ordinal);
        var responses = new List<JsonObject>();
        foreach (var item in items)
        {
            JsonObject response;
            if (item.DependsOn.FirstOrDefault(d => results[d] >= 400) is { } failed)
            {
                response = Item(item.Id, 424, new Dictionary<string, string> { ["Content-Type"] = GraphResponse.PlainJson },
                    GraphErrors.Envelope("FailedDependency", $"The request depends on request '{failed}', which failed.", ErrorSource.Graph,
                        Guid.NewGuid().ToString(), item.Headers.GetValueOrDefault("client-request-id"), call.Now, item.Url));
                results[item.Id] = 424;
            }
            else
            {
                var inner = await RunAsync(call, dispatcher, authorization, item, cancellationToken);
                results[item.Id] = inner.Status;
                var headers = inner.Headers
                    .Where(h => h.Key is not ("request-id" or "client-request-id" or "x-ms-ags-diagnostic"))
                    .ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase);
                response = Item(item.Id, inner.Status, headers, inner.Body?.DeepClone());
            }

            responses.Add(response);
        }

        if (call.State.Options.BatchShuffleSeed is { } seed)
        {
            Shuffle(responses, seed, items);
        }

        return new GraphResponse(200, new JsonObject { ["responses"] = Projection.Json(responses) }, GraphResponse.PlainJson);
    }

    private static async Task<GraphResponse> RunAsync(
        GraphCall call, GraphDispatcher dispatcher, string? authorization, BatchItem item, CancellationToken cancellationToken)
    {
        var url = item.Url;
        if (Uri.TryCreate(url, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https")
        {
            return Error(400, "BadRequest", "Batch request URLs must be relative to the version root.");
        }

        if (!url.StartsWith('/'))
        {
            url = "/" + url;
        }

        var question = url.IndexOf('?', StringComparison.Ordinal);
        var path = question < 0 ? url : url[..question];
        var rawQuery = question < 0 ? "" : url[(question + 1)..];
        if (path.StartsWith("/$batch", StringComparison.OrdinalIgnoreCase))
        {
            return Error(400, "BadRequest", "A batch cannot contain another batch.");
        }

        if (item.Body is not null && !item.Headers.ContainsKey("Content-Type"))
        {
            return Error(400, "BadRequest", "Write request id : " + item.Id + " does not contain a Content-Type header or body.");
        }

        var (query, pairs) = ParseQuery(rawQuery);
        var request = new GraphRequest
        {
            Method = item.Method,
            Version = call.Request.Version,
            Path = Uri.UnescapeDataString(path),
            RawQuery = rawQuery,
            Query = query,
            QueryPairs = pairs,
            Headers = item.Headers,
            Body = item.Body is JsonObject or JsonArray ? item.Body.DeepClone() : null,
            BaseUrl = call.Request.BaseUrl,
            IsBatchItem = true,
        };
        return await dispatcher.HandleAsync(request, authorization, cancellationToken);

        GraphResponse Error(int status, string code, string message) =>
            new(status, GraphErrors.Envelope(code, message, ErrorSource.Graph, Guid.NewGuid().ToString(), null, call.Now, item.Url), GraphResponse.PlainJson);
    }

    public static (Dictionary<string, string> Query, List<KeyValuePair<string, string>> Pairs) ParseQuery(string rawQuery)
    {
        var query = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var pair in new QueryStringEnumerable(rawQuery))
        {
            var name = pair.DecodeName().ToString();
            var value = pair.DecodeValue().ToString();
            pairs.Add(new KeyValuePair<string, string>(name, value));
            query.TryAdd(name, value);
        }

        return (query, pairs);
    }

    private static JsonObject Item(string id, int status, Dictionary<string, string> headers, JsonNode? body)
    {
        var item = new JsonObject { ["id"] = id, ["status"] = status };
        if (headers.Count > 0)
        {
            var headerObject = new JsonObject();
            foreach (var (name, value) in headers)
            {
                headerObject[name] = value;
            }

            item["headers"] = headerObject;
        }

        if (body is not null)
        {
            item["body"] = body;
        }

        return item;
    }

    /// <summary>Deterministic: the same seed and the same request ids give the same order.</summary>
    private static void Shuffle(List<JsonObject> responses, int seed, List<BatchItem> items)
    {
        var random = new Random(Seeding.SeedRandom.Mix(seed, string.Join('|', items.Select(i => i.Id))));
        for (var i = responses.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (responses[i], responses[j]) = (responses[j], responses[i]);
        }
    }

    private sealed record BatchItem(
        string Id, string Method, string Url, Dictionary<string, string> Headers, JsonNode? Body, List<string> DependsOn);
}
