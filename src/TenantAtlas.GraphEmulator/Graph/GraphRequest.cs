using System.Text.Json.Nodes;

namespace TenantAtlas.GraphEmulator.Graph;

/// <summary>A Graph call, from HTTP or from inside a $batch, reduced to what the emulator answers on.</summary>
internal sealed class GraphRequest
{
    public required string Method { get; init; }

    /// <summary>"v1.0" or "beta".</summary>
    public required string Version { get; init; }

    /// <summary>The path after the version, with a leading slash: "/groups/delta()".</summary>
    public required string Path { get; init; }

    /// <summary>The raw query without "?", as sent.</summary>
    public required string RawQuery { get; init; }

    /// <summary>Decoded query options, case-insensitive names ($select, $top…).</summary>
    public required IReadOnlyDictionary<string, string> Query { get; init; }

    /// <summary>Decoded query options in the order sent (to rebuild nextLinks).</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> QueryPairs { get; init; }

    public required IReadOnlyDictionary<string, string> Headers { get; init; }

    public JsonNode? Body { get; init; }

    /// <summary>The body was present but not JSON.</summary>
    public bool BodyUnreadable { get; init; }

    /// <summary>Scheme and authority the client used ("http://127.0.0.1:5090"); links point back at it.</summary>
    public required string BaseUrl { get; init; }

    public bool IsBatchItem { get; init; }

    public string PathAndQuery => $"/{Version}{Path}" + (RawQuery.Length > 0 ? "?" + RawQuery : "");

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>What the emulator answers: status, headers and a JSON body (null for 204).</summary>
internal sealed class GraphResponse
{
    public const string ODataJson = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";
    public const string PlainJson = "application/json";

    public GraphResponse(int status, JsonNode? body, string? contentType = ODataJson)
    {
        Status = status;
        Body = body;
        if (body is not null && contentType is not null)
        {
            Headers["Content-Type"] = contentType;
        }
    }

    public int Status { get; }

    public JsonNode? Body { get; }

    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public static GraphResponse NoContent() => new(204, null);
}
