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

    /// <summary>
    /// How many items an expanded collection (<c>$expand=settings</c>, <c>$expand=assignments</c>) and a page of its own
    /// navigation read (<c>{id}/settings</c>, <c>{id}/assignments</c>) carry; beyond that Graph pages them with
    /// <c>settings@odata.nextLink</c> / <c>assignments@odata.nextLink</c> inside the item. The emulator's choice (Microsoft
    /// documents no size); a real tenant's seeded objects stay below it unless <see cref="OversizedPolicies"/> says otherwise.
    /// </summary>
    public int ExpandedPageSize { get; set; } = 25;

    /// <summary>
    /// How many of the seeded settings catalog policies (the first ones) get more settings and assignments than one
    /// expanded page holds (assignments need enough groups: one per group, plus all devices).
    /// </summary>
    public int OversizedPolicies { get; set; }

    /// <summary>
    /// Families (e.g. "deviceConfigurations") a Multi Admin Approval access policy protects in this tenant: every
    /// app-only write to them (create, update, delete, assign) is refused until approved, reads pass.
    /// </summary>
    public List<string>? ApprovalProtectedFamilies { get; set; }

    /// <summary>
    /// Intune's service limit on all calls of this tenant per <see cref="LimitWindowSeconds"/> (documented: 1,000 per 20 s
    /// per app); beyond it the emulator answers 429 with Retry-After. Null: no limit (tests script 429s with faults).
    /// </summary>
    public int? RequestLimit { get; set; }

    /// <summary>Intune's service limit on writes (POST, PATCH, PUT, DELETE) per window (documented: 100 per 20 s per app). Null: no limit.</summary>
    public int? WriteLimit { get; set; }

    public int LimitWindowSeconds { get; set; } = 20;

    /// <summary>
    /// Conditional Access policies and named locations: calls per second for the tenant (documented: 1 per second for
    /// all apps, answered 429 without Retry-After); separate from the Intune limits. Null: no limit.
    /// </summary>
    public int? ConditionalAccessLimitPerSecond { get; set; }

    /// <summary>Conditional Access policies seeded (they reference the tenant's groups and named locations).</summary>
    public int ConditionalAccessPolicies { get; set; } = 4;

    /// <summary>Named locations seeded (IP ranges and countries).</summary>
    public int NamedLocations { get; set; } = 3;

    /// <summary>
    /// Enrollment configurations seeded: the first four are the tenant's defaults (enrollment status page, device limit,
    /// platform restrictions, Windows Hello; priority 0, unassigned), the rest its own configurations of those kinds.
    /// </summary>
    public int EnrollmentConfigurations { get; set; } = 6;

    /// <summary>
    /// Endpoint security intents seeded, each made from one of the tenant's templates (every tenant has the emulator's
    /// template catalog unless <see cref="FamilyCounts"/> names fewer "templates").
    /// </summary>
    public int Intents { get; set; } = 4;

    /// <summary>Settings catalog reusable settings seeded (firewall address groups, device control, Linux discovery scripts).</summary>
    public int ReusablePolicySettings { get; set; } = 3;

    /// <summary>Terms and conditions seeded (assigned like policies, one by one).</summary>
    public int TermsAndConditions { get; set; } = 2;

    /// <summary>Notification message templates seeded, each with one to three localized messages.</summary>
    public int NotificationMessageTemplates { get; set; } = 3;

    /// <summary>Branding profiles seeded: the first is the tenant's default (isDefaultProfile, unassigned), the rest its own.</summary>
    public int BrandingProfiles { get; set; } = 2;

    /// <summary>Windows app protection policies seeded (MAM for Edge).</summary>
    public int WindowsAppProtections { get; set; } = 2;

    /// <summary>Windows Information Protection policies seeded, of each kind (without and with enrollment); retired by Microsoft, still found in tenants.</summary>
    public int InformationProtectionPolicies { get; set; } = 1;

    /// <summary>Policy sets seeded, each bundling a few of the tenant's configurations, compliance policies, apps and app protection.</summary>
    public int PolicySets { get; set; } = 2;

    /// <summary>
    /// Intune's built-in apps among the tenant's apps (Microsoft's managed store apps every tenant has: appAvailability
    /// "global", unassigned), on top of the apps the policies share gives mobileApps.
    /// </summary>
    public int BuiltInApps { get; set; } = 4;

    public TenantSpec Clone()
    {
        var copy = (TenantSpec)MemberwiseClone();
        copy.Permissions = Permissions is null ? null : [.. Permissions];
        copy.ApprovalProtectedFamilies = ApprovalProtectedFamilies is null ? null : [.. ApprovalProtectedFamilies];
        copy.FamilyCounts = FamilyCounts is null ? null : new Dictionary<string, int>(FamilyCounts, StringComparer.Ordinal);
        return copy;
    }
}
