using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using TenantAtlas.Operations.Contracts;

namespace TenantAtlas.Operations.Api;

/// <summary>
/// The body of <c>POST /api/operations</c>: <c>{type, tenantId, inputs?, restoreRequestId?, retryOfRunId?}</c> (the restore
/// request may be given as <c>inputs.restoreRequestId</c> instead). Read field by
/// field (names case-insensitive) so that every wrong shape gets a 400 that says, in the API's own words, which field is
/// wrong and what it must be — never a serializer's message naming our .NET types, never a 500.
/// </summary>
internal sealed record StartBody(string Type, Guid TenantId, JsonObject? Inputs, Guid? RestoreRequestId, long? RetryOfRunId)
{
    private const string Shape = "{\"type\":\"inventory.sync\",\"tenantId\":\"<tenant GUID>\",\"inputs\":{…}}";

    private static readonly JsonDocumentOptions Parsing = new() { AllowDuplicateProperties = false, MaxDepth = 64 };

    public static async Task<(StartBody? Body, ProblemHttpResult? Problem)> ReadAsync(HttpContext http)
    {
        if (http.Request.ContentLength == 0)
        {
            return Invalid("Malformed JSON", $"The body is empty. Send a JSON object: {Shape}.");
        }

        JsonNode? root;
        try
        {
            root = await JsonNode.ParseAsync(http.Request.Body, documentOptions: Parsing, cancellationToken: http.RequestAborted);
        }
        catch (JsonException e)
        {
            // Syntax errors carry where the reader stopped; the one check without a position is a property named twice.
            return Invalid("Malformed JSON", e.LineNumber is { } line && e.BytePositionInLine is { } position
                ? string.Create(CultureInfo.InvariantCulture, $"The body is not valid JSON (line {line + 1}, position {position + 1}).")
                : "The body is not valid JSON: a property may appear only once in an object.");
        }

        if (root is not JsonObject body)
        {
            return Invalid("Malformed JSON", $"The body must be a JSON object: {Shape}.");
        }

        if (body.GroupBy(p => p.Key, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            return Invalid("Invalid request body", $"'{twice.Key}' is given more than once.");
        }

        var type = Field(body, "type");
        if (type is null || (type is JsonValue t && t.TryGetValue<string>(out var text) && string.IsNullOrWhiteSpace(text)))
        {
            return Invalid("Missing type", "Give the operation type, e.g. {\"type\":\"inventory.sync\",\"tenantId\":\"…\"}.");
        }

        if (!IsString(type, out var typeKey))
        {
            return Invalid("Invalid request body", "'type' must be a string naming an operation type, e.g. \"inventory.sync\".");
        }

        var tenant = Field(body, "tenantId");
        if (tenant is null)
        {
            return Invalid("Missing tenant", "Give the tenant the operation runs for: \"tenantId\": \"<tenant GUID>\".");
        }

        if (!IsGuid(tenant, out var tenantId))
        {
            return Invalid("Invalid request body", "'tenantId' must be a GUID, e.g. \"3f2504e0-4f89-11d3-9a0c-0305e82c3301\".");
        }

        if (tenantId == Guid.Empty)
        {
            return Invalid("Missing tenant", "Give the tenant the operation runs for: \"tenantId\": \"<tenant GUID>\".");
        }

        JsonObject? inputs = null;
        switch (Field(body, "inputs"))
        {
            case null:
                break;
            case JsonObject given:
                // Detached from the body, keys as sent (they are matched exactly from here on).
                inputs = (JsonObject)given.DeepClone();
                break;
            default:
                return Invalid("Invalid request body", "'inputs' must be a JSON object, e.g. \"inputs\": {\"scheduleId\": \"…\"}, or left out.");
        }

        Guid? restoreRequestId = null;
        if (Field(body, "restoreRequestId") is { } restore)
        {
            if (!IsGuid(restore, out var id))
            {
                return Invalid("Invalid request body", "'restoreRequestId' must be a GUID.");
            }

            restoreRequestId = id;
        }

        // A restore's request may also come as an input ({"inputs":{"restoreRequestId":…}}), the shape every other
        // type's inputs have; given both ways, they must agree.
        if (inputs?.GetGuid("restoreRequestId") is { } fromInputs)
        {
            if (restoreRequestId is { } given && given != fromInputs)
            {
                return Invalid("Invalid request body", "'restoreRequestId' and 'inputs.restoreRequestId' name different restore requests: give it once.");
            }

            restoreRequestId = fromInputs;
        }

        long? retryOfRunId = null;
        if (Field(body, "retryOfRunId") is { } retryOf)
        {
            if (retryOf is not JsonValue number || number.GetValueKind() != JsonValueKind.Number || !number.TryGetValue<long>(out var runId) || runId <= 0)
            {
                return Invalid("Invalid request body", "'retryOfRunId' must be the number of the run to retry, e.g. 1234.");
            }

            retryOfRunId = runId;
        }

        return (new StartBody(typeKey!.Trim(), tenantId, inputs, restoreRequestId, retryOfRunId), null);
    }

    /// <summary>A top-level field by name, case-insensitive like the rest of the API; JSON null reads as absent.</summary>
    private static JsonNode? Field(JsonObject body, string name) =>
        body.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    private static bool IsString(JsonNode node, out string? text)
    {
        text = null;
        return node is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.TryGetValue(out text);
    }

    private static bool IsGuid(JsonNode node, out Guid id)
    {
        id = Guid.Empty;
        return IsString(node, out var text) && Guid.TryParse(text, out id);
    }

    private static (StartBody?, ProblemHttpResult?) Invalid(string title, string detail) => (null, OperationsApi.BadRequest(title, detail));
}
