using System.Text.Json.Nodes;
using TenantAtlas.Operations.Contracts;

namespace TenantAtlas.Operations.Runs;

/// <summary>
/// The one place a run's identity is decided (rule 3): the key the database's unique indexes compare, and the source it
/// was computed from (stored as jsonb, shown by the viewer). Every insert — a start, a scheduler tick, a backfill — takes
/// its identity from here.
/// </summary>
internal readonly record struct RunIdentity(IdentityRule Rule, string Key, string Source)
{
    /// <summary>Dedupe per (type, tenant): syncs and backups started by hand.</summary>
    public static RunIdentity PerTenant(string type, Guid tenantId) =>
        new(IdentityRule.Dedupe, $"{type}|tenant:{tenantId}", SourceOf(("type", type), ("tenant_id", tenantId.ToString())));

    /// <summary>Dedupe per (type, restore request): one active restore per request.</summary>
    public static RunIdentity PerRestoreRequest(string type, Guid restoreRequestId) =>
        new(IdentityRule.Dedupe, $"{type}|restore_request:{restoreRequestId}", SourceOf(("type", type), ("restore_request_id", restoreRequestId.ToString())));

    /// <summary>Dedupe per (type, workspace): one active workspace-wide run (a legacy backfill).</summary>
    public static RunIdentity PerWorkspace(string type, Guid workspaceId) =>
        new(IdentityRule.Dedupe, $"{type}|workspace:{workspaceId}", SourceOf(("type", type), ("workspace_id", workspaceId.ToString())));

    /// <summary>Strict per schedule slot: one run ever per (schedule, intended fire time in UTC), whatever its status.</summary>
    public static RunIdentity PerSlot(string type, Guid scheduleId, DateTimeOffset scheduledFor)
    {
        var utc = scheduledFor.ToUniversalTime();
        return new(IdentityRule.StrictSchedule, $"{type}|schedule:{scheduleId}|{utc:O}", SourceOf(("schedule_id", scheduleId.ToString()), ("scheduled_for", utc.ToString("O"))));
    }

    /// <summary>A fresh identity per click: every start is its own run.</summary>
    public static RunIdentity PerClick(string type, DateTimeOffset now)
    {
        var click = Guid.CreateVersion7(now);
        return new(IdentityRule.UniquePerClick, $"{type}|click:{click}", SourceOf(("type", type), ("click", click.ToString())));
    }

    /// <summary>
    /// A run backfilled from a row of the old system that has no identity of its type's rule (a schedule run whose slot is
    /// held by an earlier row, a restore without its request): keyed by the legacy row, so it stays one run ever.
    /// </summary>
    public static RunIdentity PerLegacyRow(string type, string table, long id) =>
        new(IdentityRule.UniquePerClick, $"{type}|legacy:{table}:{id}", SourceOf(("legacy_table", table), ("legacy_id", id.ToString(System.Globalization.CultureInfo.InvariantCulture))));

    /// <summary>
    /// The identity of a start of <paramref name="definition"/>, or the reason the request cannot have one (a restore
    /// without its request, a scheduled run without its slot).
    /// </summary>
    public static (RunIdentity Identity, string? Error) Of(OperationTypeDefinition definition, Guid tenantId, Guid? restoreRequestId, Guid? scheduleId, DateTimeOffset? scheduledFor, DateTimeOffset now) =>
        definition.IdentityRule switch
        {
            IdentityRule.Dedupe when definition.DedupeScope == DedupeScope.RestoreRequest => restoreRequestId is { } restore
                ? (PerRestoreRequest(definition.Key, restore), null)
                : (default, "A restore needs its restore request id."),
            IdentityRule.Dedupe when definition.DedupeScope == DedupeScope.Workspace => (default, "A workspace-wide run is started for its workspace, without a tenant."),
            IdentityRule.Dedupe => (PerTenant(definition.Key, tenantId), null),
            IdentityRule.StrictSchedule => scheduleId is { } schedule && scheduledFor is { } at
                ? (PerSlot(definition.Key, schedule, at), null)
                : (default, "A scheduled run needs its schedule id and intended fire time."),
            _ => (PerClick(definition.Key, now), null),
        };

    private static string SourceOf(params (string Key, string Value)[] parts) =>
        new JsonObject(parts.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)JsonValue.Create(p.Value)))).ToJsonString();
}
