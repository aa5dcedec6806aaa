using TenantAtlas.Access.Contracts;
using TenantAtlas.Operations.Contracts;
using TenantAtlas.Operations.Tests.Support;
using TenantAtlas.Testing.Hosting;
using static TenantAtlas.Operations.Tests.Support.AuditSql;

namespace TenantAtlas.Operations.Tests.Runs;

/// <summary>ADR 0004's switch: with coalescing off every start decides alone, and the identity rules still hold.</summary>
public sealed class CoalescingSwitchTests
{
    [Fact]
    public async Task With_coalescing_off_fifty_identical_starts_still_create_one_run_and_each_call_is_audited_alone()
    {
        await using var database = await TenantAtlasApp.CreateDatabaseAsync();
        await using var app = OperationsFixture.Configure(new TenantAtlasApp(database.ConnectionString)).WithSetting("Operations:CoalesceStarts", "false");
        var demo = await app.SeedDemoAsync();
        var runs = app.Services.GetRequiredService<IOperationRuns>();
        runs.GetType().Name.Should().NotContain("Coalescing", "the switch removes the decorator");

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ =>
            runs.StartAsync(Actor.User(demo.Owner), new StartRequest(TestOperations.Sync, demo.ContosoEu))));

        results.Should().OnlyContain(r => r.Started);
        results.Count(r => r.Created).Should().Be(1);
        results.Select(r => r.Run!.Id).Distinct().Should().ContainSingle();
        var runId = results[0].Run!.Id;
        (await database.ScalarAsync<long>("SELECT count(*) FROM operations.operation_runs WHERE type = $1 AND tenant_id = $2", TestOperations.Sync, demo.ContosoEu))
            .Should().Be(1);
        (await database.ScalarAsync<long>("SELECT count(*) FROM access.audit_entries WHERE operation_run_id = $1 AND action IN ('operation.started','operation.deduplicated')", runId))
            .Should().Be(50, "without coalescing each call writes its own entry");
        (await database.ScalarAsync<long>(AuditedCalls + " AND action IN ('operation.started','operation.deduplicated')", runId)).Should().Be(50);
    }

    [Fact]
    public async Task With_coalescing_on_a_burst_of_one_users_identical_starts_shares_entries_that_count_every_call()
    {
        await using var database = await TenantAtlasApp.CreateDatabaseAsync();
        await using var app = OperationsFixture.Configure(new TenantAtlasApp(database.ConnectionString));
        var demo = await app.SeedDemoAsync();
        var runs = app.Services.GetRequiredService<IOperationRuns>();
        runs.GetType().Name.Should().Contain("Coalescing", "coalescing is on by default");

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ =>
            runs.StartAsync(Actor.User(demo.Owner), new StartRequest(TestOperations.Sync, demo.ContosoEu))));

        results.Count(r => r.Created).Should().Be(1);
        var runId = results[0].Run!.Id;
        (await database.ScalarAsync<long>(AuditedCalls + " AND action IN ('operation.started','operation.deduplicated')", runId))
            .Should().Be(50, "every call is accounted for");
        (await database.ScalarAsync<long>("SELECT count(*) FROM access.audit_entries WHERE operation_run_id = $1", runId))
            .Should().BeLessThan(50, "calls one decision answered share one entry");
    }
}
