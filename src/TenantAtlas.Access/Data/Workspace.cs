namespace TenantAtlas.Access.Data;

internal sealed class Workspace
{
    public Guid Id { get; set; }

    public required string Name { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class Membership
{
    public Guid WorkspaceId { get; set; }

    public Guid UserId { get; set; }

    public required string Role { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class AuditEntry
{
    public long Id { get; set; }

    public DateTimeOffset At { get; set; }

    public Guid? ActorUserId { get; set; }

    public required string ActorLabel { get; set; }

    public Guid? WorkspaceId { get; set; }

    public Guid? TenantId { get; set; }

    public required string Action { get; set; }

    public required string Summary { get; set; }

    public long? OperationRunId { get; set; }
}
