using System.Text.Json.Nodes;
using TenantAtlas.Operations.Contracts;
using TenantAtlas.Operations.Runs;

namespace TenantAtlas.Operations.Api;

/// <summary>The API shape of a run (stable wire names: snake_case statuses, ISO times).</summary>
internal sealed record RunDto(
    long Id,
    Guid WorkspaceId,
    Guid? TenantId,
    string Type,
    string TypeLabel,
    string Status,
    string Outcome,
    string Badge,
    string IdentityRule,
    InitiatorDto Initiator,
    JsonObject Inputs,
    IReadOnlyDictionary<string, long> Summary,
    IReadOnlyList<FailureDto> Failures,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    double? DurationSeconds,
    string? CompletionReason,
    DateTimeOffset? CancellationRequestedAt,
    long? RetryOfRunId,
    Guid? ScheduleId,
    DateTimeOffset? ScheduledFor,
    Guid? RestoreRequestId,
    RunLinksDto Links)
{
    public static RunDto From(OperationRunView run, OperationTypeRegistry registry) => new(
        run.Id, run.WorkspaceId, run.TenantId, run.Type, registry.LabelOf(run.Type), run.Status.ToWire(), run.Outcome.ToWire(),
        Contracts.Ui.RunBadges.Label(run.Status, run.Outcome), run.IdentityRule.ToWire(),
        new InitiatorDto(run.Initiator.IsSystem ? "system" : "user", run.Initiator.UserId, run.Initiator.Label, run.Initiator.SystemReason),
        run.Inputs, run.Summary, [.. run.Failures.Select(f => new FailureDto(f.Code, f.Message, f.Item, f.At))],
        run.CreatedAt, run.StartedAt, run.CompletedAt, run.Duration?.TotalSeconds, run.CompletionReason, run.CancellationRequestedAt,
        run.RetryOfRunId, run.ScheduleId, run.ScheduledFor, run.RestoreRequestId,
        new RunLinksDto($"/api/operations/{run.Id}", $"/admin/operations/{run.Id}", run.RetryOfRunId is { } r ? $"/api/operations/{r}" : null));
}

internal sealed record InitiatorDto(string Kind, Guid? UserId, string Label, string? Reason);

internal sealed record FailureDto(string Code, string Message, string? Item, DateTimeOffset At);

internal sealed record RunLinksDto(string Self, string Viewer, string? RetryOf);

internal sealed record RunListDto(IReadOnlyList<RunDto> Items, long? NextCursor, string? Next);

internal sealed record CancelDto(long Id, bool Done, string? Message, RunDto Run);
