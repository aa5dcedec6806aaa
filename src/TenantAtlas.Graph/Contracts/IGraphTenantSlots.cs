namespace TenantAtlas.Graph.Contracts;

/// <summary>
/// A bound on concurrent Graph work per tenant across all processes (PostgreSQL session advisory locks, released
/// automatically if a process dies). A job takes a slot before its Graph work and gives it back when done, so a
/// throttled tenant (retry waits can reach 180 s) holds at most <c>Graph:WorkSlotsPerTenant</c> workers and the other
/// workers serve other tenants.
/// </summary>
public interface IGraphTenantSlots
{
    /// <summary>Takes a slot, waiting up to <paramref name="wait"/>; null when every slot stayed taken. Dispose the lease to free it.</summary>
    Task<IAsyncDisposable?> TryAcquireAsync(Guid tenantId, TimeSpan wait, CancellationToken cancellationToken = default);

    /// <summary>Takes a slot, waiting up to <c>Graph:WorkSlotWait</c>; throws a retryable <see cref="GraphRequestException"/> (<see cref="GraphFailureKind.TenantBusy"/>) otherwise.</summary>
    Task<IAsyncDisposable> AcquireAsync(Guid tenantId, CancellationToken cancellationToken = default);
}
