using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TenantAtlas.GraphEmulator.Graph;

/// <summary>Where an error comes from decides its shape: Intune wraps a JSON document in "message".</summary>
internal enum ErrorSource
{
    Graph,
    Directory,
    Intune,
}

/// <summary>Thrown inside request handling; turned into Graph's error envelope.</summary>
internal sealed class GraphException(int status, string code, string message, ErrorSource source = ErrorSource.Graph) : Exception(message)
{
    public int Status { get; } = status;

    public string Code { get; } = code;

    public ErrorSource ErrorSource { get; } = source;

    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public static GraphException BadRequest(string message, ErrorSource source) =>
        new(400, source == ErrorSource.Directory ? "Request_BadRequest" : "BadRequest", message, source);

    public static GraphException NotFound(FamilyDefinition family, string id) =>
        family.IsDirectory
            ? new(404, "Request_ResourceNotFound",
                $"Resource '{id}' does not exist or one of its queried reference-property objects are not present.", ErrorSource.Directory)
            : family.IsConditionalAccess
                ? new(404, "ResourceNotFound", $"The {family.EntityType} with id '{id}' was not found.", ErrorSource.Graph)
                : new(404, "ResourceNotFound", $"Resource not found: {family.EntityType} with id '{id}'.", ErrorSource.Intune);

    public static GraphException SegmentNotFound(string segment) =>
        new(400, "BadRequest", $"Resource not found for the segment '{segment}'.");

    public static GraphException MethodNotAllowed(string method, string path, ErrorSource source) =>
        new(405, source == ErrorSource.Intune ? "No method match route template" : "Request_BadRequest",
            $"No OData route exists that match template with http verb {method} for request {path}.", source);
}

internal static class GraphErrors
{
    /// <summary>{"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}.</summary>
    public static JsonObject Envelope(
        string code, string message, ErrorSource source, string requestId, string? clientRequestId, DateTimeOffset now, string pathAndQuery)
    {
        var date = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        return new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["code"] = code,
                ["message"] = source == ErrorSource.Intune ? IntuneMessage(message, requestId, pathAndQuery) : message,
                ["innerError"] = new JsonObject
                {
                    ["date"] = date,
                    ["request-id"] = requestId,
                    ["client-request-id"] = clientRequestId ?? requestId,
                },
            },
        };
    }

    /// <summary>Intune's message is itself a JSON document (with CRLF line breaks), naming the activity id.</summary>
    public static string IntuneMessage(string message, string requestId, string pathAndQuery)
    {
        var body = new JsonObject
        {
            ["_version"] = 3,
            ["Message"] = $"{message} - Operation ID (for customer support): 00000000-0000-0000-0000-000000000000 - Activity ID: {requestId} - "
                + $"Url: https://fef.msua01.manage.microsoft.com/StatelessGraphEmulatorFEService{pathAndQuery}",
            ["CustomApiErrorPhrase"] = "",
            ["RetryAfter"] = null,
            ["ErrorSourceService"] = "",
            ["HttpHeaders"] = "{}",
        };
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, NewLine = "\r\n", Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            body.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
