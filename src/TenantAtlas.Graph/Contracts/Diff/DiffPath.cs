using System.Text;

namespace TenantAtlas.Graph.Contracts.Diff;

/// <summary>
/// Where a change is, in two spellings built together: <see cref="Readable"/> for people
/// (<c>settings[Edge › homepage].value</c>, <c>["odd.name"]</c>, <c>edgeHomepageUrls[#2]</c>, <c>roleScopeTagIds["5"]</c>)
/// and <see cref="Locator"/>, a stable key (<c>/settings/edge_homepage/settingInstance/simpleSettingValue/value</c>).
/// </summary>
internal sealed class DiffPath
{
    public static readonly DiffPath Root = new("", "");

    private DiffPath(string readable, string locator)
    {
        Readable = readable;
        Locator = locator;
    }

    public string Readable { get; }

    public string Locator { get; }

    /// <summary>A property; a transparent one (a wrapper of the setting tree) is left out of the readable path.</summary>
    public DiffPath Property(string name, bool transparent = false)
    {
        var readable = transparent
            ? Readable
            : IsPlainName(name)
                ? (Readable.Length == 0 ? name : Readable + "." + name)
                : Readable + "[\"" + name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"]";
        return new DiffPath(readable, Locator + "/" + Escape(name));
    }

    /// <summary>An element of a keyed collection: its label for people, its key in the locator.</summary>
    public DiffPath Element(string label, string key) =>
        new(Readable + "[" + label.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("]", "\\]", StringComparison.Ordinal) + "]", Locator + "/" + Escape(key));

    /// <summary>An element of a list, by position: 1-based for people (<c>[#1]</c>), 0-based in the locator.</summary>
    public DiffPath Position(int index) =>
        new(Readable + "[#" + (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) + "]", Locator + "/" + index.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>A member of a set of plain values, named by its JSON text.</summary>
    public DiffPath Member(string jsonText) => new(Readable + "[" + jsonText + "]", Locator + "/" + Escape(jsonText));

    private static bool IsPlainName(string name)
    {
        if (name.Length == 0 || char.IsDigit(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return true;
    }

    private static string Escape(string segment) =>
        new StringBuilder(segment).Replace("~", "~0").Replace("/", "~1").ToString();
}
