namespace TenantAtlas.Access.Account;

/// <summary>Only local URLs are followed after sign-in/out, so a crafted returnUrl cannot send users elsewhere.</summary>
internal static class SignInRedirects
{
    public static string SafeLocal(string? url, string fallback) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal)
            ? url
            : fallback;
}
