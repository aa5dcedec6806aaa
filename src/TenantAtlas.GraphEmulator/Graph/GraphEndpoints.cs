using System.Text.Json;
using System.Text.Json.Nodes;
using TenantAtlas.GraphEmulator.Hosting;

namespace TenantAtlas.GraphEmulator.Graph;

/// <summary>Graph's HTTP surface: everything under /v1.0 and /beta goes through the dispatcher.</summary>
internal static class GraphEndpoints
{
    public static void MapGraph(this IEndpointRouteBuilder app)
    {
        app.Map("/v1.0/{**path}", context => HandleAsync(context, "v1.0"));
        app.Map("/beta/{**path}", context => HandleAsync(context, "beta"));
    }

    private static async Task HandleAsync(HttpContext context, string version)
    {
        var dispatcher = context.RequestServices.GetRequiredService<GraphDispatcher>();
        var path = context.Request.Path.Value ?? "";
        path = path.Length > version.Length + 1 ? path[(version.Length + 1)..] : "";

        JsonNode? body = null;
        var unreadable = false;
        if (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            try
            {
                body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            }
            catch (JsonException)
            {
                unreadable = true;
            }
        }

        var rawQuery = context.Request.QueryString.HasValue ? context.Request.QueryString.Value![1..] : "";
        var (query, pairs) = BatchHandler.ParseQuery(rawQuery);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var request = new GraphRequest
        {
            Method = context.Request.Method.ToUpperInvariant(),
            Version = version,
            Path = path,
            RawQuery = rawQuery,
            Query = query,
            QueryPairs = pairs,
            Headers = headers,
            Body = body,
            BodyUnreadable = unreadable,
            BaseUrl = HttpJson.BaseUrl(context.Request),
        };

        var response = await dispatcher.HandleAsync(request, context.Request.Headers.Authorization.FirstOrDefault(), context.RequestAborted);
        foreach (var (name, value) in response.Headers)
        {
            if (!name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                context.Response.Headers[name] = value;
            }
        }

        await HttpJson.WriteAsync(context, response.Status, response.Body, response.Headers.GetValueOrDefault("Content-Type") ?? GraphResponse.PlainJson);
    }
}
