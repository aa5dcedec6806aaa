using TenantAtlas.Access.Contracts;
using TenantAtlas.Operations.Contracts;
using TenantAtlas.Operations.Tests.Support;
using static TenantAtlas.Operations.Tests.Support.AuditSql;

namespace TenantAtlas.Operations.Tests.Runs;

/// <summary>Spec 001-operation-runs, "Run identity": each rule holds under 50 concurrent starts, enforced by the database.</summary>
public sealed class IdentityRuleTests(OperationsFixture fixture) : IClassFixture<OperationsFixture>
{
    private Task<long> CountAsync(string type, Guid tenant) =>
        fixture.Database.ScalarAsync<long>("SELECT count(*) FROM operations.operation_runs WHERE type = $1 AND tenant_id = $2", type, tenant);

    [Fact]
    public async Task Fifty_concurrent_dedupe_starts_create_one_run_and_all_get_it()
    {
        var tenant = fixture.Demo.ContosoUs;

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            fixture.Runs.StartAsync(Actor.User(i % 2 == 0 ? fixture.Demo.Owner : fixture.Demo.Operator), new StartRequest(TestOperations.Sync, tenant))));

        results.Should().OnlyContain(r => r.Started);
        results.Count(r => r.Created).Should().Be(1);
        results.Select(r => r.Run!.Id).Distinct().Should().ContainSingle();
        (await CountAsync(TestOperations.Sync, tenant)).Should().Be(1);
        (await fixture.Database.ScalarAsync<long>(
            AuditedCalls + " AND action IN ('operation.started','operation.deduplicated')", results[0].Run!.Id))
            .Should().Be(50, "every start, created or deduped, is audited");
        (await fixture.Database.ScalarAsync<long>(
            AuditedCalls + " AND action IN ('operation.started','operation.deduplicated') AND actor_user_id = $2", results[0].Run!.Id, fixture.Demo.Operator))
            .Should().Be(25, "each user's calls are audited under that user");
    }

    [Fact]
    public async Task Second_start_while_running_returns_the_same_run_and_a_new_one_after_it_completed()
    {
        var tenant = fixture.Demo.FabrikamTenant;
        var first = await fixture.StartAsync(TestOperations.Sync, tenant, Actor.User(fixture.Demo.Outsider));

        var second = await fixture.Runs.StartAsync(Actor.User(fixture.Demo.Outsider), new StartRequest(TestOperations.Sync, tenant) { Inputs = new() { ["other"] = "inputs never widen the identity" } });
        second.Created.Should().BeFalse();
        second.Run!.Id.Should().Be(first.Id);

        await fixture.RunJobAsync(first.Id);
        var third = await fixture.Runs.StartAsync(Actor.User(fixture.Demo.Outsider), new StartRequest(TestOperations.Sync, tenant));

        third.Created.Should().BeTrue();
        third.Run!.Id.Should().NotBe(first.Id);
    }

    [Fact]
    public async Task Fifty_concurrent_per_click_starts_create_fifty_runs()
    {
        var tenant = fixture.Demo.ContosoEu;
        var before = await CountAsync(TestOperations.Click, tenant);

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ =>
            fixture.Runs.StartAsync(Actor.User(fixture.Demo.Operator), new StartRequest(TestOperations.Click, tenant))));

        results.Should().OnlyContain(r => r.Created);
        results.Select(r => r.Run!.Id).Distinct().Should().HaveCount(50);
        (await CountAsync(TestOperations.Click, tenant) - before).Should().Be(50);
    }

    [Fact]
    public async Task Fifty_concurrent_starts_of_one_schedule_slot_create_one_run_ever()
    {
        var schedule = Guid.NewGuid();
        var slot = new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero);
        StartRequest Request() => new(TestOperations.Scheduled, fixture.Demo.ContosoEu) { ScheduleId = schedule, ScheduledFor = slot.ToOffset(TimeSpan.FromHours(2)) };

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => fixture.Runs.StartAsync(Actor.System("schedule"), Request())));

        results.Count(r => r.Created).Should().Be(1);
        var runId = results.Single(r => r.Created).Run!.Id;
        results.Should().OnlyContain(r => r.Run!.Id == runId);
        results[0].Run!.Initiator.IsSystem.Should().BeTrue();

        await fixture.RunJobAsync(runId);
        (await fixture.Runs.FindAsync(runId))!.Status.Should().Be(OperationRunStatus.Completed);
        var again = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => fixture.Runs.StartAsync(Actor.System("schedule"), Request())));

        again.Should().OnlyContain(r => !r.Created && r.Run!.Id == runId, "a slot is taken forever, whatever the status of its run");
        (await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM operations.operation_runs WHERE schedule_id = $1", schedule)).Should().Be(1);
    }

    [Fact]
    public async Task The_database_itself_refuses_a_second_active_dedupe_run()
    {
        var run = await fixture.StartAsync(TestOperations.Sync, fixture.Demo.ContosoEu);

        var insert = () => fixture.Database.ExecuteAsync("""
            INSERT INTO operations.operation_runs (workspace_id, tenant_id, type, status, outcome, identity_rule, identity_key, identity_source,
                context, summary, failures, initiator_kind, initiator_label, created_at)
            SELECT workspace_id, tenant_id, type, 'queued', 'pending', identity_rule, identity_key, '{}', '{}', '{}', '[]', 'system', 'system', now()
              FROM operations.operation_runs WHERE id = $1
            """, run.Id);

        await insert.Should().ThrowAsync<Npgsql.PostgresException>().Where(e => e.SqlState == "23505");
    }

    [Fact]
    public async Task System_only_type_is_refused_for_users_and_started_for_the_system()
    {
        var user = await fixture.Runs.StartAsync(Actor.User(fixture.Demo.Owner), new StartRequest(OperationTypes.BackupScheduled, fixture.Demo.ContosoEu)
        { ScheduleId = Guid.NewGuid(), ScheduledFor = DateTimeOffset.UtcNow });
        var testUser = await fixture.Runs.StartAsync(Actor.User(fixture.Demo.Owner), new StartRequest(TestOperations.Scheduled, fixture.Demo.ContosoEu)
        { ScheduleId = Guid.NewGuid(), ScheduledFor = DateTimeOffset.UtcNow });

        user.Refusal.Should().Be(StartRefusal.SystemOnly);
        testUser.Refusal.Should().Be(StartRefusal.SystemOnly);
        user.Run.Should().BeNull();
    }

    [Fact]
    public async Task A_type_without_a_registered_job_cannot_be_started()
    {
        var result = await fixture.Runs.StartAsync(Actor.User(fixture.Demo.Owner), new StartRequest(TestOperations.NoJob, fixture.Demo.ContosoEu));

        result.Refusal.Should().Be(StartRefusal.NoJob);
        (await CountAsync(TestOperations.NoJob, fixture.Demo.ContosoEu)).Should().Be(0);
    }

    [Fact]
    public async Task Unknown_type_is_refused_with_a_clear_message()
    {
        var result = await fixture.Runs.StartAsync(Actor.User(fixture.Demo.Owner), new StartRequest("inventory.everything", fixture.Demo.ContosoEu));

        result.Refusal.Should().Be(StartRefusal.UnknownType);
        result.Message.Should().Contain("Unknown operation type 'inventory.everything'");
    }

    [Theory]
    [InlineData("readonly", AccessDecision.Forbidden)]
    [InlineData("outsider", AccessDecision.NotFound)]
    public async Task Users_without_the_capability_start_nothing(string who, AccessDecision expected)
    {
        var user = who == "readonly" ? fixture.Demo.Readonly : fixture.Demo.Outsider;
        var before = await CountAsync(TestOperations.Click, fixture.Demo.ContosoUs);

        var result = await fixture.Runs.StartAsync(Actor.User(user), new StartRequest(TestOperations.Click, fixture.Demo.ContosoUs));

        result.Decision.Should().Be(expected);
        result.Run.Should().BeNull();
        (await CountAsync(TestOperations.Click, fixture.Demo.ContosoUs)).Should().Be(before);
    }

    [Fact]
    public async Task A_tenant_named_with_the_wrong_workspace_is_not_found()
    {
        var result = await fixture.Runs.StartAsync(Actor.User(fixture.Demo.Owner), new StartRequest(TestOperations.Click, fixture.Demo.ContosoEu) { WorkspaceId = fixture.Demo.Fabrikam });

        result.Decision.Should().Be(AccessDecision.NotFound);
    }
}
