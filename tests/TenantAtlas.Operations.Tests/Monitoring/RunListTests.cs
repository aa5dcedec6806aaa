using System.Net;
using TenantAtlas.Access.Contracts;
using TenantAtlas.Operations.Contracts;
using TenantAtlas.Operations.Tests.Support;
using TenantAtlas.Testing.Hosting;

namespace TenantAtlas.Operations.Tests.Monitoring;

/// <summary>Spec 002-monitoring-and-api, "Monitoring list": only what the user may view, counts included; filters; keyset paging.</summary>
[Collection(OutboundHttpCollection.Name)]
public sealed class RunListTests(OperationsFixture fixture) : IClassFixture<OperationsFixture>, IAsyncLifetime
{
    private IOperationRunQueries Queries => fixture.App.Services.GetRequiredService<IOperationRunQueries>();

    public async Task InitializeAsync()
    {
        if (await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM operations.operation_runs") > 0)
        {
            return;
        }

        // Contoso: syncs (inventory capability) and backups-like clicks; Fabrikam: one click of its own.
        await fixture.StartAsync(TestOperations.Sync, fixture.Demo.ContosoEu);
        for (var i = 0; i < 3; i++)
        {
            await fixture.StartAsync(TestOperations.Click, fixture.Demo.ContosoUs, Actor.User(fixture.Demo.Operator));
        }

        await fixture.StartAsync(TestOperations.Click, fixture.Demo.FabrikamTenant, Actor.User(fixture.Demo.Outsider));
        await fixture.Runs.StartAsync(Actor.System("schedule"), new StartRequest(TestOperations.Scheduled, fixture.Demo.ContosoEu)
        {
            ScheduleId = Guid.NewGuid(),
            ScheduledFor = DateTimeOffset.UtcNow,
        });
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task An_outsiders_list_and_counts_never_show_contosos_runs()
    {
        var page = await Queries.ListAsync(fixture.Demo.Outsider, new RunFilter(), null, 200);
        var counts = await Queries.CountAsync(fixture.Demo.Outsider, new RunFilter());
        var forced = await Queries.ListAsync(fixture.Demo.Outsider, new RunFilter { WorkspaceId = fixture.Demo.Contoso }, null, 200);
        var forcedCounts = await Queries.CountAsync(fixture.Demo.Outsider, new RunFilter { TenantId = fixture.Demo.ContosoEu });

        page.Items.Should().NotBeEmpty().And.OnlyContain(r => r.WorkspaceId == fixture.Demo.Fabrikam);
        counts.Total.Should().Be(page.Items.Count);
        forced.Items.Should().BeEmpty();
        forcedCounts.Total.Should().Be(0);
    }

    [Fact]
    public async Task A_readonly_member_sees_none_of_the_types_it_lacks()
    {
        var page = await Queries.ListAsync(fixture.Demo.Readonly, new RunFilter(), null, 200);
        var counts = await Queries.CountAsync(fixture.Demo.Readonly, new RunFilter());
        var types = await Queries.VisibleTypesAsync(fixture.Demo.Readonly);

        page.Items.Should().BeEmpty("readonly holds no capability that starts (and so views) any operation type");
        counts.Total.Should().Be(0);
        types.Should().BeEmpty();
    }

    [Fact]
    public async Task An_operator_sees_the_types_of_its_capabilities_only()
    {
        var types = (await Queries.VisibleTypesAsync(fixture.Demo.Operator)).Select(t => t.Key).ToList();

        types.Should().Contain([OperationTypes.InventorySync, OperationTypes.BackupRunNow, TestOperations.Sync, TestOperations.Click])
            .And.NotContain(OperationTypes.RestoreExecute);
        (await Queries.ListAsync(fixture.Demo.Operator, new RunFilter { Type = OperationTypes.RestoreExecute }, null, 50)).Items.Should().BeEmpty();
    }

    [Fact]
    public async Task Filters_narrow_by_tenant_type_state_initiator_and_time()
    {
        var owner = fixture.Demo.Owner;

        (await Queries.ListAsync(owner, new RunFilter { TenantId = fixture.Demo.ContosoUs }, null, 200)).Items.Should().OnlyContain(r => r.TenantId == fixture.Demo.ContosoUs);
        (await Queries.ListAsync(owner, new RunFilter { Type = TestOperations.Sync }, null, 200)).Items.Should().OnlyContain(r => r.Type == TestOperations.Sync);
        (await Queries.ListAsync(owner, new RunFilter { Status = OperationRunStatus.Queued }, null, 200)).Items.Should().OnlyContain(r => r.Status == OperationRunStatus.Queued);
        (await Queries.ListAsync(owner, new RunFilter { Initiator = "OPERATOR@demo.test" }, null, 200)).Items.Should().NotBeEmpty().And.OnlyContain(r => r.Initiator.Label == "operator@demo.test");
        (await Queries.ListAsync(owner, new RunFilter { Initiator = "system" }, null, 200)).Items.Should().NotBeEmpty().And.OnlyContain(r => r.Initiator.IsSystem);
        (await Queries.ListAsync(owner, new RunFilter { From = DateTimeOffset.UtcNow.AddMinutes(5) }, null, 200)).Items.Should().BeEmpty();
    }

    [Fact]
    public async Task Keyset_paging_has_no_duplicates_or_gaps_while_new_runs_arrive()
    {
        var owner = fixture.Demo.Owner;
        for (var i = 0; i < 57; i++)
        {
            await fixture.StartAsync(TestOperations.Click, fixture.Demo.ContosoEu, inputs: new() { ["n"] = i });
        }

        var expected = (await Queries.ListAsync(owner, new RunFilter { TenantId = fixture.Demo.ContosoEu }, null, 200)).Items.Select(r => r.Id).ToList();
        var seen = new List<long>();
        long? cursor = null;
        do
        {
            var page = await Queries.ListAsync(owner, new RunFilter { TenantId = fixture.Demo.ContosoEu }, cursor, 10);
            seen.AddRange(page.Items.Select(r => r.Id));
            cursor = page.NextCursor;
            // Newer runs arrive between page loads: they appear above the first page, never inside the pages being walked.
            await fixture.StartAsync(TestOperations.Click, fixture.Demo.ContosoEu, inputs: new() { ["late"] = true });
        }
        while (cursor is not null);

        seen.Should().OnlyHaveUniqueItems();
        seen.Should().Equal(expected, "every run that existed when paging began appears exactly once, newest first");
    }

    [Theory]
    [InlineData("owner@demo.test", true)]
    [InlineData("readonly@demo.test", false)]
    [InlineData("outsider@demo.test", false)]
    public async Task The_list_page_renders_only_visible_runs(string email, bool seesContoso)
    {
        var client = await fixture.SignedInAsync(email);
        using var outbound = new OutboundHttpRecorder();

        var response = await client.GetAsync($"/admin/operations?tenant={fixture.Demo.ContosoUs}");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync();
        (html.Contains("Contoso-US", StringComparison.Ordinal) && html.Contains("data-run=", StringComparison.Ordinal)).Should().Be(seesContoso);
        outbound.Requests.Should().BeEmpty("the list renders from the database only");
    }

    [Theory]
    [InlineData("?before=abc")]
    [InlineData("?before=-5")]
    [InlineData("?before=99999999999999999999999")]
    public async Task A_hand_edited_cursor_falls_back_to_the_first_page_instead_of_an_error(string query)
    {
        var client = await fixture.SignedInAsync("owner@demo.test");

        var response = await client.GetAsync("/admin/operations" + query);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Contain("runs-grid");
    }
}
