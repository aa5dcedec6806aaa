using System.Text.Json;
using System.Text.Json.Nodes;
using TenantAtlas.Operations.Contracts;
using TenantAtlas.Operations.Data;

namespace TenantAtlas.Operations.Runs;

internal static class RunMapping
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string ToWire(this IdentityRule rule) => rule switch
    {
        IdentityRule.Dedupe => "dedupe",
        IdentityRule.UniquePerClick => "unique_per_click",
        IdentityRule.StrictSchedule => "strict_schedule",
        _ => throw new ArgumentOutOfRangeException(nameof(rule)),
    };

    public static IdentityRule ParseRule(string wire) => wire switch
    {
        "dedupe" => IdentityRule.Dedupe,
        "unique_per_click" => IdentityRule.UniquePerClick,
        "strict_schedule" => IdentityRule.StrictSchedule,
        _ => throw new ArgumentException($"Unknown identity rule '{wire}'.", nameof(wire)),
    };

    public static OperationRunView ToView(this OperationRun r) => new()
    {
        Id = r.Id,
        WorkspaceId = r.WorkspaceId,
        TenantId = r.TenantId,
        Type = r.Type,
        Status = r.Status,
        Outcome = r.Outcome,
        IdentityRule = r.IdentityRule,
        IdentityKey = r.IdentityKey,
        Inputs = JsonNode.Parse(r.Context) as JsonObject ?? [],
        Summary = ReadSummary(r.Summary),
        Failures = ReadFailures(r.Failures, r.CreatedAt),
        Initiator = new OperationInitiator(r.InitiatorUserId, r.InitiatorLabel, r.InitiatorReason),
        RetryOfRunId = r.RetryOfRunId,
        ScheduleId = r.ScheduleId,
        ScheduledFor = r.ScheduledFor,
        RestoreRequestId = r.RestoreRequestId,
        HangfireJobId = r.HangfireJobId,
        HeartbeatAt = r.HeartbeatAt,
        CancellationRequestedAt = r.CancellationRequestedAt,
        CreatedAt = r.CreatedAt,
        StartedAt = r.StartedAt,
        CompletedAt = r.CompletedAt,
        CompletionReason = r.CompletionReason,
        Legacy = r.LegacyTable is { } table && r.LegacyId is { } legacyId ? new LegacyReference(table, legacyId) : null,
    };

    // Every stored run must be readable by every surface (viewer, lists, API): the stored JSON is read by shape, and a value
    // of an unexpected shape (a row written by an older version or edited by hand) is skipped or shown as its JSON text,
    // never thrown.
    private static Dictionary<string, long> ReadSummary(string json)
    {
        var summary = new Dictionary<string, long>(StringComparer.Ordinal);
        if (JsonNode.Parse(json) is JsonObject counts)
        {
            foreach (var (key, value) in counts)
            {
                if (value is JsonValue number && number.GetValueKind() == JsonValueKind.Number && number.TryGetValue<long>(out var count))
                {
                    summary[key] = count;
                }
            }
        }

        return summary;
    }

    private static List<OperationFailure> ReadFailures(string json, DateTimeOffset fallbackAt)
    {
        if (JsonNode.Parse(json) is not JsonArray entries)
        {
            return [];
        }

        return [.. entries.Select(entry => entry is JsonObject f
            ? new OperationFailure(
                Text(f["code"]) ?? "error",
                Text(f["message"]) ?? f["message"]?.ToJsonString() ?? "",
                Text(f["item"]) ?? f["item"]?.ToJsonString(),
                f["at"] is JsonValue at && at.TryGetValue<DateTimeOffset>(out var when) ? when : fallbackAt)
            : new OperationFailure("error", entry?.ToJsonString() ?? "null", null, fallbackAt))];
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>A failure entry as stored in the <c>failures</c> jsonb array.</summary>
    public sealed record FailureEntry(string Code, string Message, string? Item, DateTimeOffset At)
    {
        public static string ArrayOf(string code, string message, string? item, DateTimeOffset at) =>
            JsonSerializer.Serialize(new[] { new FailureEntry(FailureSanitizer.Code(code), FailureSanitizer.Message(message), FailureSanitizer.Item(item), at) }, Json);
    }
}
