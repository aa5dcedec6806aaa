using TenantAtlas.Graph.Clients;
using TenantAtlas.Graph.Contracts;
using TenantAtlas.Graph.Tests.Support;
using TenantAtlas.Tenants.Contracts;

namespace TenantAtlas.Graph.Tests.Clients;

public sealed class CredentialTests(GraphFixture fixture) : IClassFixture<GraphFixture>
{
    private GraphTestApp App => fixture.App;

    [Fact]
    public async Task One_credential_per_tenant_signs_in_once_for_many_calls()
    {
        var tenant = fixture.NewTenant();
        var id = App.AddTenant(tenant);

        await App.Gateway.ListRoleDefinitionsAsync(id);
        await App.ListAllAsync(id, GraphResourceKeys.RoleScopeTags);
        await App.Gateway.VerifyConnectionAsync(id);

        fixture.Emulator.RequestLog(tenant.TenantId).Count(e => e.Kind == "token").Should().Be(1);
        fixture.Emulator.RequestLog(tenant.TenantId).Where(e => e.Kind == "graph").Should().OnlyContain(e => e.Status == 200, "the token is sent to the tenant's Graph host");
    }

    [Fact]
    public async Task A_changed_connection_gets_a_new_credential_on_its_next_use()
    {
        var tenant = fixture.NewTenant();
        var id = App.AddTenant(tenant);
        await App.Gateway.ListRoleDefinitionsAsync(id);

        App.AddTenant(tenant, secret: "rotated-but-wrong", id: id);
        var failure = await Assert.ThrowsAsync<GraphRequestException>(() => App.Gateway.ListRoleDefinitionsAsync(id));
        App.AddTenant(tenant, id: id);
        await App.Gateway.ListRoleDefinitionsAsync(id);

        failure.ErrorCode.Should().Be("AADSTS7000215");
        fixture.Emulator.RequestLog(tenant.TenantId).Where(e => e.Kind == "token").Select(e => e.Status).Should().Equal(200, 401, 200);
    }

    [Fact]
    public async Task Each_tenant_has_its_own_credential_and_graph_root()
    {
        var first = fixture.NewTenant();
        var second = fixture.NewTenant();
        var firstId = App.AddTenant(first);
        var secondId = App.AddTenant(second);
        var clients = App.Get<TenantGraphClients>();

        var a = await clients.GetAsync(firstId, default);
        var b = await clients.GetAsync(secondId, default);
        var again = await clients.GetAsync(firstId, default);

        again.Should().BeSameAs(a);
        b.Should().NotBeSameAs(a);
        b.Credential.Should().NotBeSameAs(a.Credential);
        a.GraphRoot.Should().Be(fixture.Emulator.BaseAddress);
        a.Url("beta", "deviceManagement/roleScopeTags").AbsoluteUri.Should().Be(fixture.Emulator.GraphBetaUrl + "/deviceManagement/roleScopeTags");
    }

    [Theory]
    [InlineData("https://login.microsoftonline.com/", true)]
    [InlineData("https://login.microsoftonline.us/", true)]
    [InlineData("https://login.chinacloudapi.cn/", true)]
    [InlineData("https://127.0.0.1:5091/", false)]
    [InlineData("https://emulator.example.test/", false)]
    public void Instance_discovery_is_disabled_only_for_non_microsoft_authorities(string authority, bool microsoft)
    {
        GraphHosts.IsMicrosoftAuthority(new Uri(authority)).Should().Be(microsoft);
    }

    [Theory]
    [InlineData("https://graph.microsoft.com", "https://graph.microsoft.com/.default")]
    [InlineData("https://graph.microsoft.us", "https://graph.microsoft.us/.default")]
    [InlineData("https://microsoftgraph.chinacloudapi.cn", "https://microsoftgraph.chinacloudapi.cn/.default")]
    [InlineData("http://127.0.0.1:5090", "https://graph.microsoft.com/.default")]
    public void The_token_scope_follows_the_graph_cloud(string graphRoot, string scope)
    {
        GraphHosts.Scope(new Uri(graphRoot)).Should().Be(scope);
    }

    [Fact]
    public void Pinned_certificates_never_apply_to_microsoft_hosts()
    {
        GraphHosts.IsMicrosoftHost("login.microsoftonline.com").Should().BeTrue();
        GraphHosts.IsMicrosoftHost("graph.microsoft.com").Should().BeTrue();
        GraphHosts.IsMicrosoftHost("microsoft.com").Should().BeTrue();
        GraphHosts.IsMicrosoftHost("127.0.0.1").Should().BeFalse();
        GraphHosts.IsMicrosoftHost("notmicrosoft.com").Should().BeFalse();
    }

    [Fact]
    public void A_connection_prints_no_secret()
    {
        var connection = new TenantConnection(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), App.Protect("top-secret-value"), fixture.Emulator.BaseAddress, fixture.Emulator.AuthorityHost!);

        connection.ToString().Should().NotContain(connection.ProtectedClientSecret!).And.Contain("***");
    }
}
