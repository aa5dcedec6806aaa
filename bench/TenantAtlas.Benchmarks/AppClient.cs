using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace TenantAtlas.Benchmarks;

/// <summary>HTTP clients as a browser (sign-in cookie) or a script (Bearer personal access token) would use them, on loopback.</summary>
internal static partial class AppClient
{
    public static HttpClient Create(Uri baseUrl, string? bearer = null, int maxConnections = 256)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = bearer is null,
            CookieContainer = new CookieContainer(),
            MaxConnectionsPerServer = maxConnections,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        var client = new HttpClient(handler) { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
        if (bearer is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return client;
    }

    /// <summary>Signs in through the real form: GET the page, read its antiforgery token, POST the credentials (302 on success).</summary>
    public static async Task<HttpClient> SignedInAsync(Uri baseUrl, string email, string password)
    {
        var client = Create(baseUrl);
        var html = await client.GetStringAsync("/Account/Login");
        var match = TokenPattern().Match(html);
        if (!match.Success)
        {
            throw new InvalidOperationException("No antiforgery token on /Account/Login.");
        }

        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(match.Groups[1].Value),
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });
        using var response = await client.PostAsync(new Uri("/Account/Login", UriKind.Relative), form);
        var location = response.Headers.Location?.OriginalString ?? "";
        if (response.StatusCode != HttpStatusCode.Redirect || location.Contains("/Account/Login", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Sign-in as {email} failed: {(int)response.StatusCode} {location}");
        }

        return client;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
