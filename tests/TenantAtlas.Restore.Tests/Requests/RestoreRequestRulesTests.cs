using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TenantAtlas.Backup.Contracts;
using TenantAtlas.Graph.Contracts;
using TenantAtlas.Restore.Data;
using TenantAtlas.Restore.Planning;
using TenantAtlas.Testing.Hosting;

namespace TenantAtlas.Restore.Tests.Requests;

/// <summary>Issue 12, item 2: what a restore request accepts, who may make one, and when its plan is stale.</summary>
[Collection(RestoreCollection.Name)]
public sealed class RestoreRequestRulesTests(RestoreFixture fixture)
{
    private static Task<(Guid TenantId, BackupSetInfo Set)>? shared;

    private Task<(Guid TenantId, BackupSetInfo Set)> SharedAsync() => shared ??= CreateSharedAsync();

    private async Task<(Guid, BackupSetInfo)> CreateSharedAsync()
    {
        var (_, tenantId) = await fixture.NewTenantAsync();
        return (tenantId, await fixture.BackupAsync(tenantId, GraphResourceKeys.DeviceConfigurations));
    }

    [Fact]
    public async Task A_request_is_refused_for_an_empty_selection_a_family_or_item_outside_the_set_and_a_bad_suffix()
    {
        var (tenantId, set) = await SharedAsync();
        var (_, otherTenant) = await fixture.NewTenantAsync();
        var otherSet = await fixture.BackupAsync(otherTenant, GraphResourceKeys.ConfigurationPolicies);
        var otherItem = (await fixture.BackupSets.ListItemsAsync(otherSet.Id))[0].Id;

        async Task<string?> RefusalAsync(NewRestoreRequest input)
        {
            var result = await fixture.Requests.CreateAsync(fixture.Demo.Owner, input);
            result.Decision.Should().Be(AccessDecision.Allowed);
            result.Ok.Should().BeFalse();
            return result.Error;
        }

        (await RefusalAsync(new(set.Id, tenantId, [], []))).Should().Be("Select at least one family or item of the backup set.");
        (await RefusalAsync(new(set.Id, tenantId, [GraphResourceKeys.ConfigurationPolicies], []))).Should().Contain("holds no items of the family 'configurationPolicies'");
        (await RefusalAsync(new(set.Id, tenantId, [], [otherItem]))).Should().Be($"The backup set holds no item {otherItem}.");
        (await RefusalAsync(new(Guid.NewGuid(), tenantId, [GraphResourceKeys.DeviceConfigurations], []))).Should().Be("The backup set was not found.");
        foreach (var suffix in new[] { "", "   ", new string('x', RestoreDefaults.MaxCopySuffixLength + 1), " (copy)\n" })
        {
            (await RefusalAsync(new(set.Id, tenantId, [GraphResourceKeys.DeviceConfigurations], []) { CopySuffix = suffix })).Should().Contain("copy suffix");
        }

        var fine = await fixture.Requests.CreateAsync(fixture.Demo.Owner, new(set.Id, tenantId, [GraphResourceKeys.DeviceConfigurations], []) { CopySuffix = " (copy)" });
        fine.Ok.Should().BeTrue(fine.Error);
    }

    [Fact]
    public async Task A_set_of_another_workspace_answers_not_found()
    {
        var (_, set) = await SharedAsync();

        // The outsider owns Fabrikam: restoring a Contoso set into Fabrikam's tenant must not learn the set exists.
        var result = await fixture.Requests.CreateAsync(fixture.Demo.Outsider, new(set.Id, fixture.Demo.FabrikamTenant, [GraphResourceKeys.DeviceConfigurations], []));

        result.Decision.Should().Be(AccessDecision.Allowed);
        result.Error.Should().Be("The backup set was not found.");
    }

    [Fact]
    public async Task Owner_and_manager_may_restore_operator_and_readonly_are_forbidden_an_outsider_finds_nothing()
    {
        var (tenantId, set) = await SharedAsync();
        var admin = fixture.App.Services.GetRequiredService<IAccessAdministration>();
        var manager = await admin.EnsureUserAsync("manager-restore@demo.test", SignIn.DemoPassword, false);
        await admin.EnsureMembershipAsync(fixture.Demo.Contoso, manager, WorkspaceRole.Manager);
        NewRestoreRequest Input() => new(set.Id, tenantId, [GraphResourceKeys.DeviceConfigurations], []);

        var owners = await fixture.Requests.CreateAsync(fixture.Demo.Owner, Input());
        owners.Ok.Should().BeTrue(owners.Error);
        (await fixture.Requests.CreateAsync(manager, Input())).Ok.Should().BeTrue();
        (await fixture.Requests.CreateAsync(fixture.Demo.Operator, Input())).Decision.Should().Be(AccessDecision.Forbidden);
        (await fixture.Requests.CreateAsync(fixture.Demo.Readonly, Input())).Decision.Should().Be(AccessDecision.Forbidden);
        (await fixture.Requests.CreateAsync(fixture.Demo.Outsider, Input())).Decision.Should().Be(AccessDecision.NotFound);

        var id = owners.Value!.Id;
        (await fixture.Requests.GetAsync(manager, id)).Decision.Should().Be(AccessDecision.Allowed);
        (await fixture.Requests.GetAsync(fixture.Demo.Operator, id)).Decision.Should().Be(AccessDecision.Forbidden);
        (await fixture.Requests.GetAsync(fixture.Demo.Readonly, id)).Decision.Should().Be(AccessDecision.Forbidden);
        (await fixture.Requests.GetAsync(fixture.Demo.Outsider, id)).Decision.Should().Be(AccessDecision.NotFound);
        (await fixture.Requests.GetAsync(fixture.Demo.Outsider, Guid.NewGuid())).Decision.Should().Be(AccessDecision.NotFound);
        (await fixture.Requests.PlanAsync(fixture.Demo.Operator, id)).Decision.Should().Be(AccessDecision.Forbidden);
        (await fixture.Requests.PlanAsync(fixture.Demo.Outsider, id)).Decision.Should().Be(AccessDecision.NotFound);
        (await fixture.Requests.ChooseReferenceAsync(fixture.Demo.Readonly, id, new ReferenceChoice(ReferenceKind.Group, "x", ReferenceAction.Drop))).Decision.Should().Be(AccessDecision.Forbidden);
    }

    [Fact]
    public async Task A_plan_is_stale_after_its_max_age_after_a_newer_backup_of_the_target_and_after_a_choice_changed()
    {
        var (tenantId, set) = await SharedAsync();
        PlanFreshness At(FakeTimeProvider time) => new(fixture.BackupSets, fixture.Runs, Options.Create(new RestoreOptions { PlanMaxAge = TimeSpan.FromMinutes(30) }), time);
        var clock = new FakeTimeProvider(set.CreatedAt.AddMinutes(1));
        var freshness = At(clock);
        var request = new RestoreRequest { Id = Guid.NewGuid(), TargetTenantId = tenantId, SourceTenantId = tenantId, SourceBackupSetId = set.Id, CopySuffix = " (restored)", CreatedBy = "owner" };
        var plan = new RestorePlan { RequestId = request.Id, ReadStartedAt = set.CreatedAt.AddSeconds(30), CreatedAt = set.CreatedAt.AddSeconds(40) };

        (await freshness.EvaluateAsync(plan, request)).IsStale.Should().BeFalse();

        clock.Advance(TimeSpan.FromMinutes(31));
        (await freshness.EvaluateAsync(plan, request)).Reasons.Should().ContainSingle().Which.Should().Contain("older than 30 min");

        var early = new RestorePlan { RequestId = request.Id, ReadStartedAt = set.CreatedAt.AddSeconds(-1), CreatedAt = set.CreatedAt.AddSeconds(40) };
        freshness = At(new FakeTimeProvider(set.CreatedAt.AddMinutes(1)));
        (await freshness.EvaluateAsync(early, request)).Reasons.Should().ContainSingle().Which.Should().Contain("backup of the target tenant");

        request.ReferenceChoices.Add(new RestoreReferenceChoice { Kind = ReferenceKind.Group, SourceId = "g", ChosenBy = "owner", ChosenAt = plan.CreatedAt.AddSeconds(1) });
        (await freshness.EvaluateAsync(plan, request)).Reasons.Should().ContainSingle().Which.Should().Contain("Choices were changed");
    }
}
