using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using TenantAtlas.Backup.Contracts;
using TenantAtlas.Graph.Contracts;
using TenantAtlas.Graph.Contracts.Diff;
using TenantAtlas.Restore.Data;
using TenantAtlas.Restore.Planning;
using TenantAtlas.Testing.Operations;

namespace TenantAtlas.Restore.Tests.Execution;

/// <summary>What the execute tests share: request → plan → execute through the real services, and reading back.</summary>
internal sealed class ExecuteSupport(RestoreFixture fixture)
{
    public IRestoreExecutions Executions => fixture.App.Services.GetRequiredService<IRestoreExecutions>();

    public IGraphGateway Graph => fixture.App.Services.GetRequiredService<IGraphGateway>();

    public async Task<Guid> RequestAsync(Guid setId, Guid target, params string[] families)
    {
        var created = await fixture.Requests.CreateAsync(fixture.Demo.Owner, new NewRestoreRequest(setId, target, families, []));
        created.Ok.Should().BeTrue(created.Error);
        return created.Value!.Id;
    }

    public async Task<RestorePlan> PlanAsync(Guid requestId)
    {
        var started = await fixture.Requests.PlanAsync(fixture.Demo.Owner, requestId);
        started.Ok.Should().BeTrue(started.Error);
        var run = await fixture.WaitForCompletionAsync(started.Value!.Run!.Id, 120);
        run.Outcome.Should().Be(OperationRunOutcome.Succeeded, string.Join("; ", run.Failures.Select(f => f.Message)));
        return await LatestPlanAsync(requestId);
    }

    public async Task<RestorePlan> LatestPlanAsync(Guid requestId)
    {
        await using var db = await Db();
        return await db.Plans.AsNoTracking().Include(p => p.Items).Where(p => p.RequestId == requestId).OrderByDescending(p => p.CreatedAt).FirstAsync();
    }

    /// <summary>Executes the plan as the owner and waits for the run.</summary>
    public async Task<OperationRunView> ExecuteAsync(Guid requestId, Guid planId)
    {
        var started = await Executions.ExecuteAsync(fixture.Demo.Owner, requestId, planId);
        started.Ok.Should().BeTrue(started.Error);
        started.Value!.Created.Should().BeTrue();
        return await fixture.WaitForCompletionAsync(started.Value.Run!.Id, 180);
    }

    public async Task<List<RestoreItemResult>> LedgerAsync(long runId)
    {
        await using var db = await Db();
        return await db.ItemResults.AsNoTracking().Where(r => r.OperationRunId == runId).OrderBy(r => r.PlanItemId).ToListAsync();
    }

    public Task<long> LedgerRowsAsync(Guid requestId) =>
        fixture.Database.ScalarAsync<long>("SELECT count(*) FROM restore.restore_item_results WHERE request_id = $1", requestId);

    public Task<long> ExecuteRunsAsync(Guid tenantId) => fixture.RunsOfAsync(OperationTypes.RestoreExecute, tenantId);

    /// <summary>Delivers the run to the job once more, as a worker would after a crash or a hand-back.</summary>
    public async Task<OperationJobResult> RedeliverAsync(OperationRunView run, Guid requestId, Guid planId)
    {
        await using var scope = fixture.App.Services.CreateAsyncScope();
        // A run as the job sees it, in memory (a second delivery of one execute run).
        var context = new FakeRunContext(OperationTypes.RestoreExecute, run.WorkspaceId, run.TenantId!.Value)
        {
            RunId = run.Id,
            Inputs = new() { ["restoreRequestId"] = requestId.ToString(), ["planId"] = planId.ToString() },
            RestoreRequestId = requestId,
        };
        return await scope.ServiceProvider.GetRequiredKeyedService<IOperationJob>(OperationTypes.RestoreExecute).RunAsync(context, CancellationToken.None);
    }

    /// <summary>
    /// The target's objects as the plan intended them, for every item the run created or updated: content compared
    /// structurally (volatile fields stripped), assignments with the mapped ids, and for updates the target's
    /// protected-group assignments kept. Returns the items checked.
    /// </summary>
    public async Task<int> AssertTargetAsIntendedAsync(Guid tenantId, Guid sourceSetId, RestorePlan plan, IReadOnlyList<RestoreItemResult> ledger)
    {
        var references = PlanJson.Read<List<PlanReference>>(plan.References, []);
        var written = plan.Items.Where(i => i.Action is PlanAction.Create or PlanAction.Update).ToList();
        var sources = (await fixture.BackupSets.ReadItemsAsync(sourceSetId, [.. written.Select(i => i.BackupItemId!.Value)])).ToDictionary(s => s.Id);
        foreach (var item in written)
        {
            var row = ledger.Single(r => r.PlanItemId == item.Id);
            row.Result.Should().Be(item.Action == PlanAction.Create ? ItemResult.Created : ItemResult.Updated, $"{item.DisplayName}: {row.ErrorCode} {row.ErrorMessage}");
            row.TargetObjectId.Should().NotBeNullOrEmpty();
            var source = sources[item.BackupItemId!.Value];
            var (content, assignments) = PlanBuilder.Intended(source.Content!, source.Assignments, references, []);
            if (item.Match == PlanMatch.Copy)
            {
                content[item.Family == GraphResourceKeys.ConfigurationPolicies ? "name" : "displayName"] = item.TargetDisplayName;
            }

            foreach (var kept in PlanJson.Read<JsonArray>(item.ProtectedAssignments, []))
            {
                assignments.Add(kept?.DeepClone());
            }

            var actual = await Graph.GetPolicyAsync(tenantId, item.Family, row.TargetObjectId!);

            // A secret is backed up as Intune's encrypted blob and written in clear (the Graph module's tests cover that;
            // the emulator stores it as sent): compare everything else.
            foreach (var secret in source.ProtectedValues)
            {
                Hide(content, secret.Path);
                Hide(actual.Content, secret.Path);
            }

            GraphObjectDiff.Compare(content, actual.Content).Changes.Should().BeEmpty($"{item.DisplayName} is in the target as the plan intended");
            GraphObjectDiff.CompareAssignments(assignments, new JsonArray([.. actual.Assignments.Select(a => (JsonNode)a.DeepClone())]))
                .Changes.Should().BeEmpty($"{item.DisplayName} has the intended assignments");
        }

        return written.Count;
    }

    private static void Hide(JsonNode root, string pointer)
    {
        var parts = pointer.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToList();
        var node = root;
        foreach (var part in parts[..^1])
        {
            node = node switch
            {
                JsonObject o => o[part],
                JsonArray a when int.TryParse(part, out var i) && i < a.Count => a[i],
                _ => null,
            };
            if (node is null)
            {
                return;
            }
        }

        switch (node)
        {
            case JsonObject o:
                // With the value go how it is stored: the write sends it in clear (isEncrypted false, no reference id).
                o[parts[^1]] = "(secret)";
                o["isEncrypted"] = "(secret)";
                o["secretReferenceValueId"] = "(secret)";
                break;
            case JsonArray a when int.TryParse(parts[^1], out var i) && i < a.Count:
                a[i] = "(secret)";
                break;
        }
    }

    private Task<RestoreDbContext> Db() => fixture.App.Services.GetRequiredService<IDbContextFactory<RestoreDbContext>>().CreateDbContextAsync();
}
