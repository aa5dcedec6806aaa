using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TenantAtlas.Graph.Contracts.Diff;

/// <summary>Values as a person reads them in a diff: JSON text (strings quoted), long values folded to one short line.</summary>
public static class DiffPreview
{
    /// <summary>What a side shows when the field is not there at all.</summary>
    public const string Absent = "(absent)";

    public const int DefaultLength = 120;

    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonSerializerOptions Indented = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, WriteIndented = true };

    /// <summary>
    /// Compact JSON of <paramref name="value"/>; longer than <paramref name="maxLength"/> characters it is cut and ends
    /// with <c>… (12,345 characters)</c>, the full length. <c>null</c> reads <c>null</c>.
    /// </summary>
    public static string Fold(JsonNode? value, int maxLength = DefaultLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 8);
        var text = value is null ? "null" : value.ToJsonString(Compact);
        if (text.Length <= maxLength)
        {
            return text;
        }

        var cut = maxLength - 1;
        if (char.IsHighSurrogate(text[cut - 1]))
        {
            cut--; // never split a surrogate pair
        }

        return text[..cut] + "… (" + text.Length.ToString("N0", CultureInfo.InvariantCulture) + " characters)";
    }

    /// <summary>True when <see cref="Fold"/> would shorten the value (the page offers "show all").</summary>
    public static bool IsFolded(JsonNode? value, int maxLength = DefaultLength) =>
        value is not null && value.ToJsonString(Compact).Length > maxLength;

    /// <summary>The whole value, indented, for an expanded view.</summary>
    public static string Full(JsonNode? value) => value is null ? "null" : value.ToJsonString(Indented);
}
