using System.Text.RegularExpressions;

namespace TenantAtlas.Operations.Runs;

/// <summary>Failure messages end up in the database and on screens: strip anything that looks like a credential, cap the length.</summary>
internal static partial class FailureSanitizer
{
    public const int MaxMessageLength = 1000;
    public const int MaxCodeLength = 100;
    public const int MaxItemLength = 300;

    public static string Message(string? message)
    {
        var text = message ?? "";
        text = BearerToken().Replace(text, "Bearer [redacted]");
        text = Jwt().Replace(text, "[redacted-token]");
        text = SecretAssignment().Replace(text, m => m.Groups[1].Value + "=[redacted]");
        text = JsonSecret().Replace(text, m => m.Groups[1].Value + "\"[redacted]\"");
        text = ConnectionPassword().Replace(text, "Password=[redacted]");
        return Cap(text.Trim(), MaxMessageLength);
    }

    public static string Code(string? code) => Cap(string.IsNullOrWhiteSpace(code) ? "error" : code.Trim(), MaxCodeLength);

    public static string? Item(string? item) => item is null ? null : Cap(Message(item), MaxItemLength);

    private static string Cap(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    [GeneratedRegex(@"Bearer\s+[A-Za-z0-9\-\._~\+/]+=*", RegexOptions.IgnoreCase)]
    private static partial Regex BearerToken();

    [GeneratedRegex(@"eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]*")]
    private static partial Regex Jwt();

    [GeneratedRegex(@"\b(client_secret|secret|password|access_token|refresh_token|token|api[_-]?key|sig)=([^&\s;""']+)", RegexOptions.IgnoreCase)]
    private static partial Regex SecretAssignment();

    [GeneratedRegex(@"(""(?:client_secret|secret|password|access_token|refresh_token)""\s*:\s*)""[^""]*""", RegexOptions.IgnoreCase)]
    private static partial Regex JsonSecret();

    [GeneratedRegex(@"Password=[^;]*", RegexOptions.IgnoreCase)]
    private static partial Regex ConnectionPassword();
}
