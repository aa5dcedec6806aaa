using System.Text.RegularExpressions;

namespace TenantAtlas.Testing.Hosting;

/// <summary>Removes what differs per request (antiforgery tokens, Blazor markers and state, MudBlazor's random ids) before comparing pages.</summary>
public static partial class HtmlNormalizer
{
    public static string Normalize(string html)
    {
        // MudBlazor renders the layout's menus as popovers in a nondeterministic order; they are not page content.
        var document = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html);
        foreach (var popover in document.QuerySelectorAll(".mud-popover").ToList())
        {
            popover.Remove();
        }

        html = document.DocumentElement.OuterHtml;
        html = Token().Replace(html, "value=\"…\"");
        html = BlazorComment().Replace(html, "");
        // An element's generated id appears where it is referenced (aria-controls/-labelledby); such references are always
        // generated, and the same value elsewhere (the element's own id) is the same id. Not every generated id has a digit.
        foreach (var reference in document.QuerySelectorAll("[aria-controls], [aria-labelledby]")
                     .SelectMany(e => new[] { e.GetAttribute("aria-controls"), e.GetAttribute("aria-labelledby") })
                     .Where(v => !string.IsNullOrEmpty(v)).Distinct())
        {
            html = html.Replace($"\"{reference}\"", "\"<id>\"", StringComparison.Ordinal);
        }

        html = RandomId().Replace(html, "$1=\"<id>\"");
        return Guid().Replace(html, "<guid>");
    }

    [GeneratedRegex("value=\"[^\"]{40,}\"")]
    private static partial Regex Token();

    [GeneratedRegex("<!--Blazor[^>]*-->")]
    private static partial Regex BlazorComment();

    [GeneratedRegex("(aria-controls|aria-labelledby|id|for)=\"[a-z0-9_-]*[0-9][a-z0-9_-]*\"")]
    private static partial Regex RandomId();

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex Guid();
}
