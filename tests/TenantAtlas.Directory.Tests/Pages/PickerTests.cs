using Bunit;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using TenantAtlas.Directory.Contracts;
using TenantAtlas.Directory.Contracts.Ui;
using TenantAtlas.GraphEmulator.Graph;
using TenantAtlas.Testing.Components;

namespace TenantAtlas.Directory.Tests.Pages;

/// <summary>The pickers other modules use: labels and search come from the cache (the real lookup on PostgreSQL).</summary>
[Collection(DirectoryCollection.Name)]
public sealed class PickerTests : MudTestContext
{
    private readonly DirectoryFixture fixture;

    public PickerTests(DirectoryFixture fixture)
    {
        this.fixture = fixture;
        Services.AddSingleton(fixture.Lookup);
    }

    [Fact]
    public async Task Group_picker_labels_selected_ids_from_the_cache_and_unknown_ids_as_such_and_adds_a_group_found_in_the_cache()
    {
        var (emulated, tenantId) = await fixture.NewTenantAsync(s => s.Groups = 10);
        var finance = emulated.AddGroup("Finance Approvers")["id"]!.GetValue<string>();
        var sync = await fixture.SyncAsync(OperationTypes.DirectoryGroupsSync, tenantId);
        sync.Outcome.Should().Be(OperationRunOutcome.Succeeded, $"the picker reads what the sync cached (failures: {string.Join("; ", sync.Failures.Select(f => $"{f.Code}: {f.Message}"))})");
        var known = emulated.List(GraphFamilies.Groups)[0];
        IReadOnlyList<string> selected = [known["id"]!.GetValue<string>(), "missing-id"];
        RenderProviders();

        var picker = Render<GroupPicker>(p => p
            .Add(x => x.TenantId, tenantId)
            .Add(x => x.SelectedIds, selected)
            .Add(x => x.SelectedIdsChanged, EventCallback.Factory.Create<IReadOnlyList<string>>(this, ids => selected = ids))
            .Add(x => x.Id, "picker"));

        picker.WaitForAssertion(() =>
        {
            var chips = picker.FindAll(".ta-selected-group");
            chips.Should().HaveCount(2);
            chips[0].TextContent.Should().Contain(known["displayName"]!.GetValue<string>());
            chips[1].TextContent.Should().Contain("Unknown group (missing-id)");
            chips[1].GetAttribute("data-known").Should().Be("false");
        }, TimeSpan.FromSeconds(30));

        // The autocomplete's own search function and its pick, called directly: under bUnit, MudAutocomplete's debounced
        // typing was lost in 3 of 6 CI runs even when typed four times. Typing into the picker in a browser is covered by
        // DirectorySyncJourneyTests (Chromium).
        var autocomplete = picker.FindComponent<MudAutocomplete<DirectoryGroup>>();
        var found = ((await autocomplete.Instance.SearchFunc!("APPROVERS", CancellationToken.None)!) ?? []).ToList();
        found.Should().ContainSingle(g => g.Id == finance, "part of the name, in any case, from the cache");
        ((await autocomplete.Instance.SearchFunc!(known["displayName"]!.GetValue<string>(), CancellationToken.None)!) ?? [])
            .Should().NotContain(g => g.Id == known["id"]!.GetValue<string>(), "a selected group is not offered again");

        await picker.InvokeAsync(() => autocomplete.Instance.ValueChanged.InvokeAsync(found[0]));
        picker.WaitForAssertion(() => selected.Should().Contain(finance), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Role_definition_picker_shows_an_unknown_selected_id_as_such()
    {
        var (_, tenantId) = await fixture.NewTenantAsync();
        RenderProviders();

        var picker = Render<RoleDefinitionPicker>(p => p.Add(x => x.TenantId, tenantId).Add(x => x.Value, "gone-role").Add(x => x.Id, "role"));

        picker.WaitForAssertion(() => picker.Markup.Should().Contain("Unknown role definition (gone-role)"), TimeSpan.FromSeconds(30));
    }
}
