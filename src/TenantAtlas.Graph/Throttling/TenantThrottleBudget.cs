using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TenantAtlas.Graph.Contracts;
using TenantAtlas.Graph.Data;
using TenantAtlas.Graph.Registry;

namespace TenantAtlas.Graph.Throttling;

/// <summary>
/// The per-tenant throttle budget shared by all processes: before each HTTP attempt (retries included) the pipeline asks
/// PostgreSQL for room in the tenant's sliding window and waits as long as the database says. We slow ourselves down
/// before Graph has to.
/// </summary>
internal sealed class TenantThrottleBudget(
    IDbContextFactory<GraphDbContext> contexts,
    IOptions<GraphOptions> options,
    TimeProvider time,
    ILogger<TenantThrottleBudget> logger)
{
    /// <summary>Waits until the tenant's budget admits the cost and records it; returns how long that took.</summary>
    public Task<TimeSpan> AcquireAsync(Guid tenantId, int requests, int writes, CancellationToken cancellationToken) =>
        AcquireAsync(tenantId, GraphBudgetKind.Intune, requests, writes, cancellationToken);

    /// <summary>
    /// As above, in the budget of <paramref name="kind"/>: a service with its own limit keeps its own sliding window
    /// per tenant (its own row, under a key derived from the tenant's), so waiting there never delays the other budget.
    /// </summary>
    public async Task<TimeSpan> AcquireAsync(Guid tenantId, GraphBudgetKind kind, int requests, int writes, CancellationToken cancellationToken)
    {
        var budget = kind == GraphBudgetKind.ConditionalAccess ? options.Value.ConditionalAccessBudget : options.Value.Budget;
        if (!budget.Enabled)
        {
            return TimeSpan.Zero;
        }

        var key = BudgetKey(tenantId, kind);

        var slotMs = (int)Math.Max(1, budget.Window.TotalMilliseconds / Math.Max(1, budget.Slots));
        // A cost above the whole window's limit could never be admitted; it takes the whole window instead.
        requests = Math.Clamp(requests, 0, budget.Requests);
        writes = Math.Clamp(writes, 0, budget.Writes);
        var waited = TimeSpan.Zero;
        while (true)
        {
            var waitMs = await TryAcquireAsync(key, tenantId, slotMs, budget, requests, writes, cancellationToken);
            if (waitMs <= 0)
            {
                if (waited > TimeSpan.Zero)
                {
                    logger.LogDebug("Graph budget of tenant {TenantId} admitted a request after {WaitMs} ms", tenantId, (long)waited.TotalMilliseconds);
                }

                return waited;
            }

            var delay = TimeSpan.FromMilliseconds(waitMs + Random.Shared.Next(0, 15));
            await Task.Delay(delay, time, cancellationToken);
            waited += delay;
        }
    }

    /// <summary>The budget row's key: the tenant's id for Intune's budget, a stable id derived from it for another service's.</summary>
    internal static Guid BudgetKey(Guid tenantId, GraphBudgetKind kind)
    {
        if (kind == GraphBudgetKind.Intune)
        {
            return tenantId;
        }

        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{tenantId:D}/{kind}"));
        return new Guid(hash.AsSpan(0, 16));
    }

    private async Task<long> TryAcquireAsync(Guid key, Guid tenantId, int slotMs, GraphBudgetOptions budget, int requests, int writes, CancellationToken cancellationToken)
    {
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var connection = db.Database.GetDbConnection();
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT graph.acquire_throttle_budget(@tenant, @slotMs, @slots, @requestLimit, @writeLimit, @requests, @writes)";
            Add(command, "tenant", key);
            Add(command, "slotMs", slotMs);
            Add(command, "slots", Math.Max(1, budget.Slots));
            Add(command, "requestLimit", budget.Requests);
            Add(command, "writeLimit", budget.Writes);
            Add(command, "requests", requests);
            Add(command, "writes", writes);
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (DbException e)
        {
            throw new GraphRequestException(
                GraphFailureKind.Unavailable, "budgetUnavailable", "The Graph throttle budget (PostgreSQL) could not be reached.", isRetryable: true, innerException: e)
            {
                TenantId = tenantId,
            };
        }
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
