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
        Status = OperationRunStates.ParseStatus(r.Status),
        Outcome = OperationRunStates.ParseOutcome(r.Outcome),
        IdentityRule = ParseRule(r.IdentityRule),
        IdentityKey = r.IdentityKey,
        Inputs = JsonNode.Parse(r.Context) as JsonObject ?? [],
        Summary = JsonSerializer.Deserialize<Dictionary<string, long>>(r.Summary, Json) ?? [],
        Failures = JsonSerializer.Deserialize<List<FailureEntry>>(r.Failures, Json)?.Select(f => new OperationFailure(f.Code, f.Message, f.Item, f.At)).ToList() ?? [],
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
    };

    /// <summary>A failure entry as stored in the <c>failures</c> jsonb array.</summary>
    public sealed record FailureEntry(string Code, string Message, string? Item, DateTimeOffset At)
    {
        public static string ArrayOf(string code, string message, string? item, DateTimeOffset at) =>
            JsonSerializer.Serialize(new[] { new FailureEntry(FailureSanitizer.Code(code), FailureSanitizer.Message(message), FailureSanitizer.Item(item), at) }, Json);
    }
}
