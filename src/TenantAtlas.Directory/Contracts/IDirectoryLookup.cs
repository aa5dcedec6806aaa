namespace TenantAtlas.Directory.Contracts;

/// <summary>
/// Read access to a tenant's cached directory (Entra groups, Intune role definitions) for every module and page. Answers
/// from the database only — never a Graph call; fresh data comes from the sync operations. The caller has already checked
/// that its user may view the tenant.
/// </summary>
public interface IDirectoryLookup
{
    /// <summary>
    /// Groups whose display name starts with or contains <paramref name="text"/> (case-insensitive), prefix matches first,
    /// then by name. Empty text lists groups by name. Deleted groups only when asked.
    /// </summary>
    Task<IReadOnlyList<DirectoryGroup>> SearchGroupsAsync(Guid tenantId, string? text, int take = 20, bool includeDeleted = false, CancellationToken cancellationToken = default);

    /// <summary>A page of the groups grid (server-side search, sort and paging).</summary>
    Task<DirectoryGroupPage> ListGroupsAsync(Guid tenantId, DirectoryGroupQuery query, CancellationToken cancellationToken = default);

    /// <summary>A label for every id asked for; ids missing from the cache get <see cref="DirectoryLabels.UnknownGroup"/>.</summary>
    Task<IReadOnlyDictionary<string, DirectoryLabel>> GetGroupLabelsAsync(Guid tenantId, IEnumerable<string> groupIds, CancellationToken cancellationToken = default);

    /// <summary>
    /// The cached groups with these ids (deleted ones too, marked so; ids the cache does not know are absent). A restore
    /// plan reads the source's names and whether the target still has a group this way.
    /// </summary>
    Task<IReadOnlyList<DirectoryGroup>> GetGroupsAsync(Guid tenantId, IEnumerable<string> groupIds, CancellationToken cancellationToken = default);

    /// <summary>
    /// The live (not deleted) cached groups whose display name is exactly one of <paramref name="displayNames"/>
    /// (ordinal, case-sensitive), by name then id: several for one name means the name is ambiguous in the tenant.
    /// </summary>
    Task<IReadOnlyList<DirectoryGroup>> FindGroupsByDisplayNamesAsync(Guid tenantId, IEnumerable<string> displayNames, CancellationToken cancellationToken = default);

    /// <summary>Intune role definitions, built-in first, then by name.</summary>
    Task<IReadOnlyList<DirectoryRoleDefinition>> ListRoleDefinitionsAsync(Guid tenantId, bool includeDeleted = false, CancellationToken cancellationToken = default);

    /// <summary>A label for every id asked for; ids missing from the cache get <see cref="DirectoryLabels.UnknownRoleDefinition"/>.</summary>
    Task<IReadOnlyDictionary<string, DirectoryLabel>> GetRoleDefinitionLabelsAsync(Guid tenantId, IEnumerable<string> roleDefinitionIds, CancellationToken cancellationToken = default);

    /// <summary>How much is cached and "as of" when: the last completed sync of each kind.</summary>
    Task<DirectoryStatus> GetStatusAsync(Guid tenantId, CancellationToken cancellationToken = default);

    /// <summary>The tenant's directory configuration (protected groups, delegated-admin role); empty when never saved.</summary>
    Task<TenantDirectorySettings> GetSettingsAsync(Guid tenantId, CancellationToken cancellationToken = default);
}

/// <summary>A cached Entra group. Groups that vanished from the tenant are kept, marked deleted.</summary>
public sealed record DirectoryGroup(
    string Id,
    string DisplayName,
    string? Description,
    string? Mail,
    bool SecurityEnabled,
    bool MailEnabled,
    IReadOnlyList<string> GroupTypes,
    DateTimeOffset LastSeenAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? DeletedAt)
{
    public bool IsDeleted => DeletedAt is not null;

    public bool IsMicrosoft365 => GroupTypes.Contains("Unified", StringComparer.OrdinalIgnoreCase);

    public bool IsDynamic => GroupTypes.Contains("DynamicMembership", StringComparer.OrdinalIgnoreCase);

    /// <summary>What an admin calls it: Microsoft 365, mail-enabled security, security or distribution; dynamic when so.</summary>
    public string Kind
    {
        get
        {
            var kind = IsMicrosoft365 ? "Microsoft 365" : SecurityEnabled && MailEnabled ? "Mail-enabled security" : SecurityEnabled ? "Security" : MailEnabled ? "Distribution" : "Other";
            return IsDynamic ? kind + " (dynamic)" : kind;
        }
    }
}

/// <summary>A cached Intune RBAC role definition.</summary>
public sealed record DirectoryRoleDefinition(string Id, string DisplayName, string? Description, bool IsBuiltIn, bool IsDeleted, DateTimeOffset UpdatedAt);

/// <summary>How to show a referenced object: its cached name, or "Unknown group (id)" when the cache does not know it.</summary>
public sealed record DirectoryLabel(string Id, string Text, bool Known, bool IsDeleted);

public static class DirectoryLabels
{
    public static string UnknownGroup(string id) => $"Unknown group ({id})";

    public static string UnknownRoleDefinition(string id) => $"Unknown role definition ({id})";
}

public enum DirectoryGroupSort
{
    DisplayName,
    Kind,
    UpdatedAt,
}

/// <summary>The groups grid's request. <see cref="Search"/> matches name, mail or id (case-insensitive substring).</summary>
public sealed record DirectoryGroupQuery(string? Search = null, bool IncludeDeleted = false, int Skip = 0, int Take = 50, DirectoryGroupSort SortBy = DirectoryGroupSort.DisplayName, bool Descending = false);

public sealed record DirectoryGroupPage(IReadOnlyList<DirectoryGroup> Items, int TotalCount);

/// <summary>
/// What the cache holds and as of when. <c>…AsOf</c> is the completion of the last successful sync of that kind (null: never
/// synced); <c>…RunId</c> the run that did it.
/// </summary>
public sealed record DirectoryStatus(
    long Groups,
    long DeletedGroups,
    DateTimeOffset? GroupsAsOf,
    long? GroupsRunId,
    long RoleDefinitions,
    DateTimeOffset? RoleDefinitionsAsOf,
    long? RoleDefinitionsRunId);

/// <summary>
/// A tenant's directory configuration: groups that restores must never strip from assignments, and the Intune role the
/// tenant's delegated admins should hold. Ids are Graph object ids.
/// </summary>
public sealed record TenantDirectorySettings(IReadOnlyList<string> ProtectedGroupIds, string? DelegatedAdminRoleDefinitionId)
{
    public static TenantDirectorySettings Empty { get; } = new([], null);

    public DateTimeOffset? UpdatedAt { get; init; }

    public string? UpdatedBy { get; init; }
}
