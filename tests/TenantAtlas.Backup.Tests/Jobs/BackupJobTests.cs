using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using TenantAtlas.Backup.Data;
using TenantAtlas.Graph.Contracts;
using TenantAtlas.GraphEmulator;

namespace TenantAtlas.Backup.Tests.Jobs;

/// <summary>Issue 7, item 4: the backup job against the Graph emulator through the real gateway.</summary>
public sealed class BackupJobTests(EmulatorBackupFixture fixture) : IClassFixture<EmulatorBackupFixture>
{
    private static readonly string[] Families = [GraphResourceKeys.DeviceConfigurations, GraphResourceKeys.ConfigurationPolicies];

    private async Task<(OperationJobResult Result, FakeRunContext Run)> RunJobAsync(Guid tenantId, Guid scheduleId, string type = OperationTypes.BackupRunNow)
    {
        var run = new FakeRunContext(type, fixture.Demo.Contoso, tenantId, scheduleId);
        await using var scope = fixture.App.Services.CreateAsyncScope();
        var job = scope.ServiceProvider.GetRequiredKeyedService<IOperationJob>(type);
        var result = await job.RunAsync(run, CancellationToken.None);
        return (result, run);
    }

    private async Task<BackupSet?> SetOfRunAsync(long runId)
    {
        await using var db = await fixture.App.Services.GetRequiredService<IDbContextFactory<BackupDbContext>>().CreateDbContextAsync();
        return await db.Sets.AsNoTracking().Include(s => s.Items).FirstOrDefaultAsync(s => s.OperationRunId == runId);
    }

    private async Task<Guid> ScheduleForAsync(Guid tenantId) =>
        await fixture.CreateScheduleAsync(BackupFixture.Nightly() with { Families = Families }, tenant: tenantId);

    [Fact]
    public async Task A_backup_stores_every_policy_of_the_selected_families_as_the_emulator_has_it()
    {
        var (emulated, tenantId) = await fixture.NewTenantAsync();
        var schedule = await ScheduleForAsync(tenantId);

        var (result, run) = await RunJobAsync(tenantId, schedule);

        result.Should().Be(OperationJobResult.Succeeded, string.Join("; ", run.Failures.Select(f => f.Message)));
        var set = (await SetOfRunAsync(run.RunId))!;
        var expected = Families.Sum(emulated.Count);
        expected.Should().BeGreaterThan(0);
        set.ItemCount.Should().Be(expected);
        set.Items.Should().HaveCount(expected);
        set.TenantId.Should().Be(tenantId);
        set.ScheduleId.Should().Be(schedule);
        set.SizeBytes.Should().Be(set.Items.Sum(i => i.SizeBytes));
        run.Get(OperationSummaryKeys.Total).Should().Be(expected);
        run.Get(OperationSummaryKeys.Succeeded).Should().Be(expected);
        run.Get(OperationSummaryKeys.Failed).Should().Be(0);
        foreach (var family in Families)
        {
            set.Items.Where(i => i.Family == family).Select(i => i.GraphId).Should().BeEquivalentTo(emulated.Ids(family));
        }

        foreach (var item in set.Items)
        {
            var source = emulated.Get(item.Family, item.GraphId)!;
            var content = JsonNode.Parse(item.Content)!.AsObject();
            item.ODataType.Should().Be(source["@odata.type"]?.GetValue<string>());
            content["@odata.type"]?.GetValue<string>().Should().Be(item.ODataType);
            foreach (var (key, value) in source.Where(p => !p.Key.StartsWith('@') && p.Key != "assignments"))
            {
                JsonNode.DeepEquals(content[key], value).Should().BeTrue($"{item.Family}/{item.GraphId} property {key} is backed up as Graph has it");
            }

            JsonNode.Parse(item.Assignments)!.AsArray().Should().NotBeNull();
            item.ContentHash.Should().MatchRegex("^[0-9a-f]{64}$");
        }

        // Unchanged policies hash the same in the next backup; a changed one does not.
        var changed = emulated.Ids(GraphResourceKeys.DeviceConfigurations)[0];
        emulated.Update(GraphResourceKeys.DeviceConfigurations, changed, new JsonObject { ["description"] = "changed " + Guid.NewGuid() });
        var (_, second) = await RunJobAsync(tenantId, schedule);
        var next = (await SetOfRunAsync(second.RunId))!.Items.ToDictionary(i => (i.Family, i.GraphId), i => i.ContentHash);
        foreach (var item in set.Items)
        {
            (next[(item.Family, item.GraphId)] == item.ContentHash).Should().Be(item.GraphId != changed, $"{item.Family}/{item.GraphId}");
        }
    }

    [Fact]
    public async Task Policies_are_read_several_at_a_time_not_one_round_trip_after_the_other()
    {
        // Every read of one policy takes 400 ms at the emulator: one at a time, no two reads could arrive within 400 ms.
        var (emulated, tenantId) = await fixture.NewTenantAsync();
        var schedule = await fixture.CreateScheduleAsync(BackupFixture.Nightly() with { Families = [GraphResourceKeys.DeviceConfigurations] }, tenant: tenantId);
        fixture.Emulator.AddFault(FaultSpec.Latency("/beta/deviceManagement/deviceConfigurations/*", 400, emulated.TenantId));

        var (result, run) = await RunJobAsync(tenantId, schedule);

        result.Should().Be(OperationJobResult.Succeeded, string.Join("; ", run.Failures.Select(f => f.Message)));
        (await SetOfRunAsync(run.RunId))!.Items.Select(i => i.GraphId).Should().BeEquivalentTo(emulated.Ids(GraphResourceKeys.DeviceConfigurations));
        var reads = fixture.Emulator.RequestLog(emulated.TenantId)
            .Where(e => e.Kind == "graph" && e.PathAndQuery.StartsWith("/beta/deviceManagement/deviceConfigurations/", StringComparison.Ordinal))
            .Select(e => e.Timestamp).Order().ToList();
        reads.Count.Should().BeGreaterThanOrEqualTo(4);
        var mostAtOnce = reads.Select(t => reads.Count(o => o >= t && o < t.AddMilliseconds(400))).Max();
        mostAtOnce.Should().BeGreaterThanOrEqualTo(2, "the backup keeps several reads in flight (Backup:ReadsInFlight, default 4)");
    }

    [Fact]
    public async Task A_policy_that_cannot_be_read_is_a_failure_entry_and_the_run_partially_succeeds()
    {
        var (emulated, tenantId) = await fixture.NewTenantAsync();
        var schedule = await ScheduleForAsync(tenantId);
        var broken = emulated.Ids(GraphResourceKeys.DeviceConfigurations)[0];
        fixture.Emulator.AddFault(new FaultSpec { TenantId = emulated.TenantId, Pattern = $"*/deviceConfigurations/{broken}*", Status = 500, ErrorCode = "InternalServerError" });

        var (result, run) = await RunJobAsync(tenantId, schedule);

        result.Should().Be(OperationJobResult.PartiallySucceeded);
        run.Get(OperationSummaryKeys.Failed).Should().Be(1);
        run.Failures.Should().ContainSingle().Which.Item.Should().Contain(broken);
        var set = (await SetOfRunAsync(run.RunId))!;
        set.ItemCount.Should().Be(Families.Sum(emulated.Count) - 1);
        set.FailedCount.Should().Be(1);
        set.Items.Should().NotContain(i => i.GraphId == broken);
    }

    [Fact]
    public async Task Throttling_that_the_retries_absorb_succeeds_and_lands_in_the_counts()
    {
        var (emulated, tenantId) = await fixture.NewTenantAsync();
        var schedule = await ScheduleForAsync(tenantId);
        fixture.Emulator.AddFault(FaultSpec.Throttle("*/deviceManagement/deviceConfigurations", retryAfterSeconds: 1, times: 2, emulated.TenantId));

        var (result, run) = await RunJobAsync(tenantId, schedule);

        result.Should().Be(OperationJobResult.Succeeded);
        run.Get(OperationSummaryKeys.ThrottledRequests).Should().Be(2);
        run.Get(OperationSummaryKeys.ThrottleWaitSeconds).Should().BeGreaterThanOrEqualTo(2);
    }

    [Fact]
    public async Task A_429_storm_on_a_family_fails_that_family_truthfully()
    {
        var (emulated, tenantId) = await fixture.NewTenantAsync();
        var schedule = await ScheduleForAsync(tenantId);
        fixture.Emulator.AddFault(FaultSpec.Throttle("*/deviceManagement/deviceConfigurations*", retryAfterSeconds: 1, tenantId: emulated.TenantId));

        var (result, run) = await RunJobAsync(tenantId, schedule);

        result.Should().Be(OperationJobResult.PartiallySucceeded, "the settings catalog was backed up, device configurations were not");
        run.Failures.Should().ContainSingle().Which.Code.Should().Be("TooManyRequests");
        run.Get(OperationSummaryKeys.ThrottledRequests).Should().BeGreaterThanOrEqualTo(4);
        var set = (await SetOfRunAsync(run.RunId))!;
        set.Items.Should().OnlyContain(i => i.Family == GraphResourceKeys.ConfigurationPolicies);
    }

    [Fact]
    public async Task A_run_whose_schedule_is_gone_fails_and_stores_nothing()
    {
        var (_, tenantId) = await fixture.NewTenantAsync();

        var (result, run) = await RunJobAsync(tenantId, Guid.NewGuid());

        result.Should().Be(OperationJobResult.Failed);
        run.Failures.Single().Code.Should().Be("schedule_not_found");
        (await SetOfRunAsync(run.RunId)).Should().BeNull();
    }
}
