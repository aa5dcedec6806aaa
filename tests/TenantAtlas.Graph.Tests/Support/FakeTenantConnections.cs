using System.Collections.Concurrent;
using TenantAtlas.Tenants.Contracts;

namespace TenantAtlas.Graph.Tests.Support;

/// <summary>The Tenants module's connection source, in memory: what a tenant row would hold (secret protected).</summary>
public sealed class FakeTenantConnections : ITenantConnectionSource
{
    private readonly ConcurrentDictionary<Guid, TenantConnection> connections = new();

    public int Reads { get; private set; }

    public void Set(TenantConnection connection) => connections[connection.TenantId] = connection;

    public Task<TenantConnection?> GetAsync(Guid tenantId, CancellationToken cancellationToken = default)
    {
        Reads++;
        return Task.FromResult(connections.GetValueOrDefault(tenantId));
    }
}
