using TenantAtlas.Graph.Contracts;
using TenantAtlas.Graph.Contracts.Jobs;
using TenantAtlas.Operations.Contracts;

namespace TenantAtlas.Directory.Sync;

/// <summary>
/// <c>directory_role_definitions.sync</c>: lists the tenant's Intune role definitions (built-in and custom) and replaces the
/// cache in one transaction: one upsert statement, then the ones not received are marked deleted.
/// </summary>
internal sealed class RoleDefinitionsSyncJob(
    DirectoryStore store,
    IGraphGateway graph,
    ITenantGraphJobEnvelope tenantGraph,
    TimeProvider clock) : IOperationJob
{
    public async Task<OperationJobResult> RunAsync(IOperationRunContext run, CancellationToken cancellationToken)
    {
        var work = new TenantGraphWork((tenant, ct) => SyncAsync(run, tenant, ct)) { FailureItem = "roleDefinitions" };
        if (await tenantGraph.RunAsync(run, work, cancellationToken) != TenantGraphWorkEnd.Completed)
        {
            return OperationJobResult.Failed;
        }

        await run.ReportProgressAsync(cancellationToken);
        return run.Get(OperationSummaryKeys.Failed) == 0 ? OperationJobResult.Succeeded : OperationJobResult.PartiallySucceeded;
    }

    private async Task SyncAsync(IOperationRunContext run, TenantGraphSession tenant, CancellationToken cancellationToken)
    {
        var definitions = await graph.ListRoleDefinitionsAsync(tenant.TenantId, cancellationToken);
        // One Graph call is all the Graph work: the tenant's slot is free for other jobs while the cache is written.
        await tenant.ReleaseSlotAsync();

        run.Set(OperationSummaryKeys.Total, definitions.Count);
        await run.ReportProgressAsync(cancellationToken);
        var valid = new Dictionary<string, GraphRoleDefinition>(StringComparer.Ordinal);
        foreach (var definition in definitions)
        {
            if (GroupsSyncJob.IsValidId(definition.Id))
            {
                valid[definition.Id] = definition;
            }
            else
            {
                run.Increment(OperationSummaryKeys.Failed);
                await run.AddFailureAsync("invalid_role_definition", "Graph returned a role definition without a usable id; it was not cached.", definition.DisplayName, cancellationToken);
            }
        }

        var (counts, deleted) = await store.ReplaceRoleDefinitionsAsync(tenant.TenantId, run.RunId, clock.GetUtcNow(), [.. valid.Values], cancellationToken);
        var duplicates = definitions.Count - valid.Count - run.Get(OperationSummaryKeys.Failed);
        run.Set(OperationSummaryKeys.Created, counts.Created);
        run.Set(OperationSummaryKeys.Updated, counts.Updated);
        run.Set(OperationSummaryKeys.Unchanged, counts.Unchanged + duplicates);
        run.Set(OperationSummaryKeys.Deleted, deleted);
        run.Set(OperationSummaryKeys.Total, definitions.Count + deleted);
        run.Set(OperationSummaryKeys.Processed, definitions.Count + deleted);
        run.Set(OperationSummaryKeys.Succeeded, definitions.Count + deleted - run.Get(OperationSummaryKeys.Failed));
    }
}
