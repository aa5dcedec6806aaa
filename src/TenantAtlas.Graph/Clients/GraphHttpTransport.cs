using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace TenantAtlas.Graph.Clients;

/// <summary>
/// The one socket handler under every tenant's Graph pipeline and token transport (one connection pool). TLS validation is
/// the system's, plus the configured thumbprints (<c>Graph:TrustedCertificateThumbprints</c>) for non-Microsoft hosts
/// only — the emulator's self-signed authority. No global bypass.
/// </summary>
internal sealed class GraphHttpTransport : IDisposable
{
    private readonly HashSet<string> pinned;

    public GraphHttpTransport(IOptions<GraphOptions> options)
    {
        pinned = new HashSet<string>(
            options.Value.TrustedCertificateThumbprints.Select(t => t.Replace(":", "", StringComparison.Ordinal).Trim()).Where(t => t.Length > 0),
            StringComparer.OrdinalIgnoreCase);
        Handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = Validate },
        };
        TokenClient = new HttpClient(Handler, disposeHandler: false);
    }

    public HttpMessageHandler Handler { get; }

    /// <summary>The HttpClient Azure.Identity sends token requests with.</summary>
    public HttpClient TokenClient { get; }

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (certificate is null || pinned.Count == 0)
        {
            return false;
        }

        var host = (sender as SslStream)?.TargetHostName;
        if (host is null || GraphHosts.IsMicrosoftHost(host))
        {
            return false;
        }

        return pinned.Contains(certificate.GetCertHashString(HashAlgorithmName.SHA256));
    }

    public void Dispose()
    {
        TokenClient.Dispose();
        Handler.Dispose();
    }
}
