using Azure.Core.Pipeline;
using Azure.Identity;
using Microsoft.Graph;
using Microsoft.Kiota.Authentication.Azure;
using TenantAtlas.GraphEmulator.State;

namespace TenantAtlas.GraphEmulator.Tests.Support;

/// <summary>The real SDK wired the way the product's Graph module wires it, pointed at the emulator.</summary>
public static class GraphSdk
{
    public static readonly string[] Scopes = ["https://graph.microsoft.com/.default"];

    /// <summary>
    /// Azure.Identity against the emulator: an https authority (MSAL refuses http), instance discovery off
    /// (MSAL would ask login.microsoftonline.com about an unknown host), and a transport that pins the
    /// emulator's self-signed certificate.
    /// </summary>
    public static ClientSecretCredential Credential(GraphEmulatorHost host, string tenantId, string appId, string secret) =>
        new(tenantId, appId, secret, new ClientSecretCredentialOptions
        {
            AuthorityHost = host.AuthorityHost,
            DisableInstanceDiscovery = true,
            Transport = new HttpClientTransport(host.CreateHttpHandler()),
            Retry = { MaxRetries = 0 },
        });

    public static ClientSecretCredential Credential(GraphEmulatorHost host, TenantState tenant) =>
        Credential(host, tenant.TenantId, tenant.AppId, tenant.Spec.AppSecret);

    public static GraphServiceClient Client(GraphEmulatorHost host, TenantState tenant, string version = "v1.0")
    {
        var auth = new AzureIdentityAuthenticationProvider(Credential(host, tenant), allowedHosts: ["127.0.0.1", "localhost"], scopes: Scopes);
        var http = GraphClientFactory.Create(GraphClientFactory.CreateDefaultHandlers());
        return new GraphServiceClient(http, auth, host.BaseAddress + version);
    }
}
