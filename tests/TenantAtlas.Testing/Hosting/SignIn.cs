using System.Net;
using System.Text.RegularExpressions;

namespace TenantAtlas.Testing.Hosting;

public static partial class SignIn
{
    public const string DemoPassword = "Demo!2345";

    /// <summary>Signs in through the real form: GET the page, read its antiforgery token, POST the credentials.</summary>
    public static async Task<HttpClient> SignedInClientAsync(this TenantAtlasApp app, string email, string password = DemoPassword)
    {
        var client = app.CreateBrowserLikeClient();
        var response = await client.PostSignInAsync(email, password);
        if (response.StatusCode != HttpStatusCode.Redirect || response.Headers.Location?.OriginalString.Contains("/Account/Login", StringComparison.Ordinal) == true)
        {
            throw new InvalidOperationException($"Sign-in as {email} failed: {(int)response.StatusCode} {response.Headers.Location}");
        }

        return client;
    }

    public static async Task<HttpResponseMessage> PostSignInAsync(this HttpClient client, string email, string password)
    {
        var token = await GetAntiforgeryTokenAsync(client, "/Account/Login");
        return await client.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = token,
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        }));
    }

    public static async Task<string> GetAntiforgeryTokenAsync(this HttpClient client, string path)
    {
        var html = await client.GetStringAsync(path);
        return ReadAntiforgeryToken(html) ?? throw new InvalidOperationException($"No antiforgery token on {path}.");
    }

    public static string? ReadAntiforgeryToken(string html)
    {
        var match = TokenPattern().Match(html);
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : null;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}

public static class HttpResponseExtensions
{
    /// <summary>The redirect target as a local path and query (NavigationManager redirects are absolute).</summary>
    public static string? RedirectPath(this HttpResponseMessage response) =>
        response.Headers.Location is not { } location ? null
        : location.IsAbsoluteUri ? location.PathAndQuery
        : location.OriginalString;
}
