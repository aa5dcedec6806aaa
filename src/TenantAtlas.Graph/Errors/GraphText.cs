using System.Text.Json;
using System.Text.RegularExpressions;

namespace TenantAtlas.Graph.Errors;

/// <summary>Messages from Graph and Entra end up in run failure entries and on screens: unwrap, strip credentials, cap.</summary>
internal static partial class GraphText
{
    public const int MaxLength = 1000;

    public static string Sanitize(string? text)
    {
        var value = (text ?? "").Trim();
        value = BearerToken().Replace(value, "Bearer [redacted]");
        value = Jwt().Replace(value, "[redacted-token]");
        value = SecretAssignment().Replace(value, m => m.Groups[1].Value + "=[redacted]");
        value = JsonSecret().Replace(value, m => m.Groups[1].Value + "\"[redacted]\"");
        value = ConnectionPassword().Replace(value, "Password=[redacted]");
        value = Whitespace().Replace(value, " ");
        return value.Length <= MaxLength ? value : value[..(MaxLength - 1)] + "…";
    }

    /// <summary>
    /// Intune puts a JSON document inside <c>error.message</c> (<c>{"_version":3,"Message":"… - Operation ID … - Activity ID …"}</c>):
    /// keep its Message up to the support ids (the request id is recorded on its own).
    /// </summary>
    public static string UnwrapIntuneMessage(string? message)
    {
        var text = message ?? "";
        if (text.TrimStart().StartsWith('{'))
        {
            try
            {
                using var document = JsonDocument.Parse(text);
                if (document.RootElement.TryGetProperty("Message", out var inner) && inner.ValueKind == JsonValueKind.String)
                {
                    text = inner.GetString() ?? text;
                }
            }
            catch (JsonException)
            {
                // Not JSON after all: keep the text.
            }
        }

        var cut = text.IndexOf(" - Operation ID", StringComparison.Ordinal);
        return cut > 0 ? text[..cut] : text;
    }

    /// <summary>The first line of an AADSTS message ("AADSTS7000215: Invalid client secret provided. …"), without trace/correlation ids.</summary>
    public static string AadstsSummary(string message)
    {
        var start = message.IndexOf("AADSTS", StringComparison.Ordinal);
        var text = start >= 0 ? message[start..] : message;
        foreach (var marker in new[] { " Trace ID:", "\r", "\n" })
        {
            var cut = text.IndexOf(marker, StringComparison.Ordinal);
            if (cut > 0)
            {
                text = text[..cut];
            }
        }

        return text.Trim();
    }

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

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
