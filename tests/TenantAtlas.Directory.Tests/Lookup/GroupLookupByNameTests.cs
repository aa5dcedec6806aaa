
namespace TenantAtlas.Directory.Tests.Lookup;

/// <summary>Issue 12: a restore plan finds groups by id (source names) and by exact display name (the target's candidates).</summary>
[Collection(DirectoryCollection.Name)]
public sealed class GroupLookupByNameTests(DirectoryFixture fixture)
{
    [Fact]
    public async Task Groups_are_found_by_exact_display_name_live_only_and_by_id_deleted_included()
    {
        var (emulated, tenantId) = await fixture.NewTenantAsync(s => s.Groups = 3);
        var first = emulated.AddGroup("Restore Pilots");
        var second = emulated.AddGroup("Restore Pilots");
        var other = emulated.AddGroup("restore pilots");
        var gone = emulated.AddGroup("Gone Group");
        (await fixture.SyncAsync(OperationTypes.DirectoryGroupsSync, tenantId)).Outcome.Should().Be(OperationRunOutcome.Succeeded);
        emulated.DeleteGroup(gone["id"]!.GetValue<string>());
        (await fixture.SyncAsync(OperationTypes.DirectoryGroupsSync, tenantId)).Outcome.Should().Be(OperationRunOutcome.Succeeded);

        var byName = await fixture.Lookup.FindGroupsByDisplayNamesAsync(tenantId, ["Restore Pilots", "Gone Group", "Nobody"]);

        byName.Select(g => g.Id).Should().BeEquivalentTo([first["id"]!.GetValue<string>(), second["id"]!.GetValue<string>()],
            "the name matches exactly (case-sensitive) and deleted groups are no candidates");
        var exact = await fixture.Lookup.FindGroupsByDisplayNamesAsync(tenantId, ["restore pilots"]);
        exact.Should().ContainSingle().Which.Id.Should().Be(other["id"]!.GetValue<string>());

        var byId = await fixture.Lookup.GetGroupsAsync(tenantId, [gone["id"]!.GetValue<string>(), first["id"]!.GetValue<string>(), "00000000-0000-0000-0000-000000000000"]);
        byId.Should().HaveCount(2, "an unknown id is absent");
        byId.Single(g => g.Id == gone["id"]!.GetValue<string>()).Should().Match<DirectoryGroup>(g => g.IsDeleted && g.DisplayName == "Gone Group");

        var elsewhere = await fixture.Lookup.FindGroupsByDisplayNamesAsync(Guid.NewGuid(), ["Restore Pilots"]);
        elsewhere.Should().BeEmpty("another tenant's cache is never consulted");
    }
}
