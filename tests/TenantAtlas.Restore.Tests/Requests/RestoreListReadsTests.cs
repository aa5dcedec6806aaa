using System.Diagnostics;
using TenantAtlas.Graph.Contracts;

namespace TenantAtlas.Restore.Tests.Requests;

/// <summary>
/// The restore lists (a workspace's, up to 200 requests; a tenant's panel) read their requests with a fixed number of
/// database commands, whatever the number of requests — not a handful per request — and still say each request's state.
/// Commands are counted through Npgsql's own tracing, only those of the call under test (its activity is their root).
/// </summary>
[Collection(RestoreCollection.Name)]
public sealed class RestoreListReadsTests(RestoreFixture fixture)
{
    private static async Task<(T Result, int Commands)> CountCommandsAsync<T>(Func<Task<T>> call)
    {
        var commands = 0;
        string? root = null;
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                if (a.Source.Name == "Npgsql" && root is not null && a.RootId == root)
                {
                    Interlocked.Increment(ref commands);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        using var activity = new Activity("TenantAtlas.Restore.Tests.ListReads").Start();
        root = activity.RootId;
        var result = await call();
        return (result, Volatile.Read(ref commands));
    }

    [Fact]
    public async Task A_tenants_restore_list_reads_as_many_commands_for_twelve_requests_as_for_two_and_says_each_state()
    {
        var (_, tenantId) = await fixture.NewTenantAsync();
        var set = await fixture.BackupAsync(tenantId, GraphResourceKeys.DeviceConfigurations);
        async Task<Guid> NewRequestAsync()
        {
            var created = await fixture.Requests.CreateAsync(fixture.Demo.Owner, new NewRestoreRequest(set.Id, tenantId, [GraphResourceKeys.DeviceConfigurations], []));
            created.Ok.Should().BeTrue(created.Error);
            return created.Value!.Id;
        }

        var planned = await NewRequestAsync();
        var cancelled = await NewRequestAsync();
        var planRun = await fixture.Requests.PlanAsync(fixture.Demo.Owner, planned);
        planRun.Ok.Should().BeTrue(planRun.Error);
        await fixture.WaitForCompletionAsync(planRun.Value!.Run!.Id, 120);
        (await fixture.Requests.CancelAsync(fixture.Demo.Owner, cancelled)).Ok.Should().BeTrue();

        var (two, twoCommands) = await CountCommandsAsync(() => fixture.Requests.ListForTenantAsync(fixture.Demo.Owner, tenantId));
        for (var i = 0; i < 10; i++)
        {
            await NewRequestAsync();
        }

        var (twelve, twelveCommands) = await CountCommandsAsync(() => fixture.Requests.ListForTenantAsync(fixture.Demo.Owner, tenantId));

        two.Value!.Should().HaveCount(2);
        twelve.Value!.Should().HaveCount(12);
        twoCommands.Should().BeGreaterThan(0, "the listener sees the list's commands");
        twelveCommands.Should().Be(twoCommands, "the list's reads do not grow with its requests ({0} commands for 2)", twoCommands);
        twelve.Value!.Single(v => v.Id == planned).State.Should().Be(RestoreState.Planned);
        twelve.Value!.Single(v => v.Id == cancelled).State.Should().Be(RestoreState.Cancelled);
        twelve.Value!.Where(v => v.Id != planned && v.Id != cancelled).Should().OnlyContain(v => v.State == RestoreState.Draft);
        twelve.Value!.Should().OnlyContain(v => v.TargetTenantName != "(deleted tenant)" && v.SourceBackupSetCreatedAt != null);
    }
}
