using System.Diagnostics;
using TenantAtlas.Graph.Contracts;
using TenantAtlas.Graph.Tests.Support;
using TenantAtlas.GraphEmulator;
using TenantAtlas.GraphEmulator.Graph;

namespace TenantAtlas.Graph.Tests.Gateway;

public sealed class ThrottlingAndErrorTests(GraphFixture fixture) : IClassFixture<GraphFixture>
{
    private const string DeviceConfigurations = "/beta/deviceManagement/deviceConfigurations";

    private GraphTestApp App => fixture.App;

    [Fact]
    public async Task Retry_after_is_honoured_and_counted_as_throttle_wait()
    {
        var tenant = fixture.NewTenant();
        var id = App.AddTenant(tenant);
        fixture.Emulator.AddFault(FaultSpec.Throttle(DeviceConfigurations, retryAfterSeconds: 1, times: 2, tenant.TenantId));

        using var scope = App.Metrics.BeginScope();
        var watch = Stopwatch.StartNew();
        var pages = await App.ListAllAsync(id, GraphResourceKeys.DeviceConfigurations);

        watch.Elapsed.Should().BeGreaterThan(TimeSpan.FromSeconds(1.9));
        pages.SelectMany(p => p.Items).Should().NotBeEmpty();
        fixture.GraphLog(tenant).Select(e => e.Status).Should().Equal(429, 429, 200);
        scope.Requests.Should().Be(3);
        scope.ThrottledRequests.Should().Be(2);
        scope.ThrottleWait.Should().BeGreaterThan(TimeSpan.FromSeconds(1.9)).And.BeLessThan(TimeSpan.FromSeconds(5));
        scope.ThrottleWaitSeconds.Should().BeInRange(2, 5);
    }

    [Fact]
    public async Task A_429_without_retry_after_backs_off_by_itself()
    {
        var tenant = fixture.NewTenant();
        var id = App.AddTenant(tenant);
        fixture.Emulator.AddFault(FaultSpec.Throttle(DeviceConfigurations, retryAfterSeconds: null, times: 1, tenant.TenantId));

        using var scope = App.Metrics.BeginScope();
        var pages = await App.ListAllAsync(id, GraphResourceKeys.DeviceConfigurations);

        pages.SelectMany(p => p.Items).Should().NotBeEmpty();
        fixture.GraphLog(tenant).Select(e => e.Status).Should().Equal(429, 200);
        scope.ThrottledRequests.Should().Be(1);
        scope.ThrottleWait.Should().BeGreaterThan(TimeSpan.FromSeconds(0.9), "Graph:RetryDelaySeconds is 1 in tests (3 by default)");
    }

    [Fact]
    public async Task Persistent_429_becomes_a_retryable_failure_with_the_last_request_id()
    {
        var tenant = fixture.NewTenant();
        var id = App.AddTenant(tenant);
        fixture.Emulator.AddFault(FaultSpec.Throttle(DeviceConfigurations, retryAfterSeconds: 1, tenantId: tenant.TenantId));

        using var scope = App.Metrics.BeginScope();
        var failure = await Assert.ThrowsAsync<GraphRequestException>(() => App.ListAllAsync(id, GraphResourceKeys.DeviceConfigurations));

        var log = fixture.GraphLog(tenant);
        log.Select(e => e.Status).Should().Equal(429, 429, 429, 429);
        failure.Kind.Should().Be(GraphFailureKind.Throttled);
        failure.IsRetryable.Should().BeTrue();
        failure.HttpStatus.Should().Be(429);
        failure.ErrorCode.Should().Be("TooManyRequests");
        failure.RetryAfter.Should().Be(TimeSpan.FromSeconds(1));
        failure.RequestId.Should().Be(log[^1].RequestId);
        failure.Message.Should().Contain("after the SDK's retries");
        failure.InnerException.Should().BeOfType<AggregateException>("the retry handler throws an AggregateException, not an ODataError");
        scope.ThrottledRequests.Should().Be(4);
        scope.ThrottleWaitSeconds.Should().BeInRange(3, 6);
    }

    [Fact]
    public async Task A_503_then_success()
    {
        var tenant = fixture.NewTenant();
        var id = App.AddTenant(tenant);
        fixture.Emulator.AddFault(new FaultSpec { TenantId = tenant.TenantId, Pattern = DeviceConfigurations, Status = 503, RetryAfterSeconds = 1, Times = 1 });

        using var scope = App.Metrics.BeginScope();
        var pages = await App.ListAllAsync(id, GraphResourceKeys.DeviceConfigurations);

        pages.SelectMany(p => p.Items).Should().NotBeEmpty();
        fixture.GraphLog(tenant).Select(e => e.Status).Should().Equal(503, 200);
        scope.ThrottledRequests.Should().Be(0, "a 503 is not throttling");
    }

    [Fact]
    public async Task An_error_envelope_becomes_the_failure_shape_with_graphs_request_id()
    {
        var tenant = fixture.NewTenant();
        var id = App.AddTenant(tenant);
        fixture.Emulator.AddFault(new FaultSpec
        {
            TenantId = tenant.TenantId, Pattern = DeviceConfigurations, Status = 500, ErrorCode = "InternalServerError", ErrorMessage = "Something broke inside Intune.",
        });

        var failure = await Assert.ThrowsAsync<GraphRequestException>(() => App.ListAllAsync(id, GraphResourceKeys.DeviceConfigurations));

        failure.Kind.Should().Be(GraphFailureKind.Unavailable);
        failure.IsRetryable.Should().BeTrue();
        failure.HttpStatus.Should().Be(500);
        failure.ErrorCode.Should().Be("InternalServerError");
        failure.Message.Should().Be("Graph answered 500 InternalServerError: Something broke inside Intune.");
        failure.RequestId.Should().Be(fixture.GraphLog(tenant).Single().RequestId);
        failure.InnerException.Should().BeOfType<Microsoft.Graph.Models.ODataErrors.ODataError>();
    }

    [Fact]
    public async Task A_missing_permission_is_a_forbidden_failure_naming_the_permission()
    {
        var tenant = fixture.NewTenant(s => s.Permissions = [GraphPermissions.DeviceManagementConfigurationRead, GraphPermissions.GroupRead]);
        var id = App.AddTenant(tenant);

        var failure = await Assert.ThrowsAsync<GraphRequestException>(() => App.ListAllAsync(id, GraphResourceKeys.MobileAppConfigurations));

        failure.Kind.Should().Be(GraphFailureKind.Forbidden);
        failure.HttpStatus.Should().Be(403);
        failure.IsRetryable.Should().BeFalse();
        failure.Message.Should().Contain("DeviceManagementApps.Read.All");
    }

    [Fact]
    public async Task Metrics_scopes_nest_and_count_nothing_outside_them()
    {
        var tenant = fixture.NewTenant();
        var id = App.AddTenant(tenant);
        fixture.Emulator.AddFault(FaultSpec.Throttle(DeviceConfigurations, retryAfterSeconds: 1, times: 1, tenant.TenantId));

        await App.Gateway.ListRoleDefinitionsAsync(id);
        using var outer = App.Metrics.BeginScope();
        await App.Gateway.ListRoleDefinitionsAsync(id);
        using (var inner = App.Metrics.BeginScope())
        {
            await App.ListAllAsync(id, GraphResourceKeys.DeviceConfigurations);
            inner.Requests.Should().Be(2);
            inner.ThrottledRequests.Should().Be(1);
        }

        await App.Gateway.ListRoleDefinitionsAsync(id);

        outer.Requests.Should().Be(4);
        outer.ThrottledRequests.Should().Be(1);
    }

    [Fact]
    public async Task Unknown_and_unconfigured_tenants_fail_before_anything_is_sent()
    {
        var tenant = fixture.NewTenant();
        var noSecret = Guid.NewGuid();
        App.Tenants.Set(new(noSecret, Guid.Parse(tenant.TenantId), Guid.Parse(tenant.AppId), null, fixture.Emulator.BaseAddress, fixture.Emulator.AuthorityHost!));

        var unknown = await Assert.ThrowsAsync<GraphRequestException>(() => App.Gateway.ListRoleDefinitionsAsync(Guid.NewGuid()));
        var unconfigured = await Assert.ThrowsAsync<GraphRequestException>(() => App.Gateway.ListRoleDefinitionsAsync(noSecret));

        unknown.Should().Match<GraphRequestException>(e => e.Kind == GraphFailureKind.TenantNotConfigured && e.ErrorCode == "tenantNotFound");
        unconfigured.Should().Match<GraphRequestException>(e => e.Kind == GraphFailureKind.TenantNotConfigured && e.ErrorCode == "noClientSecret");
        fixture.Emulator.RequestLog(tenant.TenantId).Should().BeEmpty();
    }

    [Fact]
    public async Task A_wrong_secret_fails_the_call_with_the_aadsts_code()
    {
        var tenant = fixture.NewTenant();
        var id = App.AddTenant(tenant, secret: "not-the-secret");

        var failure = await Assert.ThrowsAsync<GraphRequestException>(() => App.Gateway.ListRoleDefinitionsAsync(id));

        failure.Kind.Should().Be(GraphFailureKind.Authentication);
        failure.ErrorCode.Should().Be("AADSTS7000215");
        failure.HttpStatus.Should().Be(401);
        failure.Message.Should().StartWith("Sign-in failed: AADSTS7000215: Invalid client secret provided.");
        fixture.GraphLog(tenant).Should().BeEmpty();
    }
}
