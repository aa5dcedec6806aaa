using System.Text.Json.Nodes;
using TenantAtlas.Graph.Contracts.Diff;
using TenantAtlas.Restore.Contracts;
using TenantAtlas.Restore.Data;

namespace TenantAtlas.Restore.Planning;

/// <summary>An object of the target as its family's listing showed it (name: settings catalog's <c>name</c>, else <c>displayName</c>).</summary>
/// <param name="IsDefault">The listing marked it as the tenant's built-in default (a family's default property, e.g. <c>isDefaultProfile</c>).</param>
/// <param name="Fixed">The value of the family's fixed property (<see cref="PlanSettings.FixedProperties"/>) as the listing showed it.</param>
internal sealed record TargetObject(string Id, string DisplayName, string? ODataType, DateTimeOffset? LastModifiedAt = null, bool IsDefault = false, string? Fixed = null);

/// <summary>A matched object of the target read in full, as a backup reads it.</summary>
internal sealed record TargetDetail(string Id, string DisplayName, string? ODataType, JsonObject Content, JsonArray Assignments);

/// <summary>One selected backup item as the plan sees it (<c>Content</c> null: the stored item is unreadable, <c>Unreadable</c> says why).</summary>
internal sealed record SourceItem(long Id, string Family, string GraphId, string DisplayName, string? ODataType, JsonObject? Content, JsonArray Assignments, string? Unreadable = null);

/// <summary>What the request says and what the registry knows, for <see cref="PlanBuilder"/>.</summary>
/// <param name="Families">Every family key of the contract registry → whether TenantAtlas can restore it.</param>
/// <param name="NotRestorableReasons">Family key → why TenantAtlas cannot restore it (the registry's words), for blocked items.</param>
/// <param name="BuiltInProperties">Family key → the boolean property marking Intune's built-in objects, which restore leaves alone.</param>
/// <param name="CrossTenantBlockedReasons">Family key → why it restores only into the tenant it was backed up from (the registry's words).</param>
/// <param name="MatchByIdOnly">
/// A rollback: its items are the target's own objects (the pre-restore snapshot), so an item matches only the object
/// with its id — one that is gone is created again, never matched by name to another object the rollback did not touch.
/// </param>
internal sealed record PlanSettings(
    bool CrossTenant,
    string CopySuffix,
    IReadOnlyDictionary<string, bool> Families,
    IReadOnlyList<ItemChoice> ItemChoices,
    IReadOnlyList<ReferenceChoice> ReferenceChoices,
    bool MatchByIdOnly = false,
    IReadOnlyDictionary<string, string>? NotRestorableReasons = null,
    IReadOnlyDictionary<string, string>? CrossTenantBlockedReasons = null,
    IReadOnlyDictionary<string, string>? DefaultObjectMarkers = null,
    IReadOnlyDictionary<string, string>? BuiltInProperties = null,
    IReadOnlyDictionary<string, IReadOnlyList<string>>? NotWritableProperties = null,
    IReadOnlyDictionary<string, string>? DefaultObjectProperties = null,
    IReadOnlyDictionary<string, string>? FixedProperties = null)
{
    /// <summary>
    /// Whether the backed-up item may be written onto the target's object: the family's fixed property (an intent's
    /// template) is the same on both, or one of them does not say.
    /// </summary>
    public bool SameFixedValue(SourceItem item, TargetObject target) =>
        target.Fixed is null || FixedValue(item) is not { } own || string.Equals(own, target.Fixed, StringComparison.OrdinalIgnoreCase);

    /// <summary>The backed-up item's value of its family's fixed property, or null when the family has none or the item does not say.</summary>
    public string? FixedValue(SourceItem item) =>
        FixedProperties?.GetValueOrDefault(item.Family) is { } property && item.Content?[property] is JsonValue value && value.TryGetValue<string>(out var own)
            ? own
            : null;

    /// <summary>How the plan compares a family's objects: properties no write can set never count as a difference.</summary>
    public DiffOptions CompareOptions(string family) =>
        NotWritableProperties?.GetValueOrDefault(family) is { Count: > 0 } notWritable
            ? DiffOptions.Default with { IgnoredProperties = new HashSet<string>(notWritable, StringComparer.Ordinal) }
            : DiffOptions.Default;

    /// <summary>Whether the id is one of the tenant's built-in defaults of the family (only updatable).</summary>
    public bool IsTenantDefault(string family, string id) =>
        DefaultObjectMarkers?.GetValueOrDefault(family) is { } marker && id.Contains(marker, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether the backed-up item is its tenant's built-in default: by its id, or by the family's default property in its content.</summary>
    public bool IsTenantDefault(SourceItem item) =>
        IsTenantDefault(item.Family, item.GraphId)
        || (DefaultObjectProperties?.GetValueOrDefault(item.Family) is { } property
            && item.Content?[property] is JsonValue flag && flag.TryGetValue<bool>(out var isDefault) && isDefault);

    /// <summary>Whether an object of the target's listing is the target's built-in default of the family.</summary>
    public bool IsTenantDefault(string family, TargetObject target) => target.IsDefault || IsTenantDefault(family, target.Id);

    /// <summary>The blocked item's reason for a family TenantAtlas cannot restore.</summary>
    public string CannotRestore(string family, string verb) =>
        NotRestorableReasons?.GetValueOrDefault(family) is { } reason
            ? $"TenantAtlas cannot {verb} objects of the family '{family}': {reason}"
            : $"TenantAtlas cannot {verb} objects of the family '{family}'.";
}

/// <summary>An object a rollback deletes (a <see cref="RestoreDeletion"/>), as the plan sees it.</summary>
internal sealed record DeletionItem(long Id, string Family, string ObjectId, string DisplayName, string? ODataType, long CreatedByRunId);

/// <summary>
/// The names the dependency map resolves with. Groups: the source's from the source tenant's directory cache (id → name;
/// an id the cache does not know is absent), the target's live cached groups that have a referenced id, a referenced
/// name or a mapped id. Filters, scope tags, notification templates and reusable settings: what the plan read live (for a
/// same-tenant restore source = target; templates and reusable settings only when the selection names any).
/// </summary>
/// <param name="BackedUp">
/// Notification templates and reusable settings the request's backup set holds itself, by kind and id: their names when
/// the source tenant no longer has them, and the hint that the admin can restore them first.
/// </param>
internal sealed record ReferenceDirectory(
    IReadOnlyDictionary<string, string> SourceGroupNames,
    IReadOnlyList<NamedObject> TargetGroups,
    IReadOnlyList<NamedObject> SourceFilters,
    IReadOnlyList<NamedObject> TargetFilters,
    IReadOnlyList<NamedObject> SourceScopeTags,
    IReadOnlyList<NamedObject> TargetScopeTags,
    IReadOnlyList<NamedObject> ProtectedGroups)
{
    public static ReferenceDirectory Empty { get; } = new(new Dictionary<string, string>(), [], [], [], [], [], []);

    public IReadOnlyList<NamedObject> SourceNotificationTemplates { get; init; } = [];

    public IReadOnlyList<NamedObject> TargetNotificationTemplates { get; init; } = [];

    public IReadOnlyList<NamedObject> SourceReusableSettings { get; init; } = [];

    public IReadOnlyList<NamedObject> TargetReusableSettings { get; init; } = [];

    public IReadOnlyDictionary<(ReferenceKind Kind, string Id), string> BackedUp { get; init; } = new Dictionary<(ReferenceKind Kind, string Id), string>();

    /// <summary>The backup set's own object of that kind and id (its name), if the set holds one.</summary>
    public string? BackedUpName(ReferenceKind kind, string id) =>
        BackedUp.TryGetValue((kind, id.ToLowerInvariant()), out var name) ? name : null;
}

/// <summary>How one selected item was matched before its target object is read in full.</summary>
/// <param name="Verdict">Set when matching already decided the action (blocked or conflict): nothing more is read for it.</param>
internal sealed record ItemMatch(SourceItem Item, PlanMatch Match, TargetObject? Target, IReadOnlyList<PlanCandidate> Candidates, PlanAction? Verdict = null, string? Reason = null);

/// <summary>What a plan found: its items (not yet attached to a plan) and its dependency map.</summary>
internal sealed record PlanOutcome(IReadOnlyList<RestorePlanItem> Items, IReadOnlyList<PlanReference> References)
{
    public int Count(PlanAction action) => Items.Count(i => i.Action == action);
}
