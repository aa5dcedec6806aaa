using TenantAtlas.Directory.Sync;

namespace TenantAtlas.Directory.Tests.Sync;

/// <summary>
/// Found by the fault suite (issue 15, graph scenario): a tenant's first groups sync and first role definitions sync
/// finishing together both inserted the tenant's sync state, and one run failed with internal_error.
/// </summary>
[Collection(DirectoryCollection.Name)]
public sealed class SyncStateRaceTests(DirectoryFixture fixture)
{
    [Fact]
    public async Task First_groups_and_role_definitions_syncs_finishing_together_both_complete_and_both_are_recorded()
    {
        var store = fixture.App.Services.GetRequiredService<DirectoryStore>();
        var now = DateTimeOffset.UtcNow;
        var tenants = Enumerable.Range(0, 25).Select(_ => Guid.NewGuid()).ToList();

        await Task.WhenAll(tenants.Select(tenant => Task.WhenAll(
            Task.Run(() => store.CompleteGroupsSyncAsync(tenant, 1, fullRead: true, "delta-" + tenant, now, CancellationToken.None)),
            Task.Run(() => store.ReplaceRoleDefinitionsAsync(tenant, 2, now, [], CancellationToken.None)))));

        foreach (var tenant in tenants)
        {
            (await fixture.Database.ScalarAsync<long>(
                "SELECT count(*) FROM directory.sync_states WHERE tenant_id = $1 AND groups_run_id = 1 AND role_definitions_run_id = 2 AND groups_delta_link = $2",
                tenant, "delta-" + tenant)).Should().Be(1, "each sync keeps its own columns, neither fails nor overwrites the other");
        }
    }
}
