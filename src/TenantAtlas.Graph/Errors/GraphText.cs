using System.Text.Json;
using System.Text.RegularExpressions;
using TenantAtlas.BuildingBlocks.Errors;

namespace TenantAtlas.Graph.Errors;

/// <summary>Messages from Graph and Entra end up in run failure entries and on screens: unwrap, strip credentials, cap.</summary>
internal static partial class GraphText
{
    public const int MaxLength = 1000;

    public static string Sanitize(string? text) =>
        SecretRedactor.Cap(Whitespace().Replace(SecretRedactor.Redact((text ?? "").Trim()), " "), MaxLength);

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

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
