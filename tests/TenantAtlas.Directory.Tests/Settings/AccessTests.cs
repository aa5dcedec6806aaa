namespace TenantAtlas.Directory.Tests.Settings;

/// <summary>Server-side checks: starting a directory sync needs tenant.directory.sync, saving the configuration tenant.manage.</summary>
[Collection(DirectoryCollection.Name)]
public sealed class AccessTests(DirectoryFixture fixture)
{
    [Theory]
    [InlineData(OperationTypes.DirectoryGroupsSync)]
    [InlineData(OperationTypes.DirectoryRoleDefinitionsSync)]
    public async Task Readonly_user_gets_403_and_no_run_is_created(string type)
    {
        var (_, tenantId) = await fixture.NewTenantAsync();

        var result = await fixture.StartAsync(type, tenantId, fixture.Demo.Readonly);

        result.Decision.Should().Be(AccessDecision.Forbidden);
        result.Started.Should().BeFalse();
        (await fixture.RunsOfAsync(type, tenantId)).Should().Be(0);
    }

    [Fact]
    public async Task Outsider_cannot_tell_the_tenant_exists_when_starting()
    {
        var (_, tenantId) = await fixture.NewTenantAsync();

        var result = await fixture.StartAsync(OperationTypes.DirectoryGroupsSync, tenantId, fixture.Demo.Outsider);

        result.Decision.Should().Be(AccessDecision.NotFound);
        (await fixture.RunsOfAsync(OperationTypes.DirectoryGroupsSync, tenantId)).Should().Be(0);
    }

    [Theory]
    [InlineData("readonly")]
    [InlineData("operator")]
    public async Task Saving_the_configuration_is_denied_without_tenant_manage_and_changes_nothing(string who)
    {
        var (_, tenantId) = await fixture.NewTenantAsync();
        var user = who == "readonly" ? fixture.Demo.Readonly : fixture.Demo.Operator;

        var result = await fixture.Settings.SaveAsync(Actor.User(user), tenantId, new TenantDirectorySettings(["some-group"], "some-role"));

        result.Decision.Should().Be(AccessDecision.Forbidden);
        result.Saved.Should().BeFalse();
        (await fixture.Lookup.GetSettingsAsync(tenantId)).Should().Be(TenantDirectorySettings.Empty);
        (await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM access.audit_entries WHERE tenant_id = $1 AND action = 'tenant.directory_settings.update'", tenantId)).Should().Be(0);
    }

    [Fact]
    public async Task Owner_saves_the_configuration_and_it_is_audited()
    {
        var (_, tenantId) = await fixture.NewTenantAsync();

        var result = await fixture.Settings.SaveAsync(Actor.User(fixture.Demo.Owner), tenantId,
            new TenantDirectorySettings(["g-1", "g-2", "g-1", " "], "role-1"));

        result.Saved.Should().BeTrue();
        var settings = await fixture.Lookup.GetSettingsAsync(tenantId);
        settings.ProtectedGroupIds.Should().Equal("g-1", "g-2");
        settings.DelegatedAdminRoleDefinitionId.Should().Be("role-1");
        settings.UpdatedBy.Should().Be("owner@demo.test");
        (await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM access.audit_entries WHERE tenant_id = $1 AND action = 'tenant.directory_settings.update'", tenantId)).Should().Be(1);
    }

    [Fact]
    public async Task Labels_name_unknown_ids_and_search_lists_prefix_matches_first()
    {
        var (emulated, tenantId) = await fixture.NewTenantAsync(s => s.Groups = 5);
        emulated.AddGroup("Zeta Finance");
        emulated.AddGroup("Finance EU");
        await fixture.SyncAsync(OperationTypes.DirectoryGroupsSync, tenantId);

        var found = await fixture.Lookup.SearchGroupsAsync(tenantId, "finance");
        var labels = await fixture.Lookup.GetGroupLabelsAsync(tenantId, ["nope"]);
        var roleLabels = await fixture.Lookup.GetRoleDefinitionLabelsAsync(tenantId, ["nope"]);

        found.Select(g => g.DisplayName).Should().StartWith(["Finance EU"]).And.Contain("Zeta Finance");
        labels["nope"].Should().Be(new DirectoryLabel("nope", "Unknown group (nope)", false, false));
        roleLabels["nope"].Text.Should().Be("Unknown role definition (nope)");
        (await fixture.Lookup.SearchGroupsAsync(tenantId, "%")).Should().BeEmpty("search text is matched literally");
    }
}
