using System.Text.Json.Nodes;

namespace TenantAtlas.Graph.Contracts.Diff;

/// <summary>
/// Field-level comparison of Intune objects as Graph returns them (and as backups store them): pure code on
/// <see cref="System.Text.Json.Nodes"/>, no I/O. Used by the restore plan (before = the target's current object,
/// after = the backup's: <see cref="FieldChangeKind.Added"/> means the restore adds it) and by the backup compare page
/// (before = the older set). See docs/modules/graph.md, "Diff".
/// <para>
/// What never makes a difference: the service's fields (<c>id</c>, <c>createdDateTime</c>, <c>lastModifiedDateTime</c>,
/// <c>modifiedDateTime</c>, <c>version</c>, <c>supportsScopeTags</c>, <c>settingCount</c>, <c>creationSource</c>,
/// <c>isAssigned</c>, <c>deployedAppCount</c>, a driver update profile's <c>deviceReporting</c>, <c>newUpdates</c>,
/// <c>inventorySyncStatus</c>; the ids and timestamps of settings, definition/presentation values and
/// scheduled actions), every annotation but <c>@odata.type</c> (<c>@odata.context</c>, <c>@odata.etag</c>,
/// <c>settings@odata.count</c>, <c>…@odata.nextLink</c>, <c>…@odata.bind</c>), a leading <c>#</c> of <c>@odata.type</c>,
/// property order, number spelling (<c>1</c> = <c>1.0</c>), a missing property vs <c>null</c>, the order of keyed
/// collections and of set-like value arrays, expanded reference navigations (<c>definition</c>, <c>presentation</c>,
/// <c>settingDefinitions</c>), and the object's <c>assignments</c> (compared apart: <see cref="CompareAssignments"/>).
/// </para>
/// </summary>
public static class GraphObjectDiff
{
    /// <summary>Every difference between <paramref name="before"/> and <paramref name="after"/>.</summary>
    public static ObjectDiff Compare(JsonObject before, JsonObject after, DiffOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var walker = new DiffWalker(options ?? DiffOptions.Default, stopAtFirst: false);
        walker.CompareObjects(before, after, DiffPath.Root, DiffWalker.Scope.Top);
        return walker.Changes.Count == 0 ? ObjectDiff.Identical : new ObjectDiff([.. walker.Changes]);
    }

    /// <summary>
    /// Whether the two objects are the same once volatile fields are stripped — the restore plan's <c>skip (identical)</c>.
    /// Stops at the first difference; same answer as <c>Compare(…).IsIdentical</c>.
    /// </summary>
    public static bool IdenticalAfterStripping(JsonObject before, JsonObject after, DiffOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var walker = new DiffWalker(options ?? DiffOptions.Default, stopAtFirst: true);
        walker.CompareObjects(before, after, DiffPath.Root, DiffWalker.Scope.Top);
        return walker.Changes.Count == 0;
    }

    /// <summary>A copy of <paramref name="item"/> as a comparison sees it: volatile fields, annotations and <c>assignments</c> removed.</summary>
    public static JsonObject StripVolatile(JsonObject item, DiffOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(item);
        return (JsonObject)new DiffWalker(options ?? DiffOptions.Default, stopAtFirst: false).Strip(item, DiffWalker.Scope.Top, null)!;
    }

    /// <summary>
    /// The assignment differences of one object. Assignments are matched by target type and group id (an
    /// <c>allDevices</c> target by its type alone); for a matched pair everything else — filter id and type, intent,
    /// settings — is compared field by field (<c>id</c>, <c>sourceId</c> and timestamps never count). For a
    /// cross-tenant plan, rewrite the backup's group and filter ids first (<see cref="GraphReferences.RewriteAssignments"/>).
    /// </summary>
    public static AssignmentDiff CompareAssignments(JsonArray before, JsonArray after, DiffOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var baseOptions = options ?? DiffOptions.Default;
        var assignmentOptions = baseOptions with
        {
            IgnoredProperties = new HashSet<string>(baseOptions.IgnoredProperties.Append("sourceId"), StringComparer.Ordinal),
        };
        var left = ByTarget(before);
        var right = ByTarget(after);
        var unmatched = right.ToDictionary(e => e.Key, StringComparer.Ordinal);
        var changes = new List<AssignmentChange>();
        var stripper = new DiffWalker(assignmentOptions, stopAtFirst: false);

        foreach (var (key, assignment) in left)
        {
            if (unmatched.Remove(key, out var other))
            {
                var walker = new DiffWalker(assignmentOptions, stopAtFirst: false);
                walker.CompareObjects(assignment, other.Value, DiffPath.Root, DiffWalker.Scope.Top);
                if (walker.Changes.Count > 0)
                {
                    changes.Add(new AssignmentChange(FieldChangeKind.Changed, AssignmentTarget.From(other.Value), Strip(stripper, assignment), Strip(stripper, other.Value), [.. walker.Changes]));
                }
            }
            else
            {
                changes.Add(new AssignmentChange(FieldChangeKind.Removed, AssignmentTarget.From(assignment), Strip(stripper, assignment), null, []));
            }
        }

        foreach (var (key, assignment) in right.Where(e => unmatched.ContainsKey(e.Key)))
        {
            changes.Add(new AssignmentChange(FieldChangeKind.Added, AssignmentTarget.From(assignment), null, Strip(stripper, assignment), []));
        }

        return changes.Count == 0 ? AssignmentDiff.Identical : new AssignmentDiff(changes);
    }

    /// <summary>
    /// Two sets of objects (two backup sets, or a set and the current state) matched by resource key and id: which
    /// items were added, removed, changed (with their field and assignment diffs) or are identical. Items come out
    /// in before's order, then the added ones in after's order. Assignments are compared when either side has them.
    /// </summary>
    public static IReadOnlyList<ItemDiff> CompareItems(IEnumerable<DiffItem> before, IEnumerable<DiffItem> after, DiffOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var right = new Dictionary<(string, string), DiffItem>();
        var afterOrder = new List<DiffItem>();
        foreach (var item in after)
        {
            right.TryAdd(ItemKey(item), item);
            afterOrder.Add(item);
        }

        var result = new List<ItemDiff>();
        var seen = new HashSet<(string, string)>();
        foreach (var item in before)
        {
            var key = ItemKey(item);
            if (!seen.Add(key))
            {
                continue;
            }

            if (!right.Remove(key, out var other))
            {
                result.Add(new ItemDiff(item.ResourceKey, item.Id, item.DisplayName, ItemChangeKind.Removed, ObjectDiff.Identical, AssignmentDiff.Identical));
                continue;
            }

            var content = Compare(item.Content, other.Content, options);
            var assignments = item.Assignments is null && other.Assignments is null
                ? AssignmentDiff.Identical
                : CompareAssignments(item.Assignments ?? [], other.Assignments ?? [], options);
            var kind = content.IsIdentical && assignments.IsIdentical ? ItemChangeKind.Identical : ItemChangeKind.Changed;
            result.Add(new ItemDiff(other.ResourceKey, other.Id, other.DisplayName, kind, content, assignments));
        }

        foreach (var item in afterOrder.Where(i => right.Remove(ItemKey(i))))
        {
            result.Add(new ItemDiff(item.ResourceKey, item.Id, item.DisplayName, ItemChangeKind.Added, ObjectDiff.Identical, AssignmentDiff.Identical));
        }

        return result;
    }

    private static (string, string) ItemKey(DiffItem item) => (item.ResourceKey, item.Id.ToLowerInvariant());

    private static JsonObject Strip(DiffWalker stripper, JsonObject assignment) =>
        (JsonObject)stripper.Strip(assignment, DiffWalker.Scope.Top, null)!;

    /// <summary>Assignments by whom they target; a second assignment to the same target gets its occurrence.</summary>
    private static List<KeyValuePair<string, JsonObject>> ByTarget(JsonArray assignments)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var result = new List<KeyValuePair<string, JsonObject>>();
        foreach (var assignment in assignments.OfType<JsonObject>())
        {
            var target = AssignmentTarget.From(assignment);
            var key = target.TargetType + "|" + target.GroupId?.ToLowerInvariant();
            var count = seen[key] = seen.GetValueOrDefault(key) + 1;
            result.Add(new(count == 1 ? key : $"{key}#{count}", assignment));
        }

        return result;
    }
}
