using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using TenantAtlas.GraphEmulator.Hosting;
using TenantAtlas.GraphEmulator.Identity;
using TenantAtlas.GraphEmulator.State;

namespace TenantAtlas.GraphEmulator;

/// <summary>
/// The emulator running in-process on real Kestrel at 127.0.0.1 (free ports): plain http for Graph
/// (<see cref="BaseAddress"/>) and https for the Entra authority (<see cref="AuthorityHost"/>), because
/// MSAL refuses non-https authorities. Tests reach the state directly through <see cref="State"/>.
/// </summary>
public sealed class GraphEmulatorHost : IAsyncDisposable
{
    private readonly WebApplication app;

    private GraphEmulatorHost(WebApplication app, Uri baseAddress, Uri? authorityHost, X509Certificate2? certificate)
    {
        this.app = app;
        BaseAddress = baseAddress;
        AuthorityHost = authorityHost;
        Certificate = certificate;
        State = app.Services.GetRequiredService<EmulatorState>();
    }

    /// <summary>"http://127.0.0.1:{port}/" — Graph lives under v1.0/ and beta/, the control API under _emulator/.</summary>
    public Uri BaseAddress { get; }

    /// <summary>"https://127.0.0.1:{port}/" — give it to Azure.Identity as AuthorityHost; null when https is off.</summary>
    public Uri? AuthorityHost { get; }

    /// <summary>The self-signed certificate of the https endpoint (pin it; see <see cref="CreateHttpHandler"/>).</summary>
    public X509Certificate2? Certificate { get; }

    public EmulatorState State { get; }

    /// <summary>Base URL for GraphServiceClient: "http://127.0.0.1:{port}/v1.0".</summary>
    public string GraphV1Url => BaseAddress + "v1.0";

    public string GraphBetaUrl => BaseAddress + "beta";

    public static Task<GraphEmulatorHost> StartAsync(params TenantSpec[] tenants) =>
        StartAsync(new GraphEmulatorOptions { Tenants = [.. tenants] });

    public static async Task<GraphEmulatorHost> StartAsync(GraphEmulatorOptions options, CancellationToken cancellationToken = default)
    {
        var certificate = options.EnableHttps ? LoopbackCertificate.Create() : null;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ApplicationName = typeof(GraphEmulatorHost).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = "Production",
        });
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            if (certificate is not null)
            {
                kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate));
            }
        });
        builder.Services.AddGraphEmulator(options, certificate);
        var app = builder.Build();
        app.MapGraphEmulator();
        await app.StartAsync(cancellationToken);

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a)).ToList();
        var http = addresses.First(a => a.Scheme == Uri.UriSchemeHttp);
        var https = addresses.FirstOrDefault(a => a.Scheme == Uri.UriSchemeHttps);
        return new GraphEmulatorHost(
            app,
            new Uri($"http://127.0.0.1:{http.Port}/"),
            https is null ? null : new Uri($"https://127.0.0.1:{https.Port}/"),
            certificate);
    }

    /// <summary>
    /// A handler that trusts exactly this emulator's certificate (and whatever the system trusts). Give it to
    /// Azure.Identity as <c>Transport = new HttpClientTransport(host.CreateHttpHandler())</c>.
    /// </summary>
    public HttpMessageHandler CreateHttpHandler()
    {
        var certificate = Certificate;
        return new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, presented, _, errors) =>
                    errors == SslPolicyErrors.None || (certificate is not null && LoopbackCertificate.Matches(certificate, presented)),
            },
        };
    }

    /// <summary>An HttpClient on <see cref="BaseAddress"/>, optionally with a valid token for a tenant (raw HTTP tests).</summary>
    public HttpClient CreateClient(string? tenantId = null)
    {
        var client = new HttpClient(CreateHttpHandler()) { BaseAddress = BaseAddress };
        if (tenantId is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", IssueAccessToken(tenantId));
        }

        return client;
    }

    /// <summary>A token as the token endpoint would issue it for the tenant's app (its current permissions as roles).</summary>
    public string IssueAccessToken(string tenantId) =>
        AccessTokens.Issue(State, State.GetTenant(tenantId), State.Time.GetUtcNow(), State.Options.TokenLifetimeSeconds);

    public TenantState CreateTenant(TenantSpec spec) => State.CreateTenant(spec);

    public TenantState Tenant(string tenantId) => State.GetTenant(tenantId);

    public FaultRule AddFault(FaultSpec spec) => State.AddFault(spec);

    public void ClearFaults(string? tenantId = null) => State.ClearFaults(tenantId);

    public IReadOnlyList<RequestLogEntry> RequestLog(string? tenantId = null, long afterSequence = 0) => State.RequestLog(tenantId, afterSequence);

    public void ClearRequestLog() => State.ClearRequestLog();

    public RequestRate RequestRate(string? tenantId, TimeSpan window, long afterSequence = 0, string? service = null) =>
        State.RequestRate(tenantId, window, afterSequence, service);

    public void ExpireDeltaTokens(string tenantId) => State.ExpireDeltaTokens(tenantId);

    public void Reset() => State.Reset();

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        Certificate?.Dispose();
    }
}
