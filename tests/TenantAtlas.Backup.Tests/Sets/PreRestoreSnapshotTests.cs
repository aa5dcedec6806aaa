using System.Text.Json.Nodes;
using TenantAtlas.Backup.Contracts;
using TenantAtlas.Graph.Contracts;

namespace TenantAtlas.Backup.Tests.Sets;

/// <summary>The snapshot a restore takes before it writes (issue 13): stored like a backup, once per run, marked with its request.</summary>
public sealed class PreRestoreSnapshotTests(BackupFixture fixture) : IClassFixture<BackupFixture>
{
    private IPreRestoreSnapshots Snapshots => fixture.App.Services.GetRequiredService<IPreRestoreSnapshots>();

    private IBackupSets Sets => fixture.App.Services.GetRequiredService<IBackupSets>();

    private static GraphPolicyDetail Policy(string id, string name) => new(
        GraphResourceKeys.DeviceConfigurations, id, name, "#microsoft.graph.windows10GeneralConfiguration",
        new JsonObject { ["@odata.type"] = "#microsoft.graph.windows10GeneralConfiguration", ["id"] = id, ["displayName"] = name, ["passwordRequired"] = true },
        [new JsonObject { ["target"] = new JsonObject { ["@odata.type"] = "#microsoft.graph.allDevicesAssignmentTarget" } }]);

    [Fact]
    public async Task A_snapshot_is_a_set_of_the_target_marked_with_its_request_and_readable_like_any_backup()
    {
        var request = Guid.NewGuid();
        var runId = Random.Shared.NextInt64(1_000_000_000, 2_000_000_000);

        var setId = await Snapshots.StoreAsync(new PreRestoreSnapshot(fixture.Demo.Contoso, fixture.Demo.ContosoEu, runId, "restore.execute", request,
            [Policy("a1", "WIN - Baseline"), Policy("b2", "WIN - Wi-Fi")]));

        var set = await Sets.FindAsync(setId);
        set!.PreRestoreOfRequestId.Should().Be(request);
        set.TenantId.Should().Be(fixture.Demo.ContosoEu);
        set.ItemCount.Should().Be(2);
        set.Families.Should().Equal(GraphResourceKeys.DeviceConfigurations);
        var items = await Sets.ReadItemsAsync(setId, [.. (await Sets.ListItemsAsync(setId)).Select(i => i.Id)]);
        items.Select(i => i.DisplayName).Should().BeEquivalentTo("WIN - Baseline", "WIN - Wi-Fi");
        items.Should().OnlyContain(i => i.Content!["passwordRequired"]!.GetValue<bool>() && i.Assignments.Count == 1);
        (await Snapshots.ListForRequestAsync(request)).Select(s => s.Id).Should().Equal(setId);
    }

    [Fact]
    public async Task A_redelivered_run_gets_the_snapshot_it_already_stored_never_a_second_one()
    {
        var request = Guid.NewGuid();
        var runId = Random.Shared.NextInt64(2_000_000_001, 3_000_000_000);
        var snapshot = new PreRestoreSnapshot(fixture.Demo.Contoso, fixture.Demo.ContosoEu, runId, "restore.execute", request, [Policy("c3", "WIN - First read")]);

        var first = await Snapshots.StoreAsync(snapshot);
        var again = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Snapshots.StoreAsync(snapshot with { Objects = [Policy("d4", "WIN - Second read")] })));

        again.Should().OnlyContain(id => id == first);
        (await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM backup.backup_sets WHERE operation_run_id = $1", runId)).Should().Be(1);
        (await Sets.ListItemsAsync(first)).Select(i => i.DisplayName).Should().Equal("WIN - First read");
    }
}
