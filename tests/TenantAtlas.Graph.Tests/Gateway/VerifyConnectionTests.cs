using TenantAtlas.Graph.Contracts;
using TenantAtlas.Graph.Tests.Support;
using TenantAtlas.GraphEmulator.Graph;

namespace TenantAtlas.Graph.Tests.Gateway;

public sealed class VerifyConnectionTests(GraphFixture fixture) : IClassFixture<GraphFixture>
{
    private GraphTestApp App => fixture.App;

    [Fact]
    public async Task A_fully_permitted_app_succeeds_with_one_call_per_api_version()
    {
        var tenant = fixture.NewTenant();
        var id = App.AddTenant(tenant);

        var result = await App.Gateway.VerifyConnectionAsync(id);

        result.Status.Should().Be(ConnectionVerificationStatus.Succeeded, result.Message);
        result.Succeeded.Should().BeTrue();
        result.Checks.Should().OnlyContain(c => c.Granted);
        result.Checks.Select(c => c.Permission).Should().BeEquivalentTo(
            "DeviceManagementConfiguration.Read.All", "DeviceManagementScripts.Read.All", "DeviceManagementApps.Read.All",
            "DeviceManagementServiceConfig.Read.All", "DeviceManagementRBAC.Read.All", "GroupMember.Read.All",
            "DeviceManagementManagedDevices.Read.All", "Policy.Read.All");
        result.Checks.Single(c => c.Permission == "DeviceManagementApps.Read.All").Resources.Should().Equal(
            "App configuration policies", "App protection (iOS)", "App protection (Android)", "App protection (Windows)",
            "Windows Information Protection without enrollment (deprecated by Microsoft)", "Windows Information Protection with enrollment (deprecated by Microsoft)",
            "App configuration (managed apps)", "Apps (assignments)", "Company Portal branding");
        var log = fixture.Emulator.RequestLog(tenant.TenantId);
        log.Count(e => e.Kind == "token").Should().Be(1);
        log.Where(e => e.Kind == "graph" && !e.IsBatchItem).Select(e => e.PathAndQuery).Should().BeEquivalentTo("/beta/$batch", "/v1.0/$batch");
        log.Where(e => e.IsBatchItem && e.PathAndQuery.StartsWith("/v1.0/", StringComparison.Ordinal)).Select(e => e.PathAndQuery).Should().BeEquivalentTo(
            "/v1.0/groups?$top=1&$select=id", "/v1.0/identity/conditionalAccess/policies?$top=1&$select=id");
    }

    [Fact]
    public async Task A_wrong_secret_is_reported_as_such()
    {
        var tenant = fixture.NewTenant();
        var id = App.AddTenant(tenant, secret: "wrong-secret");

        var result = await App.Gateway.VerifyConnectionAsync(id);

        result.Status.Should().Be(ConnectionVerificationStatus.InvalidClientSecret);
        result.ErrorCode.Should().Be("AADSTS7000215");
        result.Message.Should().Contain("client secret is wrong");
        fixture.Emulator.RequestLog(tenant.TenantId).Should().NotContain(e => e.Kind == "graph");
    }

    [Fact]
    public async Task An_unknown_directory_is_reported_as_an_unknown_tenant()
    {
        var tenant = fixture.NewTenant();
        var id = App.AddTenant(tenant, entraTenantId: Guid.NewGuid());

        var result = await App.Gateway.VerifyConnectionAsync(id);

        result.Status.Should().Be(ConnectionVerificationStatus.UnknownTenant);
        result.ErrorCode.Should().Be("AADSTS90002");
    }

    [Fact]
    public async Task An_unknown_client_id_is_reported_as_an_unknown_application()
    {
        var tenant = fixture.NewTenant();
        var id = App.AddTenant(tenant, clientId: Guid.NewGuid());

        var result = await App.Gateway.VerifyConnectionAsync(id);

        result.Status.Should().Be(ConnectionVerificationStatus.UnknownApplication);
        result.ErrorCode.Should().Be("AADSTS700016");
    }

    [Fact]
    public async Task A_missing_permission_is_named_precisely()
    {
        var tenant = fixture.NewTenant(s => s.Permissions =
        [
            GraphPermissions.DeviceManagementConfigurationRead, GraphPermissions.DeviceManagementServiceConfigRead,
            GraphPermissions.DeviceManagementRbacRead, GraphPermissions.GroupMemberRead, GraphPermissions.DeviceManagementManagedDevicesRead,
            GraphPermissions.PolicyRead,
        ]);
        var id = App.AddTenant(tenant);

        var result = await App.Gateway.VerifyConnectionAsync(id);

        result.Status.Should().Be(ConnectionVerificationStatus.MissingPermissions);
        result.MissingPermissions.Should().Equal("DeviceManagementApps.Read.All");
        result.Message.Should().Contain("DeviceManagementApps.Read.All (for App configuration policies, App protection (iOS), App protection (Android), App protection (Windows), Windows Information Protection without enrollment (deprecated by Microsoft), Windows Information Protection with enrollment (deprecated by Microsoft), App configuration (managed apps), Apps (assignments), Company Portal branding)").And.Contain("admin consent");
        result.Checks.Single(c => c.Permission == "DeviceManagementScripts.Read.All").Granted.Should().BeTrue("DeviceManagementConfiguration.Read.All also reads scripts");
    }

    [Fact]
    public async Task A_missing_group_permission_is_named_too()
    {
        var tenant = fixture.NewTenant(s => s.Permissions =
        [
            GraphPermissions.DeviceManagementConfigurationRead, GraphPermissions.DeviceManagementAppsRead,
            GraphPermissions.DeviceManagementServiceConfigRead, GraphPermissions.DeviceManagementRbacRead,
            GraphPermissions.DeviceManagementManagedDevicesRead, GraphPermissions.PolicyRead,
        ]);
        var id = App.AddTenant(tenant);

        var result = await App.Gateway.VerifyConnectionAsync(id);

        result.Status.Should().Be(ConnectionVerificationStatus.MissingPermissions);
        result.MissingPermissions.Should().Equal("GroupMember.Read.All");
    }

    [Fact]
    public async Task Tenants_without_a_usable_secret_are_reported_without_calling_anyone()
    {
        var tenant = fixture.NewTenant();
        var noSecret = Guid.NewGuid();
        App.Tenants.Set(new(noSecret, Guid.Parse(tenant.TenantId), Guid.Parse(tenant.AppId), null, fixture.Emulator.BaseAddress, fixture.Emulator.AuthorityHost!));
        var unreadable = Guid.NewGuid();
        await using (var other = fixture.NewApp())
        {
            // Protected with another key ring, as when Data Protection keys are not shared between processes.
            App.Tenants.Set(new(unreadable, Guid.Parse(tenant.TenantId), Guid.Parse(tenant.AppId), other.Protect(tenant.Spec.AppSecret), fixture.Emulator.BaseAddress, fixture.Emulator.AuthorityHost!));
        }

        (await App.Gateway.VerifyConnectionAsync(Guid.NewGuid())).Status.Should().Be(ConnectionVerificationStatus.TenantNotFound);
        (await App.Gateway.VerifyConnectionAsync(noSecret)).Status.Should().Be(ConnectionVerificationStatus.NoClientSecret);
        (await App.Gateway.VerifyConnectionAsync(unreadable)).Status.Should().Be(ConnectionVerificationStatus.SecretUnreadable);
        fixture.Emulator.RequestLog(tenant.TenantId).Should().BeEmpty();
    }

    [Fact]
    public async Task An_authority_whose_certificate_is_not_trusted_is_unreachable()
    {
        var tenant = fixture.NewTenant();
        await using var untrusting = fixture.NewApp(new Dictionary<string, string?> { ["Graph:TrustedCertificateThumbprints:0"] = new string('A', 64), ["Graph:TokenMaxRetries"] = "0" });
        var id = untrusting.AddTenant(tenant);

        var result = await untrusting.Gateway.VerifyConnectionAsync(id);

        result.Status.Should().Be(ConnectionVerificationStatus.Unreachable, result.Message);
        result.Message.Should().StartWith("The sign-in authority could not be reached:").And.Contain("certificate");
        fixture.Emulator.RequestLog(tenant.TenantId).Should().BeEmpty("the TLS handshake failed before any token request");
    }

    [Fact]
    public async Task Persistent_throttling_of_a_probe_is_reported_as_throttled()
    {
        var tenant = fixture.NewTenant();
        var id = App.AddTenant(tenant);
        fixture.Emulator.AddFault(GraphEmulator.FaultSpec.Throttle("/beta/deviceManagement/roleScopeTags", 1, tenantId: tenant.TenantId));

        var result = await App.Gateway.VerifyConnectionAsync(id);

        result.Status.Should().Be(ConnectionVerificationStatus.Throttled);
        result.ErrorCode.Should().Be("TooManyRequests");
    }
}
