using System.Text.RegularExpressions;

namespace TenantAtlas.BuildingBlocks.Errors;

/// <summary>
/// Removes what looks like a credential from text that ends up in the database, logs or on screens (failure entries,
/// Graph and Entra messages): bearer tokens, JWTs, <c>secret=…</c>-style assignments (also Graph's paging tokens), JSON
/// secret properties and connection-string passwords. One list for every module, so a new pattern protects all of them.
/// </summary>
public static partial class SecretRedactor
{
    public static string Redact(string? text)
    {
        var value = text ?? "";
        value = BearerToken().Replace(value, "Bearer [redacted]");
        value = Jwt().Replace(value, "[redacted-token]");
        value = SecretAssignment().Replace(value, m => m.Groups[1].Value + "=[redacted]");
        value = JsonSecret().Replace(value, m => m.Groups[1].Value + "\"[redacted]\"");
        return ConnectionPassword().Replace(value, "Password=[redacted]");
    }

    /// <summary>At most <paramref name="max"/> characters, the last one an ellipsis when cut.</summary>
    public static string Cap(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    [GeneratedRegex(@"Bearer\s+[A-Za-z0-9\-\._~\+/]+=*", RegexOptions.IgnoreCase)]
    private static partial Regex BearerToken();

    [GeneratedRegex(@"eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]*")]
    private static partial Regex Jwt();

    [GeneratedRegex(@"(?<![A-Za-z0-9_])(client_secret|secret|password|access_token|refresh_token|token|api[_-]?key|sig|\$skiptoken|\$deltatoken)=([^&\s;""']+)", RegexOptions.IgnoreCase)]
    private static partial Regex SecretAssignment();

    [GeneratedRegex(@"(""(?:client_secret|secret|password|access_token|refresh_token)""\s*:\s*)""[^""]*""", RegexOptions.IgnoreCase)]
    private static partial Regex JsonSecret();

    [GeneratedRegex(@"Password=[^;]*", RegexOptions.IgnoreCase)]
    private static partial Regex ConnectionPassword();
}
