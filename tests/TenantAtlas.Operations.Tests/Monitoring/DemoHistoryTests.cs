using TenantAtlas.Operations.Contracts;
using TenantAtlas.Operations.Tests.Support;

namespace TenantAtlas.Operations.Tests.Monitoring;

/// <summary>Spec 002-monitoring-and-api, "Demo history": every type, status and outcome, failures included, marked as demo, idempotent.</summary>
public sealed class DemoHistoryTests(OperationsFixture fixture) : IClassFixture<OperationsFixture>
{
    [Fact]
    public async Task Seeding_adds_every_type_status_and_outcome_once_and_marks_it_as_demo()
    {
        var history = fixture.App.Services.GetRequiredService<IOperationHistory>();
        DemoTenant[] tenants =
        [
            new(fixture.Demo.Contoso, fixture.Demo.ContosoEu, fixture.Demo.Owner, "owner@demo.test"),
            new(fixture.Demo.Fabrikam, fixture.Demo.FabrikamTenant, fixture.Demo.Outsider, "outsider@demo.test"),
        ];

        var added = await history.SeedDemoHistoryAsync(tenants);
        var again = await history.SeedDemoHistoryAsync(tenants);

        added.Should().BeGreaterThan(50);
        again.Should().Be(0, "seeding is idempotent");
        var page = await fixture.App.Services.GetRequiredService<IOperationRunQueries>().ListAsync(fixture.Demo.Owner, new RunFilter { TenantId = fixture.Demo.ContosoEu }, null, 200);
        page.Items.Select(r => r.Type).Distinct().Should().BeEquivalentTo(OperationTypes.All.Select(t => t.Key));
        page.Items.Select(r => r.Status).Distinct().Should().BeEquivalentTo(Enum.GetValues<OperationRunStatus>());
        page.Items.Where(r => r.Status == OperationRunStatus.Completed).Select(r => r.Outcome).Distinct()
            .Should().BeEquivalentTo([OperationRunOutcome.Succeeded, OperationRunOutcome.PartiallySucceeded, OperationRunOutcome.Failed, OperationRunOutcome.Cancelled]);
        page.Items.Should().OnlyContain(r => r.Initiator.SystemReason == "demo seed");
        page.Items.Should().Contain(r => r.Failures.Count > 0 && r.Outcome == OperationRunOutcome.PartiallySucceeded);
        (await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM operations.operation_runs WHERE workspace_id = $1 AND tenant_id = $2", fixture.Demo.Contoso, fixture.Demo.FabrikamTenant))
            .Should().Be(0, "each tenant's history stays in its own workspace");
    }
}
