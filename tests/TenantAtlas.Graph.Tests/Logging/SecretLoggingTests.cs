using TenantAtlas.Graph.Contracts;
using TenantAtlas.Graph.Tests.Support;
using TenantAtlas.GraphEmulator;
using TenantAtlas.GraphEmulator.Graph;

namespace TenantAtlas.Graph.Tests.Logging;

public sealed class SecretLoggingTests(GraphFixture fixture) : IClassFixture<GraphFixture>
{
    [Fact]
    public async Task Secrets_and_tokens_never_appear_in_logs_or_failures()
    {
        await using var app = fixture.NewApp();
        var tenant = fixture.NewTenant(s => s.FamilyCounts = new() { [GraphFamilies.GroupPolicyConfigurations] = 2 });
        var good = app.AddTenant(tenant);
        var wrongSecret = "wrong~" + Guid.NewGuid().ToString("N");
        var bad = app.AddTenant(tenant, secret: wrongSecret);
        var protectedSecrets = new[] { app.Protect(tenant.Spec.AppSecret), app.Protect(wrongSecret) };
        fixture.Emulator.AddFault(FaultSpec.Throttle("/beta/deviceManagement/roleScopeTags", 1, tenantId: tenant.TenantId));
        var failures = new List<Exception>();

        (await app.Gateway.VerifyConnectionAsync(good)).Status.Should().Be(ConnectionVerificationStatus.Throttled);
        await app.ReadGroupsAsync(good);
        var policy = (await app.ListAllAsync(good, GraphResourceKeys.GroupPolicyConfigurations))[0].Items[0];
        await app.Gateway.GetPolicyAsync(good, GraphResourceKeys.GroupPolicyConfigurations, policy.Id);
        failures.Add(await Assert.ThrowsAsync<GraphRequestException>(() => app.ListAllAsync(good, GraphResourceKeys.RoleScopeTags)));
        var verifyBad = await app.Gateway.VerifyConnectionAsync(bad);
        failures.Add(await Assert.ThrowsAsync<GraphRequestException>(() => app.Gateway.ListRoleDefinitionsAsync(bad)));
        var accessToken = fixture.Emulator.IssueAccessToken(tenant.TenantId);

        var everything = string.Join('\n',
            app.Logs.All,
            string.Join('\n', failures.Select(f => f.ToString())),
            verifyBad.ToString());
        app.Logs.Lines.Should().Contain(l => l.Contains("Built Graph credential", StringComparison.Ordinal), "the capture sees the module's logs");
        app.Logs.Lines.Should().Contain(l => l.Contains("throttled", StringComparison.OrdinalIgnoreCase));
        verifyBad.Status.Should().Be(ConnectionVerificationStatus.InvalidClientSecret);
        everything.Should().NotContain(tenant.Spec.AppSecret).And.NotContain(wrongSecret);
        foreach (var protectedSecret in protectedSecrets)
        {
            everything.Should().NotContain(protectedSecret);
        }

        everything.Should().NotContain(accessToken.Split('.')[0] + "." + accessToken.Split('.')[1][..10], "no access token (or its start) is logged");
        everything.Should().NotContain("client_secret=");
        everything.Should().NotContain("$skiptoken=").And.NotContain("$deltatoken=", "paging and delta tokens stay out of logs too");
    }
}
