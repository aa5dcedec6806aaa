using System.Globalization;
using System.Text.Json.Nodes;

namespace TenantAtlas.GraphEmulator.Graph;

/// <summary>One $expand item: "assignments", or "scheduledActionsForRule($expand=scheduledActionConfigurations)".</summary>
internal sealed record ExpandItem(string Name, string Options)
{
    public IReadOnlyList<ExpandItem> Nested =>
        ODataQuery.SplitTopLevel(Options, ';')
            .Select(o => o.Trim())
            .Where(o => o.StartsWith("$expand=", StringComparison.OrdinalIgnoreCase))
            .SelectMany(o => ODataQuery.ParseExpand(o["$expand=".Length..]))
            .ToList();

    public bool Expands(string name) => Nested.Any(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>The query options the emulator understands, parsed and checked against a family.</summary>
internal sealed class ODataQuery
{
    public IReadOnlyList<string>? Select { get; private init; }

    public IReadOnlyList<ExpandItem> Expand { get; private init; } = [];

    public Func<JsonObject, bool> Filter { get; private init; } = _ => true;

    public bool HasFilter { get; private init; }

    public int? Top { get; private init; }

    public bool Count { get; private init; }

    public string? SkipToken { get; private init; }

    public string? DeltaToken { get; private init; }

    public ExpandItem? Expanded(string name) => Expand.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));

    public static ODataQuery Parse(GraphRequest request, FamilyDefinition? family)
    {
        var source = family?.IsDirectory == true ? ErrorSource.Directory : ErrorSource.Graph;
        var query = request.Query;
        int? top = null;
        if (query.TryGetValue("$top", out var topText))
        {
            if (!int.TryParse(topText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed < 1)
            {
                throw GraphException.BadRequest($"Invalid value '{topText}' for query option $top.", source);
            }

            top = parsed;
        }

        var count = false;
        if (query.TryGetValue("$count", out var countText))
        {
            count = countText.ToLowerInvariant() switch
            {
                "true" => true,
                "false" => false,
                _ => throw GraphException.BadRequest($"Invalid value '{countText}' for query option $count.", source),
            };
        }

        IReadOnlyList<string>? select = null;
        if (query.TryGetValue("$select", out var selectText) && selectText.Trim().Length > 0)
        {
            select = selectText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (family is not null)
            {
                foreach (var property in select)
                {
                    if (!family.BaseProperties.Contains(property) && !family.Navigations.Contains(property)
                        && !(family.HasAssignments && property == "assignments"))
                    {
                        throw UnknownProperty(family, property);
                    }
                }
            }
        }

        var expand = query.TryGetValue("$expand", out var expandText) ? ParseExpand(expandText) : [];

        Func<JsonObject, bool> filter = _ => true;
        var hasFilter = false;
        if (query.TryGetValue("$filter", out var filterText) && filterText.Trim().Length > 0)
        {
            filter = FilterParser.Parse(filterText, family);
            hasFilter = true;
        }

        return new ODataQuery
        {
            Select = select,
            Expand = expand,
            Filter = filter,
            HasFilter = hasFilter,
            Top = top,
            Count = count,
            SkipToken = query.GetValueOrDefault("$skiptoken") ?? query.GetValueOrDefault("$skipToken"),
            DeltaToken = query.GetValueOrDefault("$deltatoken") ?? query.GetValueOrDefault("$deltaToken"),
        };
    }

    public static GraphException UnknownProperty(FamilyDefinition family, string property) =>
        family.IsDirectory
            ? new GraphException(400, "Request_BadRequest", $"Could not find a property named '{property}' on type '{family.EntityType}'.", ErrorSource.Directory)
            : new GraphException(400, "BadRequest", $"Could not find a property named '{property}' on type '{family.EntityType}'.");

    public static List<ExpandItem> ParseExpand(string text) =>
        SplitTopLevel(text, ',')
            .Select(part => part.Trim())
            .Where(part => part.Length > 0)
            .Select(part =>
            {
                var open = part.IndexOf('(', StringComparison.Ordinal);
                return open < 0
                    ? new ExpandItem(part, "")
                    : new ExpandItem(part[..open].Trim(), part[(open + 1)..part.LastIndexOf(')')]);
            })
            .ToList();

    /// <summary>Splits on a separator outside parentheses and quotes.</summary>
    public static List<string> SplitTopLevel(string text, char separator)
    {
        var parts = new List<string>();
        var depth = 0;
        var quoted = false;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\'')
            {
                quoted = !quoted;
            }
            else if (!quoted && c == '(')
            {
                depth++;
            }
            else if (!quoted && c == ')')
            {
                depth--;
            }
            else if (!quoted && depth == 0 && c == separator)
            {
                parts.Add(text[start..i]);
                start = i + 1;
            }
        }

        parts.Add(text[start..]);
        return parts;
    }
}
