using System.Net;
using TenantAtlas.Access.Contracts;
using TenantAtlas.Access.Workspaces;
using TenantAtlas.Testing.Hosting;

namespace TenantAtlas.Access.Tests.Workspaces;

/// <summary>Spec 000-foundation, "Members": owners manage members, a workspace keeps an owner, role changes apply at once, all audited.</summary>
public sealed class WorkspaceMembersTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private IWorkspaceMembers Members => fixture.App.Services.GetRequiredService<IWorkspaceMembers>();

    private IAccessService Access => fixture.App.Services.GetRequiredService<IAccessService>();

    private static string Link(Guid id, string code) => $"/Account/AcceptInvitation?userId={id}&code={Uri.EscapeDataString(code)}";

    [Fact]
    public async Task Owner_adds_an_existing_user_and_it_is_audited()
    {
        var result = await Members.AddAsync(fixture.Demo.Owner, fixture.Demo.Contoso, "outsider@demo.test", WorkspaceRole.Readonly, Link);

        result.Succeeded.Should().BeTrue();
        result.InvitationLink.Should().BeNull("an existing account needs no invitation");
        (await Access.GetRoleAsync(fixture.Demo.Outsider, fixture.Demo.Contoso)).Should().Be(WorkspaceRole.Readonly);
        (await fixture.Database.ScalarAsync<long>(
            "SELECT count(*) FROM access.audit_entries WHERE workspace_id = $1 AND action = 'membership.added' AND actor_user_id = $2",
            fixture.Demo.Contoso, fixture.Demo.Owner)).Should().BeGreaterThan(0);

        await Members.RemoveAsync(fixture.Demo.Owner, fixture.Demo.Contoso, fixture.Demo.Outsider);
        (await Access.GetRoleAsync(fixture.Demo.Outsider, fixture.Demo.Contoso)).Should().BeNull();
        (await fixture.Database.ScalarAsync<long>(
            "SELECT count(*) FROM access.audit_entries WHERE workspace_id = $1 AND action = 'membership.removed'", fixture.Demo.Contoso)).Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task Inviting_a_new_email_gives_a_one_time_link_that_sets_the_password()
    {
        var email = $"new-{Guid.NewGuid():N}@demo.test";

        var result = await Members.AddAsync(fixture.Demo.Owner, fixture.Demo.Contoso, email, WorkspaceRole.Operator, Link);

        result.Succeeded.Should().BeTrue();
        result.InvitationLink.Should().StartWith("/Account/AcceptInvitation?userId=");
        var client = fixture.App.CreateBrowserLikeClient();
        var token = await client.GetAntiforgeryTokenAsync(result.InvitationLink!);
        var query = System.Web.HttpUtility.ParseQueryString(new Uri("http://x" + result.InvitationLink).Query);
        var accept = await client.PostAsync(result.InvitationLink, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "accept-invitation", ["__RequestVerificationToken"] = token,
            ["Input.UserId"] = query["userId"]!, ["Input.Code"] = query["code"]!, ["Input.Password"] = "Fresh!Passw0rd",
        }));
        accept.RedirectPath().Should().Be("/Account/Login");
        var signedIn = await fixture.App.SignedInClientAsync(email, "Fresh!Passw0rd");
        (await signedIn.GetAsync($"/admin/workspaces/{fixture.Demo.Contoso}")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("operator")]
    [InlineData("readonly")]
    public async Task Members_without_members_manage_cannot_add(string who)
    {
        var actor = who == "operator" ? fixture.Demo.Operator : fixture.Demo.Readonly;

        var result = await Members.AddAsync(actor, fixture.Demo.Contoso, "outsider@demo.test", WorkspaceRole.Owner, Link);

        result.Decision.Should().Be(AccessDecision.Forbidden);
        (await Access.GetRoleAsync(fixture.Demo.Outsider, fixture.Demo.Contoso)).Should().BeNull();
    }

    [Fact]
    public async Task Outsider_acting_on_another_workspace_gets_not_found()
    {
        var result = await Members.RemoveAsync(fixture.Demo.Outsider, fixture.Demo.Contoso, fixture.Demo.Readonly);

        result.Decision.Should().Be(AccessDecision.NotFound);
        (await Access.GetRoleAsync(fixture.Demo.Readonly, fixture.Demo.Contoso)).Should().Be(WorkspaceRole.Readonly);
    }

    [Fact]
    public async Task The_last_owner_can_be_neither_demoted_nor_removed()
    {
        var demote = await Members.ChangeRoleAsync(fixture.Demo.Outsider, fixture.Demo.Fabrikam, fixture.Demo.Outsider, WorkspaceRole.Manager);
        var remove = await Members.RemoveAsync(fixture.Demo.Outsider, fixture.Demo.Fabrikam, fixture.Demo.Outsider);

        demote.Succeeded.Should().BeFalse();
        demote.Error.Should().Contain("at least one owner");
        remove.Succeeded.Should().BeFalse();
        (await Access.GetRoleAsync(fixture.Demo.Outsider, fixture.Demo.Fabrikam)).Should().Be(WorkspaceRole.Owner);
    }

    [Fact]
    public async Task A_role_change_takes_effect_on_the_next_request()
    {
        var email = $"promoted-{Guid.NewGuid():N}@demo.test";
        await Members.AddAsync(fixture.Demo.Owner, fixture.Demo.Contoso, email, WorkspaceRole.Readonly, Link);
        var userId = (await fixture.App.Services.CreateScope().ServiceProvider.GetRequiredService<IAccessAdministration>().FindUserIdByEmailAsync(email))!.Value;
        await fixture.Database.ExecuteAsync("UPDATE access.users SET password_hash = (SELECT password_hash FROM access.users WHERE email = 'owner@demo.test') WHERE id = $1", userId);
        var client = await fixture.App.SignedInClientAsync(email);
        (await client.GetAsync($"/admin/workspaces/{fixture.Demo.Contoso}/audit")).StatusCode.Should().Be(HttpStatusCode.Forbidden);

        var change = await Members.ChangeRoleAsync(fixture.Demo.Owner, fixture.Demo.Contoso, userId, WorkspaceRole.Owner);

        change.Succeeded.Should().BeTrue();
        (await client.GetAsync($"/admin/workspaces/{fixture.Demo.Contoso}/audit")).StatusCode.Should().Be(HttpStatusCode.OK, "the same cookie, a new role: read from the database on each check");
        (await fixture.Database.ScalarAsync<long>(
            "SELECT count(*) FROM access.audit_entries WHERE action = 'membership.role_changed' AND summary LIKE $1", $"%{email}%Readonly to Owner%")).Should().Be(1);
    }

    [Fact]
    public async Task Only_platform_administrators_create_workspaces()
    {
        var name = "Northwind " + Guid.NewGuid().ToString("N")[..6];

        var denied = await Members.CreateWorkspaceAsync(fixture.Demo.Owner, name, "owner@demo.test");
        var created = await Members.CreateWorkspaceAsync(fixture.Demo.Admin, name, "owner@demo.test");

        denied.WorkspaceId.Should().BeNull();
        created.WorkspaceId.Should().NotBeNull();
        (await Access.GetRoleAsync(fixture.Demo.Owner, created.WorkspaceId!.Value)).Should().Be(WorkspaceRole.Owner);
        (await Access.GetRoleAsync(fixture.Demo.Admin, created.WorkspaceId!.Value)).Should().BeNull("the platform flag is not a membership");
    }
}
