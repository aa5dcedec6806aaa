using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TenantAtlas.Graph.Contracts.Diff;

/// <summary>
/// JSON values compared as values: <c>1</c> equals <c>1.0</c>, <c>"1"</c> is not <c>1</c>, <c>@odata.type</c> with or
/// without <c>#</c>, a GUID in any case.
/// </summary>
internal static class JsonValues
{
    public static string? Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    public static bool Equal(JsonValue before, JsonValue after, bool isODataType)
    {
        var kind = before.GetValueKind();
        var otherKind = after.GetValueKind();
        if (kind == JsonValueKind.Number && otherKind == JsonValueKind.Number)
        {
            return NumbersEqual(before, after);
        }

        if (kind != otherKind)
        {
            return false;
        }

        if (kind != JsonValueKind.String)
        {
            return true; // true/true, false/false, null/null
        }

        var a = before.GetValue<string>();
        var b = after.GetValue<string>();
        if (isODataType)
        {
            return string.Equals(a.TrimStart('#'), b.TrimStart('#'), StringComparison.Ordinal);
        }

        // The case of a GUID's hex digits carries no meaning (group, filter and template ids).
        return string.Equals(a, b, StringComparison.Ordinal)
            || (Guid.TryParseExact(a, "D", out var x) && Guid.TryParseExact(b, "D", out var y) && x == y);
    }

    /// <summary>A text that is equal for equal values (used to compare arrays of plain values as sets).</summary>
    public static string Canonical(JsonNode? node) => node switch
    {
        null => "null",
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.Number when Decimal(value) is { } number => "n:" + number.ToString("G29", CultureInfo.InvariantCulture),
            JsonValueKind.String when Guid.TryParseExact(value.GetValue<string>(), "D", out var id) => "s:" + id.ToString("D"),
            JsonValueKind.String => "s:" + value.GetValue<string>(),
            _ => value.ToJsonString(),
        },
        _ => node.ToJsonString(),
    };

    private static bool NumbersEqual(JsonValue before, JsonValue after)
    {
        if (Decimal(before) is { } a && Decimal(after) is { } b)
        {
            return a == b;
        }

        return double.TryParse(before.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var x)
            && double.TryParse(after.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var y)
            && x.Equals(y);
    }

    private static decimal? Decimal(JsonValue value) =>
        decimal.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : null;
}
