using System.Text.Json;
using System.Text.Json.Serialization;
using TenantAtlas.Restore.Contracts;

namespace TenantAtlas.Restore.Planning;

/// <summary>How a referenced group, assignment filter, scope tag, notification template or reusable setting of the source was resolved in the target.</summary>
internal enum ReferenceResolution
{
    /// <summary>The target has an object with the same id (same-tenant restore).</summary>
    SameId,

    /// <summary>Exactly one object of the target has the source object's display name.</summary>
    UniqueName,

    /// <summary>The admin mapped it (a stored, audited choice).</summary>
    Mapped,

    /// <summary>The admin dropped what uses it (assignments, the scope tag, the notification action, the reference value).</summary>
    Dropped,

    /// <summary>No object of the target matches: blocks the assignments that use it.</summary>
    Unresolved,

    /// <summary>Several objects of the target have the name: blocks until the admin maps it.</summary>
    Ambiguous,
}

/// <summary>One entry of a plan's dependency map (stored in <c>restore_plans.references</c>).</summary>
/// <param name="SourceDisplayName">The name in the source tenant (null when the source no longer knows the id).</param>
/// <param name="UsedBy">How many selected items reference it.</param>
/// <param name="InBackupSet">
/// The request's backup set holds the referenced object itself (a notification template, a reusable setting): the admin
/// can restore it into the target first and plan again.
/// </param>
internal sealed record PlanReference(
    ReferenceKind Kind,
    string SourceId,
    string? SourceDisplayName,
    ReferenceResolution Resolution,
    string? TargetId,
    string? TargetDisplayName,
    IReadOnlyList<PlanCandidate> Candidates,
    int UsedBy,
    bool InBackupSet = false)
{
    [JsonIgnore]
    public bool Blocks => Resolution is ReferenceResolution.Unresolved or ReferenceResolution.Ambiguous;
}

/// <summary>An object of the target a match or a reference could mean.</summary>
internal sealed record PlanCandidate(string Id, string DisplayName, DateTimeOffset? LastModifiedAt = null);

/// <summary>A reference that blocks an item (its assignments, scope tags or content).</summary>
internal sealed record PlanBlocker(ReferenceKind Kind, string SourceId);

/// <summary>A named object of a tenant (protected group, assignment filter, scope tag, notification template, reusable setting).</summary>
internal sealed record NamedObject(string Id, string DisplayName, string? Platform = null);

/// <summary>The one spelling of the plan's jsonb columns.</summary>
internal static class PlanJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);

    /// <summary>Reads a stored column; a value of another shape reads as <paramref name="fallback"/> instead of failing a page.</summary>
    public static T Read<T>(string? json, T fallback)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return fallback;
        }

        try
        {
            return JsonSerializer.Deserialize<T>(json, Options) ?? fallback;
        }
        catch (JsonException)
        {
            return fallback;
        }
    }
}
