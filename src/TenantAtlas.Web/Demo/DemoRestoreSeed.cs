using System.Text.Json.Nodes;
using TenantAtlas.Access.Contracts;
using TenantAtlas.Backup.Contracts;
using TenantAtlas.Graph.Contracts.Diff;
using TenantAtlas.Operations.Contracts;
using TenantAtlas.Restore.Contracts;
using TenantAtlas.Tenants.Contracts;

namespace TenantAtlas.Web.Demo;

/// <summary>
/// The demo's restore, made for real once the portal runs (<c>Demo:SeedRestore</c>, set by scripts/run.sh): a backup of
/// Contoso-EU (a real <c>backup_schedule.run_now</c> run against the Graph emulator), a groups sync of both tenants, then a
/// restore request from that set into Contoso-US — a cross-tenant restore of the policies without group assignments, so it can be executed and rolled back at once — and its <c>restore.plan</c> run. Nothing
/// is invented: every row comes from the real jobs. Skipped when Contoso already has a restore request.
/// </summary>
internal sealed class DemoRestoreSeed(IServiceProvider services, ILogger<DemoRestoreSeed> logger) : BackgroundService
{
    public const string Setting = "Demo:SeedRestore";

    private static readonly string[] Families = ["deviceCompliancePolicies", "deviceManagementScripts"];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await SeedAsync(stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The demo works without it; say why it is missing.
            logger.LogWarning(e, "The demo restore request was not seeded.");
        }
    }

    private async Task SeedAsync(CancellationToken cancellationToken)
    {
        var access = services.GetRequiredService<IAccessAdministration>();
        var owner = await access.EnsureUserAsync("owner@demo.test", DemoSeeder.Password, false, cancellationToken);
        var restores = services.GetRequiredService<IRestoreRequests>();
        if ((await restores.ListForUserAsync(owner, 1, cancellationToken)).Count > 0)
        {
            return;
        }

        var catalog = services.GetRequiredService<ITenantCatalog>();
        var contoso = await access.EnsureWorkspaceAsync("Contoso", cancellationToken);
        var tenants = await catalog.ListAsync([contoso], cancellationToken);
        if (tenants.FirstOrDefault(t => t.EntraTenantId == DemoSeeder.ContosoEuEntraId) is not { } source
            || tenants.FirstOrDefault(t => t.EntraTenantId == DemoSeeder.ContosoUsEntraId) is not { } target)
        {
            return;
        }

        var schedule = await services.GetRequiredService<IBackupScheduleAdministration>().EnsureScheduleAsync(source.Id,
            new BackupScheduleSpec("Demo restore source", "0 3 * * *", "Europe/Berlin", Families, KeepLast: 5, KeepDays: null), cancellationToken);
        var runs = services.GetRequiredService<IOperationRuns>();
        var backup = await runs.StartAsync(Actor.User(owner),
            new StartRequest(OperationTypes.BackupRunNow, source.Id) { Inputs = new JsonObject { ["scheduleId"] = schedule.ToString() } }, cancellationToken);
        if (!backup.Started)
        {
            logger.LogWarning("The demo restore's backup did not start: {Message}", backup.Message);
            return;
        }

        var finished = await WaitAsync(runs, backup.Run!.Id, cancellationToken);
        if (finished is not { Outcome: OperationRunOutcome.Succeeded or OperationRunOutcome.PartiallySucceeded })
        {
            logger.LogWarning("The demo restore's backup run {RunId} did not succeed.", backup.Run.Id);
            return;
        }

        var set = (await services.GetRequiredService<IBackupSets>().ListAsync([source.Id], 50, cancellationToken))
            .FirstOrDefault(s => s.OperationRunId == finished.Id);
        if (set is null)
        {
            return;
        }

        // The plan maps groups by name through both tenants' directory caches, as after an admin's first syncs.
        foreach (var tenant in new[] { source.Id, target.Id })
        {
            var sync = await runs.StartAsync(Actor.User(owner), new StartRequest(OperationTypes.DirectoryGroupsSync, tenant), cancellationToken);
            if (sync.Run is { } syncRun)
            {
                await WaitAsync(runs, syncRun.Id, cancellationToken);
            }
        }

        // Contoso-US has none of Contoso-EU's groups nor its custom scope tags: a policy using one would wait for the admin to
        // map or drop it.
        // The demo request takes the policies without group assignments, so its plan can be executed (and rolled back)
        // at once; the New restore page shows the whole set, blockers included.
        var backupSets = services.GetRequiredService<IBackupSets>();
        var items = await backupSets.ListItemsAsync(set.Id, cancellationToken);
        var contents = await backupSets.ReadItemsAsync(set.Id, [.. items.Select(i => i.Id)], cancellationToken);
        var selected = contents.Where(c => c.Unreadable is null && Resolvable(GraphReferences.Collect(c.Content, c.Assignments)))
            .OrderBy(c => c.DisplayName, StringComparer.Ordinal).Take(12).Select(c => c.Id).ToList();
        var created = await restores.CreateAsync(owner,
            new NewRestoreRequest(set.Id, target.Id, selected.Count > 0 ? [] : Families, selected), cancellationToken);
        if (!created.Ok)
        {
            logger.LogWarning("The demo restore request was refused: {Error}", created.Error ?? created.Decision.ToString());
            return;
        }

        var plan = await restores.PlanAsync(owner, created.Value!.Id, cancellationToken);
        logger.LogInformation("Demo restore request {RequestId} (Contoso-EU → Contoso-US) created; plan run {RunId}.", created.Value.Id, plan.Value?.Run?.Id);
    }

    /// <summary>
    /// No group, only the built-in scope tag, no notification template or reusable setting (the demo tenants' differ by
    /// name): what the demo's plan resolves without an admin's choice.
    /// </summary>
    private static bool Resolvable(GraphReferenceSet references) =>
        references.GroupIds.Count == 0 && references.ScopeTagIds.All(id => id == "0")
        && references.NotificationTemplateIds.Count == 0 && references.ReusableSettingIds.Count == 0;

    private static async Task<OperationRunView?> WaitAsync(IOperationRuns runs, long runId, CancellationToken cancellationToken)
    {
        for (var i = 0; i < 600; i++)
        {
            var run = await runs.FindAsync(runId, cancellationToken);
            if (run is null || run.Status == OperationRunStatus.Completed)
            {
                return run;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }

        return null;
    }
}
