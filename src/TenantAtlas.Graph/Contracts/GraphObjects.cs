using System.Text.Json.Nodes;

namespace TenantAtlas.Graph.Contracts;

/// <summary>An Entra group as the directory cache keeps it.</summary>
public sealed record GraphGroup(string Id, string? DisplayName, IReadOnlyList<string> GroupTypes, bool? SecurityEnabled, bool? MailEnabled)
{
    public bool IsMicrosoft365 => GroupTypes.Contains("Unified", StringComparer.OrdinalIgnoreCase);

    public bool IsDynamic => GroupTypes.Contains("DynamicMembership", StringComparer.OrdinalIgnoreCase);

    public string? Description { get; init; }

    /// <summary>The group's SMTP address (mail-enabled groups only).</summary>
    public string? Mail { get; init; }
}

/// <summary>A group a delta read reports as removed: <c>changed</c> (soft-deleted, restorable) or <c>deleted</c> (permanently).</summary>
public sealed record GraphRemovedGroup(string Id, string Reason);

/// <summary>
/// One page of a groups read. <see cref="IsFullSync"/> says whether the read lists every group (no delta link given)
/// or only changes. <see cref="DeltaLink"/> is set on the last page only.
/// </summary>
public sealed record GraphGroupPage(IReadOnlyList<GraphGroup> Groups, IReadOnlyList<GraphRemovedGroup> Removed, bool IsFullSync, string? DeltaLink)
{
    public bool IsLast => DeltaLink is not null;
}

/// <summary>An Intune role definition (<c>#microsoft.graph.deviceAndAppManagementRoleDefinition</c>).</summary>
public sealed record GraphRoleDefinition(string Id, string DisplayName, string? Description, bool IsBuiltIn, string? ODataType, JsonObject Raw);

/// <summary>
/// An object from a family listing: identity, the name shown in pickers (settings catalog's <c>name</c>, elsewhere
/// <c>displayName</c>), its <c>@odata.type</c> as listed (keep it: restore needs it), and the listed JSON.
/// </summary>
public sealed record GraphObjectSummary(string ResourceKey, string Id, string DisplayName, string? ODataType, DateTimeOffset? LastModifiedDateTime, JsonObject Raw);

/// <summary>One Graph page of a family listing (page numbers start at 1).</summary>
public sealed record GraphObjectPage(string ResourceKey, int PageNumber, IReadOnlyList<GraphObjectSummary> Items);

/// <summary>
/// A policy as a backup stores it. <see cref="Content"/> is the object as Graph returned it without OData annotations
/// other than <c>@odata.type</c>, with the family's navigation collections included (<c>settings</c>,
/// <c>scheduledActionsForRule</c>, <c>definitionValues</c> with <c>definition</c> and <c>presentationValues</c>) — every
/// item of them: nextLinks inside an expanded collection are followed; assignments are kept apart in
/// <see cref="Assignments"/>. Values Graph serves encrypted (encrypted OMA-URI values: <see cref="Content"/> holds Intune's
/// encrypted blob there, as served) are read in clear and kept in <see cref="ProtectedValues"/>, protected.
/// </summary>
public sealed record GraphPolicyDetail(string ResourceKey, string Id, string DisplayName, string? ODataType, JsonObject Content, IReadOnlyList<JsonObject> Assignments)
{
    public IReadOnlyList<GraphProtectedValue> ProtectedValues { get; init; } = [];
}

/// <summary>
/// A secret value of a policy (the clear text of an encrypted OMA-URI value, read with
/// <c>getOmaSettingPlainTextValue</c>), protected with Data Protection (<see cref="GraphSecretProtection.Purpose"/>) the
/// moment it was read: only the Graph module unprotects it, to write it back. <see cref="Path"/> is a JSON Pointer into the
/// policy's content ("/omaSettings/2/value").
/// </summary>
public sealed record GraphProtectedValue(string Path, string ProtectedValue)
{
    /// <summary>Never print the protected payload either.</summary>
    public override string ToString() => $"GraphProtectedValue {{ Path = {Path}, ProtectedValue = *** }}";
}

public static class GraphSecretProtection
{
    /// <summary>The Data Protection purpose of policy secrets (keys shared through PostgreSQL, like tenant client secrets).</summary>
    public const string Purpose = "TenantAtlas.Graph.PolicySecret.v1";

}
