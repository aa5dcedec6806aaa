using TenantAtlas.Access.Contracts;
using TenantAtlas.Testing.Hosting;

namespace TenantAtlas.Access.Tests.Audit;

/// <summary>Spec 000-foundation, "Audit": entries written at the same moment are committed together, and none is lost.</summary>
public sealed class AuditLogTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private IAuditLog Audit => fixture.App.Services.GetRequiredService<IAuditLog>();

    private Task<long> CountAsync(string action) =>
        fixture.Database.ScalarAsync<long>("SELECT count(*) FROM access.audit_entries WHERE action = $1", action);

    [Fact]
    public async Task Two_hundred_writers_at_once_each_get_their_entry_with_their_own_label()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writers = Enumerable.Range(0, 200).Select(async i =>
        {
            await gate.Task;
            var actor = i % 2 == 0 ? Actor.User(fixture.Demo.Owner) : Actor.System("test");
            await Audit.WriteAsync(new AuditRecord(actor, fixture.Demo.Contoso, "test.burst", $"entry {i}"));
        }).ToList();
        gate.SetResult();
        await Task.WhenAll(writers);

        (await CountAsync("test.burst")).Should().Be(200, "a writer returns only once its entry is committed");
        (await fixture.Database.ScalarAsync<long>("SELECT count(DISTINCT summary) FROM access.audit_entries WHERE action = 'test.burst'")).Should().Be(200);
        (await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM access.audit_entries WHERE action = 'test.burst' AND actor_label = 'owner@demo.test'")).Should().Be(100);
        (await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM access.audit_entries WHERE action = 'test.burst' AND actor_label = 'system: test'")).Should().Be(100);
    }

    [Fact]
    public async Task A_bad_entry_fails_only_its_own_writer_not_the_ones_committed_with_it()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var good = Enumerable.Range(0, 30).Select(async i =>
        {
            await gate.Task;
            await Audit.WriteAsync(new AuditRecord(Actor.System("test"), fixture.Demo.Contoso, "test.neighbour", $"good {i}"));
        }).ToList();
        var bad = Task.Run(async () =>
        {
            await gate.Task;
            // The action column holds at most 100 characters: the database refuses this entry.
            await Audit.WriteAsync(new AuditRecord(Actor.System("test"), fixture.Demo.Contoso, new string('x', 101), "bad"));
        });
        gate.SetResult();

        await Task.WhenAll(good);
        (await bad.Invoking(t => t).Should().ThrowAsync<Npgsql.PostgresException>()).Which.SqlState.Should().Be("22001", "the writer sees the database's own error");
        (await CountAsync("test.neighbour")).Should().Be(30);
    }
}
