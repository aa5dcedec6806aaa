namespace TenantAtlas.Operations.Contracts;

/// <summary>Demo data for first start: a realistic history of runs, marked as such (initiator "demo seed").</summary>
public interface IOperationHistory
{
    /// <summary>Adds a history of every type, status and outcome to each tenant that has none yet. Returns the runs added.</summary>
    Task<int> SeedDemoHistoryAsync(IReadOnlyList<DemoTenant> tenants, CancellationToken cancellationToken = default);
}

public sealed record DemoTenant(Guid WorkspaceId, Guid TenantId, Guid InitiatorUserId, string InitiatorEmail);
