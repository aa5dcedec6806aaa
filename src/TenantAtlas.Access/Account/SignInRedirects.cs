namespace TenantAtlas.Access.Account;

/// <summary>
/// The one rule for every return URL the account pages follow (sign-in, sign-out): only a plain local path is followed,
/// anything else falls back to a fixed local page — never an error.
/// </summary>
internal static class SignInRedirects
{
    /// <summary>
    /// <paramref name="url"/> when it is a plain local path, otherwise <paramref name="fallback"/>. A plain local path
    /// starts with exactly one '/' and has no backslash and no control character anywhere: browsers drop tab, CR and LF
    /// inside URLs and read '\' as '/', so "/\t/evil.example" or "/\\evil.example" would leave the site, and CR/LF would
    /// split the Location header (ASP.NET Core's LocalRedirect throws on them, which was a 500).
    /// </summary>
    public static string SafeLocal(string? url, string fallback) => IsPlainLocalPath(url) ? url! : fallback;

    internal static bool IsPlainLocalPath(string? url)
    {
        if (string.IsNullOrEmpty(url) || url[0] != '/' || (url.Length > 1 && url[1] == '/'))
        {
            return false;
        }

        foreach (var c in url)
        {
            if (c == '\\' || char.IsControl(c))
            {
                return false;
            }
        }

        return true;
    }
}
