using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using TenantAtlas.Graph.Contracts;
using TenantAtlas.Graph.Data;

namespace TenantAtlas.Graph.Throttling;

/// <summary>
/// Work slots per tenant as PostgreSQL session advisory locks (key: tenant hash, module tag + slot number), each held by
/// its own connection for the lease's lifetime. A process that dies loses its sessions, and with them its slots.
/// </summary>
internal sealed class GraphTenantSlots(
    IDbContextFactory<GraphDbContext> contexts,
    IOptions<GraphOptions> options,
    TimeProvider time,
    ILogger<GraphTenantSlots> logger) : IGraphTenantSlots
{
    /// <summary>Second lock key = tag + slot, so our locks do not collide with other two-key advisory locks.</summary>
    private const int SlotTag = 0x67720000;

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

    private string? connectionString;

    public async Task<IAsyncDisposable> AcquireAsync(Guid tenantId, CancellationToken cancellationToken = default)
    {
        var wait = options.Value.WorkSlotWait;
        return await TryAcquireAsync(tenantId, wait, cancellationToken)
            ?? throw new GraphRequestException(
                GraphFailureKind.TenantBusy,
                "tenantBusy",
                $"All {options.Value.WorkSlotsPerTenant} Graph work slots of the tenant stayed taken for {wait.TotalSeconds:0} s; try again later.",
                isRetryable: true)
            {
                TenantId = tenantId,
            };
    }

    public async Task<IAsyncDisposable?> TryAcquireAsync(Guid tenantId, TimeSpan wait, CancellationToken cancellationToken = default)
    {
        var slots = Math.Max(1, options.Value.WorkSlotsPerTenant);
        var key = TenantKey(tenantId);
        var deadline = time.GetUtcNow() + wait;
        var connection = new NpgsqlConnection(await ConnectionStringAsync(cancellationToken));
        try
        {
            await connection.OpenAsync(cancellationToken);
            while (true)
            {
                for (var slot = 0; slot < slots; slot++)
                {
                    await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key, @slot)", connection);
                    command.Parameters.AddWithValue("key", key);
                    command.Parameters.AddWithValue("slot", SlotTag + slot);
                    if (await command.ExecuteScalarAsync(cancellationToken) is true)
                    {
                        logger.LogDebug("Graph work slot {Slot} of tenant {TenantId} taken", slot, tenantId);
                        var lease = new Lease(connection, key, SlotTag + slot, logger);
                        connection = null;
                        return lease;
                    }
                }

                var remaining = deadline - time.GetUtcNow();
                if (remaining <= TimeSpan.Zero)
                {
                    return null;
                }

                await Task.Delay(remaining < Poll ? remaining : Poll, time, cancellationToken);
            }
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
    }

    private async Task<string> ConnectionStringAsync(CancellationToken cancellationToken)
    {
        if (connectionString is null)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            connectionString = db.Database.GetConnectionString();
        }

        return connectionString!;
    }

    private static int TenantKey(Guid tenantId)
    {
        Span<byte> bytes = stackalloc byte[16];
        tenantId.TryWriteBytes(bytes);
        return BitConverter.ToInt32(bytes[..4]) ^ BitConverter.ToInt32(bytes[4..8]) ^ BitConverter.ToInt32(bytes[8..12]) ^ BitConverter.ToInt32(bytes[12..]);
    }

    private sealed class Lease(NpgsqlConnection connection, int key, int slot, ILogger logger) : IAsyncDisposable
    {
        private int disposed;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref disposed, 1) != 0)
            {
                return;
            }

            try
            {
                await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(@key, @slot)", connection);
                command.Parameters.AddWithValue("key", key);
                command.Parameters.AddWithValue("slot", slot);
                await command.ExecuteScalarAsync();
            }
            catch (NpgsqlException e)
            {
                // The session is gone, and its locks with it; make sure the pool does not hand it out again.
                logger.LogWarning(e, "Releasing a Graph work slot failed; dropping the connection");
                NpgsqlConnection.ClearPool(connection);
            }
            finally
            {
                await connection.DisposeAsync();
            }
        }
    }
}
