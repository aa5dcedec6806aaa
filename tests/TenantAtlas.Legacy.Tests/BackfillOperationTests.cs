using TenantAtlas.Access.Contracts;
using TenantAtlas.Legacy.Contracts;
using TenantAtlas.Testing.Hosting;

namespace TenantAtlas.Legacy.Tests;

/// <summary>The host with Hangfire workers: <c>legacy.backfill</c> runs are executed like any run.</summary>
public sealed class LegacyWorkerFixture : AppFixture
{
    protected override TenantAtlasApp CreateApp(string connectionString) => base.CreateApp(connectionString)
        .WithSetting("Operations:HeartbeatInterval", "00:00:00.200")
        .WithSetting("Hangfire:Server:Enabled", "true")
        .WithSetting("Hangfire:QueuePollMilliseconds", "100");
}

/// <summary>Spec 006-legacy, "Backfill as an operation": <c>legacy backfill --queue</c> starts one run per workspace; the workers backfill.</summary>
public sealed class BackfillOperationTests(LegacyWorkerFixture fixture) : IClassFixture<LegacyWorkerFixture>
{
    [Fact]
    public async Task Queued_backfills_run_per_workspace_with_their_counts_in_the_summary()
    {
        var tenants = fixture.App.Services.GetRequiredService<TenantAtlas.Tenants.Contracts.ITenantCatalog>();
        using var files = new LegacyHistoryFiles((await tenants.GetAsync(fixture.Demo.ContosoEu))!.EntraTenantId, (await tenants.GetAsync(fixture.Demo.FabrikamTenant))!.EntraTenantId);
        (await LegacyFixture.LegacyAsync(fixture.App.Services, "import", "--csv", files.Directory)).Exit.Should().Be(0);

        var queued = await LegacyFixture.LegacyAsync(fixture.App.Services, "backfill", "--queue");

        queued.Exit.Should().Be(0, queued.Output);
        var ids = System.Text.RegularExpressions.Regex.Matches(queued.Output, @"workspace ([0-9a-f-]+): run #(\d+) started")
            .ToDictionary(m => Guid.Parse(m.Groups[1].Value), m => long.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
        ids.Keys.Should().BeEquivalentTo([fixture.Demo.Contoso, fixture.Demo.Fabrikam]);
        var runs = fixture.App.Services.GetRequiredService<IOperationRuns>();
        var contoso = await WaitAsync(runs, ids[fixture.Demo.Contoso]);
        var fabrikam = await WaitAsync(runs, ids[fixture.Demo.Fabrikam]);

        contoso.Outcome.Should().Be(OperationRunOutcome.Succeeded, string.Join("; ", contoso.Failures.Select(f => $"{f.Code}: {f.Message}")));
        fabrikam.Outcome.Should().Be(OperationRunOutcome.Succeeded, string.Join("; ", fabrikam.Failures.Select(f => $"{f.Code}: {f.Message}")));
        contoso.Type.Should().Be(LegacyOperationTypes.Backfill);
        contoso.TenantId.Should().BeNull("a backfill is a run of a whole workspace");
        contoso.Summary.Should().Contain(new KeyValuePair<string, long>(OperationSummaryKeys.Created, LegacyHistoryFiles.InventoryMapped + 4 + 2));
        fabrikam.Summary.Should().Contain(new KeyValuePair<string, long>(OperationSummaryKeys.Created, 3 + 2));
        fabrikam.Summary.Should().Contain(new KeyValuePair<string, long>(LegacyOperationTypes.UnmappedKey, LegacyHistoryFiles.Unmapped));
        (await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM operations.operation_runs WHERE legacy_table IS NOT NULL")).Should().Be(LegacyHistoryFiles.MappedRuns);

        var again = await LegacyFixture.LegacyAsync(fixture.App.Services, "backfill", "--queue", "--workspace", fixture.Demo.Contoso.ToString());
        var second = await WaitAsync(runs, long.Parse(System.Text.RegularExpressions.Regex.Match(again.Output, @"run #(\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        second.Summary.Should().Contain(new KeyValuePair<string, long>(OperationSummaryKeys.Created, 0));
        second.Summary.Should().Contain(new KeyValuePair<string, long>(OperationSummaryKeys.Skipped, LegacyHistoryFiles.InventoryMapped + 4 + 2));
    }

    private static async Task<OperationRunView> WaitAsync(IOperationRuns runs, long id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var run = (await runs.FindAsync(id))!;
            if (run.Status == OperationRunStatus.Completed)
            {
                return run;
            }

            DateTime.UtcNow.Should().BeBefore(deadline, $"run {id} should complete (it is {run.Status})");
            await Task.Delay(100);
        }
    }
}

/// <summary>Spec 006-legacy, "Backfill as an operation": system only, one active per workspace (no workers here: runs stay queued).</summary>
public sealed class BackfillStartTests(LegacyFixture fixture) : IClassFixture<LegacyFixture>
{
    [Fact]
    public async Task A_backfill_is_started_by_the_system_only_and_once_per_workspace_while_active()
    {
        var runs = fixture.App.Services.GetRequiredService<IOperationRuns>();
        var request = StartRequest.ForWorkspace(LegacyOperationTypes.Backfill, fixture.Demo.Contoso);

        var byUser = await runs.StartAsync(Actor.User(fixture.Demo.Owner), request);
        byUser.Refusal.Should().Be(StartRefusal.SystemOnly);

        var first = await runs.StartAsync(Actor.System("legacy import"), request);
        var second = await runs.StartAsync(Actor.System("legacy import"), request);
        var other = await runs.StartAsync(Actor.System("legacy import"), StartRequest.ForWorkspace(LegacyOperationTypes.Backfill, fixture.Demo.Fabrikam));

        first.Created.Should().BeTrue(first.Message);
        second.Created.Should().BeFalse();
        second.Run!.Id.Should().Be(first.Run!.Id, "one active backfill per workspace");
        other.Created.Should().BeTrue();
        other.Run!.Id.Should().NotBe(first.Run.Id);
        (await runs.StartAsync(Actor.System("x"), new StartRequest(LegacyOperationTypes.Backfill, fixture.Demo.ContosoEu))).Refusal
            .Should().Be(StartRefusal.InvalidInput, "a workspace-wide run has no tenant");
    }
}
