using Microsoft.Extensions.Configuration;
using Npgsql;
using TenantAtlas.BuildingBlocks.Database;

namespace TenantAtlas.Legacy.Data;

/// <summary>Plain connections to the portal's database for the importer's COPY and the backfill's keyset reads.</summary>
internal sealed class LegacyConnections(IConfiguration configuration) : IAsyncDisposable
{
    private readonly Lazy<NpgsqlDataSource> dataSource = new(() => NpgsqlDataSource.Create(configuration.GetTenantAtlasConnectionString()));

    public ValueTask<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken) => dataSource.Value.OpenConnectionAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (dataSource.IsValueCreated)
        {
            await dataSource.Value.DisposeAsync();
        }
    }
}
