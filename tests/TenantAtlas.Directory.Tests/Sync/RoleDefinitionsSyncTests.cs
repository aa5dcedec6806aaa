using TenantAtlas.GraphEmulator.Graph;

namespace TenantAtlas.Directory.Tests.Sync;

[Collection(DirectoryCollection.Name)]
public sealed class RoleDefinitionsSyncTests(DirectoryFixture fixture)
{
    [Fact]
    public async Task Role_definitions_sync_caches_built_in_and_custom_definitions_and_marks_removed_ones_deleted()
    {
        var (emulated, tenantId) = await fixture.NewTenantAsync(s => s.CustomRoleDefinitions = 3);
        var expected = emulated.Count(GraphFamilies.RoleDefinitions);

        var first = await fixture.SyncAsync(OperationTypes.DirectoryRoleDefinitionsSync, tenantId);

        first.Outcome.Should().Be(OperationRunOutcome.Succeeded, string.Join("; ", first.Failures.Select(f => f.Message)));
        first.Count(OperationSummaryKeys.Created).Should().Be(expected);
        first.Count(OperationSummaryKeys.Total).Should().Be(expected);
        var cached = await fixture.Lookup.ListRoleDefinitionsAsync(tenantId);
        cached.Should().HaveCount(expected);
        cached.Count(d => !d.IsBuiltIn).Should().Be(3);
        cached.Should().BeInDescendingOrder(d => d.IsBuiltIn, "built-in definitions are listed first");

        var custom = cached.First(d => !d.IsBuiltIn);
        emulated.DeletePolicy(GraphFamilies.RoleDefinitions, custom.Id);
        var renamed = cached.Last(d => !d.IsBuiltIn);
        emulated.RenamePolicy(GraphFamilies.RoleDefinitions, renamed.Id, "Helpdesk (renamed)");

        var second = await fixture.SyncAsync(OperationTypes.DirectoryRoleDefinitionsSync, tenantId);

        second.Outcome.Should().Be(OperationRunOutcome.Succeeded);
        second.Count(OperationSummaryKeys.Created).Should().Be(0);
        second.Count(OperationSummaryKeys.Updated).Should().Be(1);
        second.Count(OperationSummaryKeys.Deleted).Should().Be(1);
        second.Count(OperationSummaryKeys.Unchanged).Should().Be(expected - 2);
        (await fixture.Lookup.ListRoleDefinitionsAsync(tenantId)).Should().HaveCount(expected - 1).And.Contain(d => d.DisplayName == "Helpdesk (renamed)");
        var all = await fixture.Lookup.ListRoleDefinitionsAsync(tenantId, includeDeleted: true);
        all.Single(d => d.Id == custom.Id).IsDeleted.Should().BeTrue("removed definitions are marked deleted, never erased");
        var status = await fixture.Lookup.GetStatusAsync(tenantId);
        status.RoleDefinitionsRunId.Should().Be(second.Id);
    }
}
