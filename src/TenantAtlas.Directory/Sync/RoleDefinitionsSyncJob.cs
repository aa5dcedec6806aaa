using TenantAtlas.Graph.Contracts;
using TenantAtlas.Operations.Contracts;

namespace TenantAtlas.Directory.Sync;

/// <summary>
/// <c>directory_role_definitions.sync</c>: lists the tenant's Intune role definitions (built-in and custom) and replaces the
/// cache in one transaction: one upsert statement, then the ones not received are marked deleted.
/// </summary>
internal sealed class RoleDefinitionsSyncJob(
    DirectoryStore store,
    IGraphGateway graph,
    IGraphCallMetrics metrics,
    IGraphTenantSlots slots,
    TimeProvider clock) : IOperationJob
{
    public async Task<OperationJobResult> RunAsync(IOperationRunContext run, CancellationToken cancellationToken)
    {
        if (run.TenantId is not { } tenantId)
        {
            await run.AddFailureAsync("invalid_input", "The run names no tenant.", cancellationToken: cancellationToken);
            return OperationJobResult.Failed;
        }

        using var scope = metrics.BeginScope();
        try
        {
            IReadOnlyList<GraphRoleDefinition> definitions;
            await using (var slot = await slots.AcquireAsync(tenantId, cancellationToken))
            {
                definitions = await graph.ListRoleDefinitionsAsync(tenantId, cancellationToken);
            }

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

            var (counts, deleted) = await store.ReplaceRoleDefinitionsAsync(tenantId, run.RunId, clock.GetUtcNow(), [.. valid.Values], cancellationToken);
            var duplicates = definitions.Count - valid.Count - run.Get(OperationSummaryKeys.Failed);
            run.Set(OperationSummaryKeys.Created, counts.Created);
            run.Set(OperationSummaryKeys.Updated, counts.Updated);
            run.Set(OperationSummaryKeys.Unchanged, counts.Unchanged + duplicates);
            run.Set(OperationSummaryKeys.Deleted, deleted);
            run.Set(OperationSummaryKeys.Total, definitions.Count + deleted);
            run.Set(OperationSummaryKeys.Processed, definitions.Count + deleted);
            run.Set(OperationSummaryKeys.Succeeded, definitions.Count + deleted - run.Get(OperationSummaryKeys.Failed));
        }
        catch (GraphRequestException e) when (!cancellationToken.IsCancellationRequested)
        {
            await run.AddFailureAsync(e.ErrorCode, GroupsSyncJob.Describe(e), "roleDefinitions", cancellationToken);
            return OperationJobResult.Failed;
        }
        finally
        {
            run.Set(OperationSummaryKeys.ThrottledRequests, scope.ThrottledRequests);
            run.Set(OperationSummaryKeys.ThrottleWaitSeconds, scope.ThrottleWaitSeconds);
        }

        await run.ReportProgressAsync(cancellationToken);
        return run.Get(OperationSummaryKeys.Failed) == 0 ? OperationJobResult.Succeeded : OperationJobResult.PartiallySucceeded;
    }
}
