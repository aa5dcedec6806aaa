using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Authentication.Azure;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;
using TenantAtlas.Graph.Contracts;
using TenantAtlas.Graph.Pipeline;
using TenantAtlas.Graph.Registry;
using TenantAtlas.Graph.Throttling;
using TenantAtlas.Tenants.Contracts;

namespace TenantAtlas.Graph.Clients;

/// <summary>A tenant's Graph client: its credential (tokens cached inside it), its SDK client and where Graph lives for it.</summary>
internal sealed class TenantGraphClient(Guid tenantId, TenantConnection connection, string fingerprint, TokenCredential credential, GraphServiceClient client)
{
    public Guid TenantId { get; } = tenantId;

    public Guid EntraTenantId { get; } = connection.EntraTenantId;

    public Guid ClientId { get; } = connection.ClientId;

    public Uri GraphRoot { get; } = connection.GraphBaseUrl;

    public string Fingerprint { get; } = fingerprint;

    public TokenCredential Credential { get; } = credential;

    public string[] Scopes { get; } = [GraphHosts.Scope(connection.GraphBaseUrl)];

    /// <summary>The same token request the SDK's auth provider makes (CAE on), so an explicit sign-in fills the same token cache.</summary>
    public TokenRequestContext TokenRequest => new(Scopes, isCaeEnabled: true);

    public IRequestAdapter Adapter => client.RequestAdapter;

    public Uri Url(string version, string relativePathAndQuery) => GraphUrls.Build(GraphRoot, version, relativePathAndQuery);
}

/// <summary>
/// One cached client per tenant, for real and emulated tenants alike: Azure.Identity's client-secret credential against the
/// tenant's authority host, the SDK pipeline with our handlers, the tenant's Graph root. The cache key includes a hash of
/// the stored (protected) secret and the endpoints, so a changed connection gets a new credential on its next use.
/// The secret is decrypted here only, when the credential is built, and never logged.
/// </summary>
internal sealed class TenantGraphClients(
    ITenantConnectionSource connections,
    IDataProtectionProvider dataProtection,
    GraphContractRegistry registry,
    GraphCallMetrics metrics,
    TenantThrottleBudget budget,
    TenantRequestLimiter limiter,
    GraphHttpTransport transport,
    IOptions<GraphOptions> options,
    TimeProvider time,
    ILoggerFactory loggers)
{
    private readonly ConcurrentDictionary<Guid, TenantGraphClient> cache = new();
    private readonly ILogger logger = loggers.CreateLogger<TenantGraphClients>();
    private readonly ILogger pipelineLogger = loggers.CreateLogger("TenantAtlas.Graph.Pipeline");
    private readonly Lock gate = new();

    public async Task<TenantGraphClient> GetAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        var connection = await connections.GetAsync(tenantId, cancellationToken)
            ?? throw NotConfigured(tenantId, "tenantNotFound", "No tenant with this id exists in TenantAtlas.");
        if (string.IsNullOrEmpty(connection.ProtectedClientSecret))
        {
            throw NotConfigured(tenantId, "noClientSecret", "The tenant has no client secret stored.");
        }

        var fingerprint = Fingerprint(connection);
        if (cache.TryGetValue(tenantId, out var cached) && cached.Fingerprint == fingerprint)
        {
            return cached;
        }

        lock (gate)
        {
            if (cache.TryGetValue(tenantId, out cached) && cached.Fingerprint == fingerprint)
            {
                return cached;
            }

            var created = Create(tenantId, connection, fingerprint);
            cache[tenantId] = created;
            logger.LogInformation(
                "Built Graph credential for tenant {TenantId} (directory {EntraTenantId}, app {ClientId}, authority {AuthorityHost}, Graph {GraphRoot})",
                tenantId, connection.EntraTenantId, connection.ClientId, connection.AuthorityHost, connection.GraphBaseUrl);
            return created;
        }
    }

    private TenantGraphClient Create(Guid tenantId, TenantConnection connection, string fingerprint)
    {
        var opts = options.Value;
        string secret;
        try
        {
            secret = dataProtection.CreateProtector(TenantSecretProtection.Purpose).Unprotect(connection.ProtectedClientSecret!);
        }
        catch (CryptographicException e)
        {
            throw new GraphRequestException(
                GraphFailureKind.TenantNotConfigured,
                "secretUnreadable",
                "The stored client secret cannot be decrypted (are the Data Protection keys shared between processes?). Save the secret again.",
                innerException: e)
            {
                TenantId = tenantId,
            };
        }

        var credential = new ClientSecretCredential(
            connection.EntraTenantId.ToString(),
            connection.ClientId.ToString(),
            secret,
            new ClientSecretCredentialOptions
            {
                AuthorityHost = connection.AuthorityHost,
                // MSAL would validate an unknown authority with login.microsoftonline.com; Microsoft's own hosts keep it.
                DisableInstanceDiscovery = !GraphHosts.IsMicrosoftAuthority(connection.AuthorityHost),
                Transport = new HttpClientTransport(transport.TokenClient),
                Retry = { MaxRetries = Math.Clamp(opts.TokenMaxRetries, 0, 10) },
            });

        var handlers = GraphClientFactory.CreateDefaultHandlers();
        for (var i = 0; i < handlers.Count; i++)
        {
            if (handlers[i] is RetryHandler)
            {
                handlers[i] = new RetryHandler(new RetryHandlerOption
                {
                    MaxRetry = Math.Clamp(opts.MaxRetries, 0, 10),
                    Delay = Math.Clamp(opts.RetryDelaySeconds, 0, 180),
                });
            }
        }

        handlers.Insert(0, new RegistryGuardHandler(registry, connection.GraphBaseUrl));
        handlers.Insert(1, new TenantConcurrencyHandler(limiter, tenantId, registry, connection.GraphBaseUrl));
        // Inside the retry handler, closest to the network: every attempt is counted and pays into the budget.
        handlers.Add(new ThrottleCountingHandler(metrics, time, pipelineLogger, tenantId));
        handlers.Add(new ThrottleBudgetHandler(budget, metrics, tenantId, registry, connection.GraphBaseUrl));
        var http = GraphClientFactory.Create(handlers, finalHandler: transport.Handler, disposeHandler: false);
        http.Timeout = opts.RequestTimeout;

        var auth = new AzureIdentityAuthenticationProvider(
            credential,
            allowedHosts: [connection.GraphBaseUrl.Host],
            scopes: [GraphHosts.Scope(connection.GraphBaseUrl)]);
        var client = new GraphServiceClient(http, auth, GraphUrls.Build(connection.GraphBaseUrl, GraphContractRegistry.V1, "").AbsoluteUri.TrimEnd('/'));
        return new TenantGraphClient(tenantId, connection, fingerprint, credential, client);
    }

    private static string Fingerprint(TenantConnection connection)
    {
        var text = string.Join('\n', connection.EntraTenantId, connection.ClientId, connection.ProtectedClientSecret, connection.GraphBaseUrl, connection.AuthorityHost);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    private static GraphRequestException NotConfigured(Guid tenantId, string code, string message) =>
        new(GraphFailureKind.TenantNotConfigured, code, message) { TenantId = tenantId };
}
