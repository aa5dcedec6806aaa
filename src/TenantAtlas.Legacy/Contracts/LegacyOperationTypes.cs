using TenantAtlas.Access.Contracts;
using TenantAtlas.Operations.Contracts;

namespace TenantAtlas.Legacy.Contracts;

/// <summary>The Legacy module's operation type: the backfill of one workspace's legacy history, started by the system only.</summary>
public static class LegacyOperationTypes
{
    public const string Backfill = "legacy.backfill";

    /// <summary>Summary key: legacy rows whose old tenant maps to no tenant (they wait for a later backfill).</summary>
    public const string UnmappedKey = "unmapped";

    /// <summary>One active per workspace; its runs are seen by those who manage the workspace (owners).</summary>
    public static OperationTypeDefinition Definition { get; } = new(
        Backfill, "Legacy backfill", IdentityRule.Dedupe, Capability.WorkspaceMembersManage, UserStartable: false,
        DedupeScope: DedupeScope.Workspace, ExtraSummaryKeys: [UnmappedKey]);
}
