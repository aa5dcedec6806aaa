namespace TenantAtlas.GraphEmulator;

/// <summary>
/// What an emulated tenant is: its identity, the one app registration that may sign in to it, the
/// application permissions granted to that app, and the size and seed of its generated data.
/// The same spec (and seed) always produces the same data.
/// </summary>
public sealed class TenantSpec
{
    /// <summary>The directory (tenant) id; a GUID like Entra ID's.</summary>
    public string TenantId { get; set; } = "";

    public string? DisplayName { get; set; }

    /// <summary>Initial domain, e.g. contoso.onmicrosoft.com; the token endpoint accepts it in place of the id.</summary>
    public string? Domain { get; set; }

    /// <summary>Application (client) id of the app registration.</summary>
    public string AppId { get; set; } = "";

    public string AppSecret { get; set; } = "";

    /// <summary>Granted application permissions; null grants <see cref="Graph.GraphPermissions.Default"/>.</summary>
    public List<string>? Permissions { get; set; }

    public int Seed { get; set; } = 1;

    public int Groups { get; set; } = 20;

    /// <summary>Policies spread over the policy families (device configurations, settings catalog, …).</summary>
    public int Policies { get; set; } = 40;

    /// <summary>Exact counts per family (e.g. {"configurationPolicies": 2000}); they win over <see cref="Policies"/>.</summary>
    public Dictionary<string, int>? FamilyCounts { get; set; }

    public int AssignmentFilters { get; set; } = 4;

    /// <summary>Scope tags besides the built-in "0" (Default).</summary>
    public int ScopeTags { get; set; } = 3;

    /// <summary>Custom Intune role definitions besides the built-in ones.</summary>
    public int CustomRoleDefinitions { get; set; } = 2;

    /// <summary>How many groups reuse an earlier group's display name (real tenants have such duplicates).</summary>
    public int DuplicateGroupNames { get; set; }

    public TenantSpec Clone()
    {
        var copy = (TenantSpec)MemberwiseClone();
        copy.Permissions = Permissions is null ? null : [.. Permissions];
        copy.FamilyCounts = FamilyCounts is null ? null : new Dictionary<string, int>(FamilyCounts, StringComparer.Ordinal);
        return copy;
    }
}
