using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using TenantAtlas.Backup.Contracts;
using TenantAtlas.Backup.Data;
using TenantAtlas.Backup.Sets;

namespace TenantAtlas.Backup.Tests.Jobs;

/// <summary>Issue 7, item 4: retention prunes exactly the sets that break every limit that is set, never one in use.</summary>
public sealed class RetentionTests(BackupFixture fixture) : IClassFixture<BackupFixture>
{
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Ten sets, one per day: index 0 is today, index 9 nine days old.</summary>
    private static IReadOnlyList<(Guid Id, DateTimeOffset CreatedAt)> TenDailySets() =>
        [.. Enumerable.Range(0, 10).Select(i => (new Guid(i + 1, 0, 0, new byte[8]), Now.AddDays(-i)))];

    [Theory]
    [InlineData(3, null, new[] { 3, 4, 5, 6, 7, 8, 9 })]       // keep the last 3
    [InlineData(null, 5, new[] { 6, 7, 8, 9 })]                // keep 5 days (day 5 is exactly 5 days old: kept)
    [InlineData(3, 5, new[] { 6, 7, 8, 9 })]                   // both: pruned only when older than 5 days AND not in the last 3
    [InlineData(8, 2, new[] { 8, 9 })]                         // both: the count limit is the wider one
    [InlineData(20, null, new int[0])]                         // fewer sets than the limit
    [InlineData(null, null, new int[0])]                       // no limit: nothing is pruned
    public void Candidates_break_every_limit_that_is_set(int? keepLast, int? keepDays, int[] prunedIndexes)
    {
        var sets = TenDailySets();

        var candidates = Retention.Candidates(sets, keepLast, keepDays, Now);

        candidates.Should().BeEquivalentTo(prunedIndexes.Select(i => sets[i].Id));
    }

    private sealed class FixedUsage(Func<IReadOnlyCollection<Guid>, IReadOnlySet<Guid>> answer) : IBackupSetUsage
    {
        public Task<IReadOnlySet<Guid>> InUseAsync(IReadOnlyCollection<Guid> backupSetIds, CancellationToken cancellationToken = default) =>
            Task.FromResult(answer(backupSetIds));
    }

    private async Task<(BackupSchedule Schedule, List<Guid> SetsNewestFirst)> ScheduleWithDailySetsAsync(int count, int keepLast)
    {
        var scheduleId = await fixture.CreateScheduleAsync(BackupFixture.Nightly() with { KeepLast = keepLast, KeepDays = null });
        await using var db = await fixture.App.Services.GetRequiredService<IDbContextFactory<BackupDbContext>>().CreateDbContextAsync();
        var schedule = await db.Schedules.AsNoTracking().SingleAsync(s => s.Id == scheduleId);
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            var set = new BackupSet
            {
                Id = Guid.NewGuid(),
                WorkspaceId = schedule.WorkspaceId,
                TenantId = schedule.TenantId,
                ScheduleId = schedule.Id,
                OperationRunId = Random.Shared.NextInt64(1_000_000_000, long.MaxValue),
                RunType = OperationTypes.BackupScheduled,
                CreatedAt = Now.AddDays(-i),
                Items =
                [
                    new BackupItem { Family = "deviceConfigurations", GraphId = "p" + i, DisplayName = "Policy", Content = "{}", Assignments = "[]", ContentHash = new string('0', 64) },
                ],
            };
            db.Sets.Add(set);
            ids.Add(set.Id);
        }

        await db.SaveChangesAsync();
        return (schedule, ids);
    }

    private Retention RetentionWith(params IBackupSetUsage[] usages) =>
        ActivatorUtilities.CreateInstance<Retention>(fixture.App.Services, (IEnumerable<IBackupSetUsage>)usages, (TimeProvider)new FakeTimeProvider(Now));

    private Task<long> SetsOfAsync(Guid scheduleId) =>
        fixture.Database.ScalarAsync<long>("SELECT count(*) FROM backup.backup_sets WHERE schedule_id = $1", scheduleId);

    [Fact]
    public async Task Retention_deletes_the_sets_beyond_the_limit_with_their_items_and_audits()
    {
        var (schedule, sets) = await ScheduleWithDailySetsAsync(5, keepLast: 2);
        var run = new FakeRunContext(OperationTypes.BackupScheduled, schedule.WorkspaceId, schedule.TenantId, schedule.Id);

        var pruned = await RetentionWith().ApplyAsync(schedule, run, CancellationToken.None);

        pruned.Should().Be(3);
        (await SetsOfAsync(schedule.Id)).Should().Be(2);
        (await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM backup.backup_items WHERE backup_set_id = ANY($1)", sets.Skip(2).ToArray())).Should().Be(0);
        (await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM access.audit_entries WHERE action = $1 AND summary LIKE '%' || $2 || '%'",
            BackupAuditActions.SetsPruned, schedule.Name)).Should().Be(1);
    }

    [Fact]
    public async Task A_set_in_use_is_never_pruned()
    {
        var (schedule, sets) = await ScheduleWithDailySetsAsync(5, keepLast: 2);
        var inUse = sets[4];
        var run = new FakeRunContext(OperationTypes.BackupScheduled, schedule.WorkspaceId, schedule.TenantId, schedule.Id);

        var pruned = await RetentionWith(new FixedUsage(_ => new HashSet<Guid>()), new FixedUsage(_ => new HashSet<Guid> { inUse }))
            .ApplyAsync(schedule, run, CancellationToken.None);

        pruned.Should().Be(2);
        (await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM backup.backup_sets WHERE id = $1", inUse)).Should().Be(1);
    }

    [Fact]
    public async Task Retention_fails_closed_when_a_usage_check_cannot_answer()
    {
        var (schedule, _) = await ScheduleWithDailySetsAsync(5, keepLast: 2);
        var run = new FakeRunContext(OperationTypes.BackupScheduled, schedule.WorkspaceId, schedule.TenantId, schedule.Id);

        var pruned = await RetentionWith(new FixedUsage(_ => throw new InvalidOperationException("restore module down")))
            .ApplyAsync(schedule, run, CancellationToken.None);

        pruned.Should().Be(0);
        (await SetsOfAsync(schedule.Id)).Should().Be(5);
        run.Failures.Single().Code.Should().Be("retention_usage_unknown");
    }
}
