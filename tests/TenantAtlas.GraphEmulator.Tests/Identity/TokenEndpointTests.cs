using System.Net;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Microsoft.Identity.Client;
using TenantAtlas.GraphEmulator.Tests.Support;

namespace TenantAtlas.GraphEmulator.Tests.Identity;

public sealed class TokenEndpointTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private GraphEmulatorHost Host => fixture.Host;

    [Fact]
    public async Task Client_secret_credential_gets_a_token_from_the_emulator_authority()
    {
        var tenant = fixture.NewTenant();

        var token = await GraphSdk.Credential(Host, tenant).GetTokenAsync(new TokenRequestContext(GraphSdk.Scopes), default);

        token.Token.Split('.').Should().HaveCount(3);
        token.ExpiresOn.Should().BeAfter(DateTimeOffset.UtcNow.AddMinutes(50));
        Host.RequestLog(tenant.TenantId).Should().Contain(e => e.Kind == "token" && e.Status == 200 && e.AppId == tenant.AppId);
    }

    [Fact]
    public async Task Wrong_secret_surfaces_as_AADSTS7000215_invalid_client()
    {
        var tenant = fixture.NewTenant();
        var credential = GraphSdk.Credential(Host, tenant.TenantId, tenant.AppId, "not-the-secret");

        var failure = await Assert.ThrowsAsync<AuthenticationFailedException>(() => credential.GetTokenAsync(new TokenRequestContext(GraphSdk.Scopes), default).AsTask());

        // Azure.Identity's own message stops at "authentication failed: "; the AADSTS code is in MSAL's inner exception.
        var msal = failure.InnerException.Should().BeAssignableTo<MsalServiceException>().Subject;
        msal.Message.Should().Contain("AADSTS7000215:");
        msal.ErrorCode.Should().Be("invalid_client");
        msal.StatusCode.Should().Be(401);
    }

    [Fact]
    public async Task Unknown_tenant_surfaces_as_AADSTS90002()
    {
        var tenant = fixture.NewTenant();
        var credential = GraphSdk.Credential(Host, Guid.NewGuid().ToString(), tenant.AppId, tenant.Spec.AppSecret);

        var failure = await Assert.ThrowsAsync<AuthenticationFailedException>(() => credential.GetTokenAsync(new TokenRequestContext(GraphSdk.Scopes), default).AsTask());

        // Azure.Identity's own message stops at "authentication failed: "; the AADSTS code is in MSAL's inner exception.
        var msal = failure.InnerException.Should().BeAssignableTo<MsalServiceException>().Subject;
        msal.Message.Should().Contain("AADSTS90002:");
        msal.ErrorCode.Should().Be("invalid_request");
        msal.StatusCode.Should().Be(400);
    }

    [Fact]
    public async Task Unknown_app_surfaces_as_AADSTS700016()
    {
        var tenant = fixture.NewTenant();
        var credential = GraphSdk.Credential(Host, tenant.TenantId, Guid.NewGuid().ToString(), tenant.Spec.AppSecret);

        var failure = await Assert.ThrowsAsync<AuthenticationFailedException>(() => credential.GetTokenAsync(new TokenRequestContext(GraphSdk.Scopes), default).AsTask());

        // Azure.Identity's own message stops at "authentication failed: "; the AADSTS code is in MSAL's inner exception.
        var msal = failure.InnerException.Should().BeAssignableTo<MsalServiceException>().Subject;
        msal.Message.Should().Contain("AADSTS700016:");
        msal.ErrorCode.Should().Be("unauthorized_client");
        msal.StatusCode.Should().Be(400);
    }

    [Fact]
    public async Task Token_errors_have_entra_shape_and_echo_the_correlation_id()
    {
        var tenant = fixture.NewTenant();
        using var client = Host.CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Post, $"{Host.AuthorityHost}{tenant.TenantId}/oauth2/v2.0/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["client_id"] = tenant.AppId,
                ["client_secret"] = "wrong",
                ["scope"] = "https://graph.microsoft.com/.default",
                ["grant_type"] = "client_credentials",
            }),
        };
        request.Headers.Add("client-request-id", "11111111-2222-3333-4444-555555555555");

        using var response = await client.SendAsync(request);
        var body = await response.ReadJsonAsync();

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        body["error"].Str().Should().Be("invalid_client");
        body["error_description"].Str().Should().StartWith("AADSTS7000215: Invalid client secret provided.")
            .And.Contain("Correlation ID: 11111111-2222-3333-4444-555555555555");
        body["error_codes"]!.AsArray().Select(c => c!.GetValue<int>()).Should().Equal(7000215);
        body["correlation_id"].Str().Should().Be("11111111-2222-3333-4444-555555555555");
        body["trace_id"].Str().Should().NotBeNullOrEmpty();
        body["timestamp"].Str().Should().MatchRegex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$");
    }

    [Fact]
    public async Task Token_endpoint_accepts_the_tenant_domain_and_rejects_a_scope_without_default()
    {
        var tenant = fixture.NewTenant(s => s.Domain = $"t{Guid.NewGuid():N}.onmicrosoft.com");
        using var client = Host.CreateClient();

        async Task<(HttpStatusCode, JsonObject)> RequestAsync(string scope)
        {
            using var response = await client.PostAsync($"{Host.AuthorityHost}{tenant.Domain}/oauth2/v2.0/token", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["client_id"] = tenant.AppId,
                ["client_secret"] = tenant.Spec.AppSecret,
                ["scope"] = scope,
                ["grant_type"] = "client_credentials",
            }));
            return (response.StatusCode, await response.ReadJsonAsync());
        }

        var (okStatus, ok) = await RequestAsync("https://graph.microsoft.com/.default");
        var (badStatus, bad) = await RequestAsync("https://graph.microsoft.com/Group.Read.All");

        okStatus.Should().Be(HttpStatusCode.OK);
        ok["token_type"].Str().Should().Be("Bearer");
        ok["expires_in"]!.GetValue<int>().Should().BeGreaterThan(3000);
        ok["access_token"].Str().Should().NotBeNullOrEmpty();
        badStatus.Should().Be(HttpStatusCode.BadRequest);
        bad["error"].Str().Should().Be("invalid_scope");
        bad["error_description"].Str().Should().StartWith("AADSTS1002012");
    }

    [Fact]
    public void Azure_identity_refuses_a_plain_http_authority()
    {
        var options = new ClientSecretCredentialOptions();

        var failure = Assert.Throws<ArgumentException>(() => options.AuthorityHost = Host.BaseAddress);

        failure.Message.Should().Contain("Authority host must be a TLS protected (https) endpoint");
    }

    [Fact]
    public async Task Without_disabling_instance_discovery_msal_asks_login_microsoftonline_com()
    {
        var tenant = fixture.NewTenant();
        var recorder = new OffMachineRecorder(Host.CreateHttpHandler());
        var credential = new ClientSecretCredential(tenant.TenantId, tenant.AppId, tenant.Spec.AppSecret, new ClientSecretCredentialOptions
        {
            AuthorityHost = Host.AuthorityHost,
            Transport = new HttpClientTransport(recorder),
            Retry = { MaxRetries = 0 },
        });

        await credential.GetTokenAsync(new TokenRequestContext(GraphSdk.Scopes), default);

        // MSAL validates an unknown authority host with Microsoft's discovery endpoint, not with the host itself.
        recorder.OffMachine.Should().NotBeEmpty().And.OnlyContain(u => u.Host == "login.microsoftonline.com" && u.AbsolutePath == "/common/discovery/instance");
    }

    [Fact]
    public async Task Openid_configuration_and_instance_discovery_point_back_at_the_emulator()
    {
        var tenant = fixture.NewTenant();
        using var client = Host.CreateClient();
        var authority = Host.AuthorityHost!.ToString().TrimEnd('/');

        var configuration = await client.GetJsonAsync($"{authority}/{tenant.TenantId}/v2.0/.well-known/openid-configuration");
        var discovery = await client.GetJsonAsync(
            $"{authority}/common/discovery/instance?api-version=1.1&authorization_endpoint={Uri.EscapeDataString($"{authority}/{tenant.TenantId}/oauth2/v2.0/authorize")}");
        using var unknown = await client.GetAsync($"{authority}/{Guid.NewGuid()}/v2.0/.well-known/openid-configuration");

        configuration["token_endpoint"].Str().Should().Be($"{authority}/{tenant.TenantId}/oauth2/v2.0/token");
        configuration["issuer"].Str().Should().Be($"{authority}/{tenant.TenantId}/v2.0");
        discovery["tenant_discovery_endpoint"].Str().Should().Be($"{authority}/{tenant.TenantId}/v2.0/.well-known/openid-configuration");
        discovery["metadata"]![0]!["aliases"]![0].Str().Should().Be(new Uri(authority).Authority);
        unknown.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await unknown.ReadJsonAsync())["error_description"].Str().Should().StartWith("AADSTS90002");
    }

    /// <summary>Answers every request that would leave the machine with 503 itself and records it; nothing goes out.</summary>
    private sealed class OffMachineRecorder(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        public List<Uri> OffMachine { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (!request.RequestUri!.IsLoopback)
            {
                lock (OffMachine)
                {
                    OffMachine.Add(request.RequestUri);
                }

                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { RequestMessage = request });
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
