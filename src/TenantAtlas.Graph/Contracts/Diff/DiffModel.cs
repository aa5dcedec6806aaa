using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace TenantAtlas.Graph.Contracts.Diff;

/// <summary>What happened to a field (or an assignment) between the <c>before</c> and the <c>after</c> side.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FieldChangeKind>))]
public enum FieldChangeKind
{
    /// <summary>Present on both sides with different values.</summary>
    Changed,

    /// <summary>Only on the <c>after</c> side (for a restore plan: the restore adds it).</summary>
    Added,

    /// <summary>Only on the <c>before</c> side (for a restore plan: the target has it, the backup does not).</summary>
    Removed,
}

/// <summary>
/// One difference. <see cref="Path"/> is for people (<c>settings[defender › allowrealtimemonitoring].value</c>,
/// <c>scheduledActionsForRule[PasswordRequired].scheduledActionConfigurations[block].gracePeriodHours</c>);
/// <see cref="Locator"/> is a stable key of the same place built from raw property names, element keys and 0-based
/// positions joined by <c>/</c> (escaped like a JSON Pointer, but an element is named by its key, not its index).
/// <see cref="Before"/>/<see cref="After"/> are the values with volatile fields stripped; <c>null</c> on the side
/// where an added/removed field is missing (or where the value is JSON <c>null</c>).
/// </summary>
public sealed record FieldChange(string Path, string Locator, FieldChangeKind Kind, JsonNode? Before, JsonNode? After)
{
    /// <summary>The before value, folded to one short line (<see cref="DiffPreview.Fold"/>).</summary>
    [JsonIgnore]
    public string BeforePreview => Kind == FieldChangeKind.Added ? DiffPreview.Absent : DiffPreview.Fold(Before);

    /// <summary>The after value, folded to one short line.</summary>
    [JsonIgnore]
    public string AfterPreview => Kind == FieldChangeKind.Removed ? DiffPreview.Absent : DiffPreview.Fold(After);
}

/// <summary>The field-level differences of two objects, in document order (before's order, then what only after has).</summary>
public sealed record ObjectDiff(IReadOnlyList<FieldChange> Changes)
{
    public static ObjectDiff Identical { get; } = new([]);

    [JsonIgnore]
    public bool IsIdentical => Changes.Count == 0;
}

/// <summary>
/// Who an assignment targets, as read from <c>target</c>: <see cref="TargetType"/> is the target's <c>@odata.type</c>
/// without <c>#microsoft.graph.</c> (<c>groupAssignmentTarget</c>, <c>exclusionGroupAssignmentTarget</c>,
/// <c>allDevicesAssignmentTarget</c>, <c>allLicensedUsersAssignmentTarget</c>…); the group and filter are ids of the
/// tenant the assignment was read from. <see cref="FilterType"/> is <c>none</c> when no filter is set.
/// </summary>
public sealed record AssignmentTarget(string TargetType, string? GroupId, string? FilterId, string FilterType, string? Intent)
{
    public bool IsExclusion => TargetType.StartsWith("exclusion", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads the target of one assignment object (<c>{ id, intent?, target: { @odata.type, groupId?, … } }</c>).</summary>
    public static AssignmentTarget From(JsonObject assignment)
    {
        var target = assignment["target"] as JsonObject;
        var type = JsonValues.Text(target?["@odata.type"]) ?? "";
        var filterId = JsonValues.Text(target?["deviceAndAppManagementAssignmentFilterId"]);
        var filterType = JsonValues.Text(target?["deviceAndAppManagementAssignmentFilterType"]);
        return new AssignmentTarget(
            ShortType(type),
            JsonValues.Text(target?["groupId"]) is { Length: > 0 } group ? group : null,
            filterId is { Length: > 0 } ? filterId : null,
            filterType is { Length: > 0 } ? filterType : "none",
            JsonValues.Text(assignment["intent"]));
    }

    internal static string ShortType(string odataType)
    {
        var type = odataType.TrimStart('#');
        return type.StartsWith("microsoft.graph.", StringComparison.Ordinal) ? type["microsoft.graph.".Length..] : type;
    }
}

/// <summary>
/// One assignment that differs. Assignments are matched by who they target (<see cref="AssignmentTarget.TargetType"/> +
/// group id); the filter, its type, the intent and anything else on a matched pair are compared field by field, so a
/// changed filter or intent is <see cref="FieldChangeKind.Changed"/> with the fields in <see cref="Fields"/>
/// (paths like <c>target.deviceAndAppManagementAssignmentFilterId</c>, <c>intent</c>).
/// </summary>
public sealed record AssignmentChange(FieldChangeKind Kind, AssignmentTarget Target, JsonObject? Before, JsonObject? After, IReadOnlyList<FieldChange> Fields);

/// <summary>The assignment differences of one object, removed/changed in before's order, then added in after's order.</summary>
public sealed record AssignmentDiff(IReadOnlyList<AssignmentChange> Changes)
{
    public static AssignmentDiff Identical { get; } = new([]);

    [JsonIgnore]
    public bool IsIdentical => Changes.Count == 0;
}

/// <summary>One object of a set to compare (a backup item, or an object read live): identity, name, content, assignments.</summary>
public sealed record DiffItem(string ResourceKey, string Id, string DisplayName, JsonObject Content, JsonArray? Assignments = null);

[JsonConverter(typeof(JsonStringEnumConverter<ItemChangeKind>))]
public enum ItemChangeKind
{
    Identical,
    Changed,
    Added,
    Removed,
}

/// <summary>
/// One item of a set comparison. For <see cref="ItemChangeKind.Added"/>/<see cref="ItemChangeKind.Removed"/> the
/// diffs are empty; <see cref="DisplayName"/> is after's name when the item exists there.
/// </summary>
public sealed record ItemDiff(string ResourceKey, string Id, string DisplayName, ItemChangeKind Kind, ObjectDiff Content, AssignmentDiff Assignments);
