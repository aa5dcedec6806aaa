using System.Text.Json.Nodes;

namespace TenantAtlas.Graph.Contracts.Diff;

/// <summary>
/// Walks two JSON trees side by side and records what differs, skipping what the service owns. Objects are compared
/// by property name (order irrelevant, a missing property equals <c>null</c>), arrays by the key their
/// <see cref="GraphJsonRules"/> give them, values as JSON values.
/// </summary>
internal sealed class DiffWalker(DiffOptions options, bool stopAtFirst)
{
    /// <summary>Where in the tree the walker is: what is stripped and how children of settings are named depends on it.</summary>
    /// <param name="IsTop">The compared object itself (its <c>assignments</c> are compared apart).</param>
    /// <param name="IsEntity">The object or an element of one of its collections: read-only entity properties are stripped.</param>
    /// <param name="SettingId">The settings catalog setting definition the walker is inside, for child labels.</param>
    /// <param name="References">Navigation properties of this element that only reference its key.</param>
    internal readonly record struct Scope(bool IsTop, bool IsEntity, string? SettingId, IReadOnlyList<string>? References)
    {
        public static Scope Top => new(true, true, null, null);

        public Scope Nested(string? settingId) => new(false, false, settingId ?? SettingId, null);
    }

    private readonly List<FieldChange> changes = [];

    public IReadOnlyList<FieldChange> Changes => changes;

    private bool Done => stopAtFirst && changes.Count > 0;

    public void CompareObjects(JsonObject before, JsonObject after, DiffPath path, Scope scope)
    {
        foreach (var (name, beforeValue) in before)
        {
            if (Done)
            {
                return;
            }

            if (Ignored(name, scope))
            {
                continue;
            }

            var inAfter = after.TryGetPropertyValue(name, out var afterValue);
            var child = path.Property(name, GraphJsonRules.Transparent.Contains(name));
            if (!inAfter)
            {
                if (beforeValue is not null)
                {
                    Record(child, FieldChangeKind.Removed, Strip(beforeValue, ChildScope(scope, name, beforeValue), name), null);
                }

                continue;
            }

            CompareNodes(name, beforeValue, afterValue, child, ChildScope(scope, name, beforeValue ?? afterValue));
        }

        foreach (var (name, afterValue) in after)
        {
            if (Done)
            {
                return;
            }

            if (before.ContainsKey(name) || Ignored(name, scope) || afterValue is null)
            {
                continue;
            }

            Record(path.Property(name, GraphJsonRules.Transparent.Contains(name)), FieldChangeKind.Added, null, Strip(afterValue, ChildScope(scope, name, afterValue), name));
        }
    }

    /// <summary>A copy of <paramref name="node"/> without what a comparison ignores at that place.</summary>
    public JsonNode? Strip(JsonNode? node, Scope scope, string? arrayName) => node switch
    {
        JsonObject obj => StripObject(obj, scope),
        JsonArray array => new JsonArray([.. array.Select(e => e is JsonObject element
            ? StripObject(element, ElementScope(scope, arrayName, element))
            : e?.DeepClone())]),
        _ => node?.DeepClone(),
    };

    private JsonObject StripObject(JsonObject obj, Scope scope)
    {
        var copy = new JsonObject();
        foreach (var (name, value) in obj)
        {
            if (!Ignored(name, scope))
            {
                copy[name] = Strip(value, ChildScope(scope, name, value), name);
            }
        }

        return copy;
    }

    private void CompareNodes(string name, JsonNode? before, JsonNode? after, DiffPath path, Scope scope)
    {
        switch (before, after)
        {
            case (null, null):
                return;
            case (JsonObject b, JsonObject a):
                CompareObjects(b, a, path, scope);
                return;
            case (JsonArray b, JsonArray a):
                CompareArrays(name, b, a, path, scope);
                return;
            case (JsonValue b, JsonValue a) when JsonValues.Equal(b, a, name == "@odata.type"):
                return;
            default:
                Record(path, FieldChangeKind.Changed, Strip(before, scope, name), Strip(after, scope, name));
                return;
        }
    }

    private void CompareArrays(string name, JsonArray before, JsonArray after, DiffPath path, Scope scope)
    {
        var all = before.Concat(after).ToList();
        if (all.Count == 0)
        {
            return;
        }

        if (all.All(e => e is JsonObject))
        {
            var rule = GraphJsonRules.KeyedArrays.GetValueOrDefault(name);
            if (rule is null && all.All(e => JsonValues.Text(e!["id"]) is { Length: > 0 }))
            {
                rule = GraphJsonRules.ById;
            }

            if (rule is not null && all.All(e => rule.Key((JsonObject)e!) is not null))
            {
                CompareKeyed(name, rule, before, after, path, scope);
                return;
            }
        }
        else if (all.All(e => e is null or JsonValue) && GraphJsonRules.IsUnordered(name, options))
        {
            CompareSets(before, after, path);
            return;
        }

        ComparePositions(name, before, after, path, scope);
    }

    private void CompareKeyed(string name, GraphJsonRules.KeyedArray rule, JsonArray before, JsonArray after, DiffPath path, Scope scope)
    {
        var left = Keyed(rule, before);
        var right = Keyed(rule, after);
        var labels = Labels(rule, [.. left, .. right], scope);
        var matched = right.ToDictionary(e => e.Key, StringComparer.Ordinal);

        foreach (var element in left)
        {
            if (Done)
            {
                return;
            }

            var elementPath = path.Element(labels[element.Key], element.Key);
            if (matched.Remove(element.Key, out var other))
            {
                var elementScope = ElementScope(scope, name, element.Value);
                CompareObjects(element.Value, other.Value, elementPath, elementScope);
            }
            else
            {
                Record(elementPath, FieldChangeKind.Removed, Strip(element.Value, ElementScope(scope, name, element.Value), null), null);
            }
        }

        foreach (var element in right.Where(e => matched.ContainsKey(e.Key)))
        {
            if (Done)
            {
                return;
            }

            Record(path.Element(labels[element.Key], element.Key), FieldChangeKind.Added, null, Strip(element.Value, ElementScope(scope, name, element.Value), null));
        }
    }

    /// <summary>Elements by key; a key seen twice in one array gets its occurrence (<c>notification #2</c>), paired in order.</summary>
    private static List<KeyValuePair<string, JsonObject>> Keyed(GraphJsonRules.KeyedArray rule, JsonArray array)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var result = new List<KeyValuePair<string, JsonObject>>();
        foreach (var element in array.OfType<JsonObject>())
        {
            var key = rule.Key(element)!;
            var count = seen[key] = seen.GetValueOrDefault(key) + 1;
            result.Add(new(count == 1 ? key : $"{key} #{count}", element));
        }

        return result;
    }

    /// <summary>
    /// One label per key, from whichever side names the element (an expanded definition may be on one side only), else
    /// the rule's fallback, else the key; two keys with the same label (a user and a machine ADMX setting) get the key added.
    /// </summary>
    private Dictionary<string, string> Labels(GraphJsonRules.KeyedArray rule, List<KeyValuePair<string, JsonObject>> elements, Scope scope)
    {
        var settingLabels = new SettingLabels(options, scope.SettingId);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, element) in elements)
        {
            if (!labels.ContainsKey(key) && rule.Label?.Invoke(element, settingLabels) is { Length: > 0 } label)
            {
                labels[key] = label + Occurrence(rule, key, element);
            }
        }

        foreach (var (key, element) in elements)
        {
            if (!labels.ContainsKey(key))
            {
                var fallback = rule.FallbackLabel?.Invoke(element, settingLabels) is { Length: > 0 } derived ? derived : rule.Key(element)!;
                labels[key] = fallback + Occurrence(rule, key, element);
            }
        }

        var clashing = labels.GroupBy(l => l.Value, StringComparer.Ordinal).Where(g => g.Count() > 1).SelectMany(g => g.Select(l => l.Key)).ToList();
        foreach (var key in clashing)
        {
            labels[key] = $"{labels[key]} ({key})";
        }

        return labels;
    }

    /// <summary>" #2" for the second element with the same key, "" otherwise.</summary>
    private static string Occurrence(GraphJsonRules.KeyedArray rule, string key, JsonObject element) => key[rule.Key(element)!.Length..];

    private void CompareSets(JsonArray before, JsonArray after, DiffPath path)
    {
        var remaining = after.Select(e => JsonValues.Canonical(e)).ToList();
        var removed = new List<JsonNode?>();
        foreach (var element in before)
        {
            if (!remaining.Remove(JsonValues.Canonical(element)))
            {
                removed.Add(element);
            }
        }

        var unmatchedBefore = before.Select(e => JsonValues.Canonical(e)).ToList();
        var added = new List<JsonNode?>();
        foreach (var element in after)
        {
            if (!unmatchedBefore.Remove(JsonValues.Canonical(element)))
            {
                added.Add(element);
            }
        }

        foreach (var element in removed)
        {
            Record(path.Member(DiffPreview.Fold(element, 60)), FieldChangeKind.Removed, element?.DeepClone(), null);
        }

        foreach (var element in added)
        {
            Record(path.Member(DiffPreview.Fold(element, 60)), FieldChangeKind.Added, null, element?.DeepClone());
        }
    }

    private void ComparePositions(string name, JsonArray before, JsonArray after, DiffPath path, Scope scope)
    {
        for (var i = 0; i < Math.Max(before.Count, after.Count) && !Done; i++)
        {
            var b = i < before.Count ? before[i] : null;
            var a = i < after.Count ? after[i] : null;
            var elementScope = (b ?? a) is JsonObject element ? ElementScope(scope, name, element) : scope.Nested(null);
            if (i >= after.Count)
            {
                Record(path.Position(i), FieldChangeKind.Removed, Strip(b, elementScope, null), null);
            }
            else if (i >= before.Count)
            {
                Record(path.Position(i), FieldChangeKind.Added, null, Strip(a, elementScope, null));
            }
            else
            {
                CompareNodes(name, b, a, path.Position(i), elementScope);
            }
        }
    }

    private bool Ignored(string name, Scope scope) =>
        GraphJsonRules.IsAnnotation(name)
        || GraphJsonRules.Timestamps.Contains(name)
        || (scope.IsEntity && (GraphJsonRules.EntityReadOnly.Contains(name) || GraphJsonRules.CompareOnlyReadOnly.Contains(name)))
        || (scope.IsTop && name == "assignments")
        || name == "settingDefinitions" // an expansion of the setting's definitions: metadata, used only for labels
        || (scope.References?.Contains(name) ?? false)
        || options.IgnoredProperties.Contains(name);

    private static Scope ChildScope(Scope scope, string name, JsonNode? value) =>
        name == "settingInstance" && value is JsonObject instance
            ? scope.Nested(JsonValues.Text(instance["settingDefinitionId"]))
            : scope.Nested(null);

    /// <summary>An element of a collection is an entity of its own (its service-assigned id is stripped).</summary>
    private static Scope ElementScope(Scope scope, string? arrayName, JsonObject element)
    {
        var rule = arrayName is null ? null : GraphJsonRules.KeyedArrays.GetValueOrDefault(arrayName);
        return new Scope(false, true, rule?.SettingId?.Invoke(element) ?? scope.SettingId, rule?.References);
    }

    private void Record(DiffPath path, FieldChangeKind kind, JsonNode? before, JsonNode? after) =>
        changes.Add(new FieldChange(path.Readable, path.Locator, kind, before, after));
}
