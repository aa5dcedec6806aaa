namespace TenantAtlas.Access.Contracts;

/// <summary>Every mutation and every operation start writes one entry (ARCHITECTURE.md rule 8).</summary>
public interface IAuditLog
{
    Task WriteAsync(AuditRecord record, CancellationToken cancellationToken = default);

    /// <summary>Many entries in one round trip (the scheduler's set-based tick).</summary>
    Task WriteManyAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<AuditEntryView>> ListAsync(Guid workspaceId, int take, long? beforeId, CancellationToken cancellationToken = default);
}

public sealed record AuditRecord(
    Actor Actor,
    Guid? WorkspaceId,
    string Action,
    string Summary,
    Guid? TenantId = null,
    long? OperationRunId = null);

public sealed record AuditEntryView(
    long Id,
    DateTimeOffset At,
    string ActorLabel,
    Guid? TenantId,
    string Action,
    string Summary,
    long? OperationRunId);
