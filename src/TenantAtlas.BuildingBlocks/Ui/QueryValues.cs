using System.Globalization;
using TenantAtlas.BuildingBlocks.Database;

namespace TenantAtlas.BuildingBlocks.Ui;

/// <summary>
/// Query-string values for pages, read as strings and parsed here: Blazor's typed <c>[SupplyParameterFromQuery]</c> throws
/// (a 500) on a hand-edited URL such as <c>?page=abc</c>; a shared link with a bad value should just fall back.
/// </summary>
public static class QueryValues
{
    /// <summary>A positive whole number, or null when missing or not one.</summary>
    public static int? PositiveInt(string? value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;

    /// <summary>A positive 64-bit id or cursor, or null when missing or not one.</summary>
    public static long? PositiveLong(string? value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;

    /// <summary>An on/off flag: <c>1</c>, <c>true</c>, <c>yes</c> or <c>on</c> is on; anything else, or missing, is off.</summary>
    public static bool Flag(string? value) =>
        value is not null && (value == "1" || value.Equals("true", StringComparison.OrdinalIgnoreCase)
                              || value.Equals("yes", StringComparison.OrdinalIgnoreCase) || value.Equals("on", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// A free-text value (a search, a filter), or null when missing, blank, or holding text the database cannot store (NUL, an
    /// unpaired surrogate). The host refuses such a URL on a request, but navigation inside a circuit passes no middleware:
    /// there this is the boundary, and the value counts as absent rather than reaching SQL.
    /// </summary>
    public static string? Text(string? value) =>
        string.IsNullOrWhiteSpace(value) || !StorableText.IsStorable(value) ? null : value;
}
