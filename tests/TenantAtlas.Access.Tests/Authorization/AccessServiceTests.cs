using TenantAtlas.Access.Contracts;
using TenantAtlas.Testing.Hosting;

namespace TenantAtlas.Access.Tests.Authorization;

/// <summary>Spec 000-foundation, "Capabilities": the one-query reads the layout and pages use agree with the list and the role.</summary>
public sealed class AccessServiceTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private IAccessService Access => fixture.App.Services.GetRequiredService<IAccessService>();

    [Fact]
    public async Task The_summary_has_every_membership_and_the_platform_flag()
    {
        var owner = await Access.GetSummaryAsync(fixture.Demo.Owner);
        var admin = await Access.GetSummaryAsync(fixture.Demo.Admin);

        owner.Memberships.Should().BeEquivalentTo(await Access.ListMembershipsAsync(fixture.Demo.Owner), o => o.WithStrictOrdering());
        owner.Memberships.Should().Contain(m => m.WorkspaceId == fixture.Demo.Contoso && m.Role == WorkspaceRole.Owner && m.WorkspaceName == "Contoso");
        owner.IsPlatformAdmin.Should().BeFalse();
        admin.IsPlatformAdmin.Should().BeTrue();
        admin.Memberships.Should().BeEquivalentTo(await Access.ListMembershipsAsync(fixture.Demo.Admin));
    }

    [Fact]
    public async Task An_unknown_user_has_no_memberships_and_is_no_admin()
    {
        var summary = await Access.GetSummaryAsync(Guid.NewGuid());

        summary.Memberships.Should().BeEmpty();
        summary.IsPlatformAdmin.Should().BeFalse();
    }

    [Fact]
    public async Task One_membership_carries_role_and_workspace_name_and_is_null_for_non_members()
    {
        var reader = await Access.GetMembershipAsync(fixture.Demo.Readonly, fixture.Demo.Contoso);
        var outsider = await Access.GetMembershipAsync(fixture.Demo.Outsider, fixture.Demo.Contoso);

        reader.Should().Be(new WorkspaceMembershipInfo(fixture.Demo.Contoso, "Contoso", WorkspaceRole.Readonly));
        outsider.Should().BeNull();
    }
}
