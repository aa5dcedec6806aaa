using TenantAtlas.Access.Contracts;
using TenantAtlas.Operations.Contracts;
using TenantAtlas.Operations.Tests.Support;
using TenantAtlas.Testing.Hosting;

namespace TenantAtlas.Operations.Tests.Monitoring;

/// <summary>Spec 002-monitoring-and-api, "Demo history": every type and outcome, failures included, nothing left active, marked as demo, idempotent.</summary>
public sealed class DemoHistoryTests(OperationsFixture fixture) : IClassFixture<OperationsFixture>
{
    [Fact]
    public async Task Seeding_adds_every_type_status_and_outcome_once_and_marks_it_as_demo()
    {
        var history = fixture.App.Services.GetRequiredService<TenantAtlas.Web.Demo.DemoRunHistory>();
        TenantAtlas.Web.Demo.DemoTenant[] tenants =
        [
            new(fixture.Demo.Contoso, fixture.Demo.ContosoEu, fixture.Demo.Owner, "owner@demo.test"),
            new(fixture.Demo.Fabrikam, fixture.Demo.FabrikamTenant, fixture.Demo.Outsider, "outsider@demo.test"),
        ];

        var added = await history.SeedDemoHistoryAsync(tenants);
        var again = await history.SeedDemoHistoryAsync(tenants);

        added.Should().BeGreaterThan(50);
        again.Should().Be(0, "seeding is idempotent");
        var page = await fixture.App.Services.GetRequiredService<IOperationRunQueries>().ListAsync(fixture.Demo.Owner, new RunFilter { TenantId = fixture.Demo.ContosoEu }, null, 200);
        // Every type the product runs today; restore.execute only once Restore part 2 exists (the demo shows no restore that never happened).
        page.Items.Select(r => r.Type).Distinct().Should().BeEquivalentTo(OperationTypes.All.Select(t => t.Key).Where(k => k != OperationTypes.RestoreExecute));
        page.Items.Select(r => r.Status).Distinct().Should().BeEquivalentTo([OperationRunStatus.Completed], "a demo run without a worker would block a user's start");
        page.Items.Should().Contain(r => r.CompletionReason == "worker_lost" && r.Failures.Any(f => f.Code == "worker_lost"), "the stale-run upkeep is shown by a finished example");
        page.Items.Where(r => r.Status == OperationRunStatus.Completed).Select(r => r.Outcome).Distinct()
            .Should().BeEquivalentTo([OperationRunOutcome.Succeeded, OperationRunOutcome.PartiallySucceeded, OperationRunOutcome.Failed, OperationRunOutcome.Cancelled]);
        page.Items.Should().OnlyContain(r => r.Initiator.SystemReason == "demo seed");
        page.Items.Should().Contain(r => r.Failures.Count > 0 && r.Outcome == OperationRunOutcome.PartiallySucceeded);
        (await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM operations.operation_runs WHERE workspace_id = $1 AND tenant_id = $2", fixture.Demo.Contoso, fixture.Demo.FabrikamTenant))
            .Should().Be(0, "each tenant's history stays in its own workspace");
    }

    [Fact]
    public async Task After_the_demo_seed_sync_now_starts_a_new_run_on_every_demo_tenant()
    {
        await using var database = await TenantAtlasApp.CreateDatabaseAsync();
        await using var app = OperationsFixture.Configure(new TenantAtlasApp(database.ConnectionString)).WithSetting("Demo:History", "true");
        var demo = await app.SeedDemoAsync();
        var runs = app.Services.GetRequiredService<IOperationRuns>();

        (await database.ScalarAsync<long>("SELECT count(*) FROM operations.operation_runs WHERE initiator_reason = 'demo seed'")).Should().BeGreaterThan(100);
        (await database.ScalarAsync<long>("SELECT count(*) FROM operations.operation_runs WHERE status IN ('queued', 'running')"))
            .Should().Be(0, "the demo seed leaves nothing queued or running");
        var syncs = OperationTypes.All.Where(t => t.UserStartable && t.IdentityRule == IdentityRule.Dedupe && t.Key != OperationTypes.RestoreExecute).Select(t => t.Key).ToList();
        syncs.Should().Contain([OperationTypes.InventorySync, OperationTypes.DirectoryGroupsSync, OperationTypes.DirectoryRoleDefinitionsSync]);
        foreach (var (tenant, user) in new[] { (demo.ContosoEu, demo.Owner), (demo.ContosoUs, demo.Operator), (demo.FabrikamTenant, demo.Outsider) })
        {
            foreach (var type in syncs)
            {
                var result = await runs.StartAsync(Actor.User(user), new StartRequest(type, tenant));

                result.Created.Should().BeTrue($"{type} on tenant {tenant} is a newcomer's first click, not \"already running\" ({result.Message})");
            }
        }
    }
}
