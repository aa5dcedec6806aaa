using TenantAtlas.Backup.Contracts;
using TenantAtlas.Graph.Contracts;

namespace TenantAtlas.Restore.Tests.Requests;

/// <summary>
/// Issue 12, "Done when": IBackupSetUsage — a backup set used by a restore request that is not finished is never pruned
/// by retention; once the request is cancelled the set is pruned like any other. Real backup runs, real retention.
/// </summary>
[Collection(RestoreCollection.Name)]
public sealed class BackupSetUsageTests(RestoreFixture fixture)
{
    private int slot;

    /// <summary>A scheduled slot of the schedule, run by a real worker: scheduled runs are the ones that apply retention.</summary>
    private async Task<BackupSetInfo> BackUpAsync(Guid tenant, Guid schedule)
    {
        var fireTime = new DateTimeOffset(2026, 1, 1, 3, 0, 0, TimeSpan.Zero).AddDays(Interlocked.Increment(ref slot));
        var created = await fixture.Runs.StartScheduledAsync([new ScheduledSlot(fixture.Demo.Contoso, tenant, schedule, fireTime, Missed: false)]);
        var run = await fixture.WaitForCompletionAsync(created.Created.Single(), 120);
        run.Outcome.Should().Be(OperationRunOutcome.Succeeded, string.Join("; ", run.Failures.Select(f => f.Message)));
        return (await fixture.BackupSets.ListAsync([tenant])).Single(s => s.OperationRunId == run.Id);
    }

    [Fact]
    public async Task Retention_keeps_the_source_set_of_an_open_request_and_prunes_it_once_the_request_is_cancelled()
    {
        var (_, tenant) = await fixture.NewTenantAsync();
        var schedule = await fixture.App.Services.GetRequiredService<IBackupScheduleAdministration>().EnsureScheduleAsync(tenant,
            new BackupScheduleSpec("Keep one " + Guid.NewGuid().ToString("N")[..6], "0 3 * * *", "UTC", [GraphResourceKeys.DeviceConfigurations], KeepLast: 1, KeepDays: null));
        var first = await BackUpAsync(tenant, schedule);
        var request = await fixture.Requests.CreateAsync(fixture.Demo.Owner, new NewRestoreRequest(first.Id, tenant, [GraphResourceKeys.DeviceConfigurations], []));
        request.Ok.Should().BeTrue(request.Error);

        var second = await BackUpAsync(tenant, schedule);

        (await fixture.Runs.FindAsync(second.OperationRunId))!.Count("pruned").Should().Be(0);
        (await fixture.BackupSets.FindAsync(first.Id)).Should().NotBeNull("the open restore request still needs its source set (keep last 1 would prune it)");
        (await fixture.BackupSets.FindAsync(second.Id)).Should().NotBeNull();

        (await fixture.Requests.CancelAsync(fixture.Demo.Owner, request.Value!.Id)).Ok.Should().BeTrue();
        var third = await BackUpAsync(tenant, schedule);
        var thirdRun = (await fixture.Runs.FindAsync(third.OperationRunId))!;
        var why = $"pruned={thirdRun.Count("pruned")}; failures: {string.Join("; ", thirdRun.Failures.Select(f => f.Code + " " + f.Message))}";

        (await fixture.BackupSets.FindAsync(first.Id)).Should().BeNull("a cancelled request no longer holds its set ({0})", why);
        (await fixture.BackupSets.FindAsync(second.Id)).Should().BeNull("keep last 1");
        (await fixture.BackupSets.FindAsync(third.Id)).Should().NotBeNull();
    }
}
