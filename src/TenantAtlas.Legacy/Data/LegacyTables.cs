using NpgsqlTypes;

namespace TenantAtlas.Legacy.Data;

/// <summary>A column of an old system's table as the importer copies it: its name and PostgreSQL type.</summary>
internal sealed record LegacyColumn(string Name, NpgsqlDbType Type, bool Required = false);

/// <summary>
/// One table of the old system, in its shape (docs/modules/legacy.md is the importer's contract): the same name in the old
/// database (schema <c>public</c>), in <c>legacy</c> here, and as <c>NAME.csv</c> for <c>--csv</c>.
/// </summary>
internal sealed record LegacyTable(string Name, string OperationType, IReadOnlyList<LegacyColumn> Columns, string? CountsNote = null)
{
    public bool IsRunTable => Name != LegacyTables.Tenants.Name;

    public string ColumnList => string.Join(", ", Columns.Select(c => c.Name));
}

internal static class LegacyTables
{
    private static readonly LegacyColumn[] RunCommon =
    [
        new("id", NpgsqlDbType.Bigint, Required: true),
        new("tenant_id", NpgsqlDbType.Bigint, Required: true),
        new("status", NpgsqlDbType.Varchar),
        new("started_at", NpgsqlDbType.Timestamp),
        new("finished_at", NpgsqlDbType.Timestamp),
        new("error_message", NpgsqlDbType.Text),
        new("triggered_by_user_id", NpgsqlDbType.Bigint),
        new("user_email", NpgsqlDbType.Varchar),
        new("created_at", NpgsqlDbType.Timestamp),
        new("updated_at", NpgsqlDbType.Timestamp),
    ];

    /// <summary>The old system's tenants: only what maps them (their Entra tenant id) and their name for the report.</summary>
    public static readonly LegacyTable Tenants = new("tenants", "",
    [
        new("id", NpgsqlDbType.Bigint, Required: true),
        new("name", NpgsqlDbType.Varchar),
        new("entra_tenant_id", NpgsqlDbType.Varchar),
        new("created_at", NpgsqlDbType.Timestamp),
        new("updated_at", NpgsqlDbType.Timestamp),
    ]);

    public static readonly LegacyTable InventorySyncRuns = new("inventory_sync_runs", "inventory.sync",
        [.. RunCommon, new("items_synced", NpgsqlDbType.Integer), new("items_failed", NpgsqlDbType.Integer)]);

    public static readonly LegacyTable EntraGroupSyncRuns = new("entra_group_sync_runs", "directory_groups.sync",
        [.. RunCommon, new("groups_synced", NpgsqlDbType.Integer), new("groups_deleted", NpgsqlDbType.Integer)]);

    public static readonly LegacyTable BackupScheduleRuns = new("backup_schedule_runs", "backup_schedule.scheduled",
    [
        .. RunCommon, new("backup_schedule_id", NpgsqlDbType.Bigint, Required: true), new("scheduled_for", NpgsqlDbType.Timestamp),
        new("items_backed_up", NpgsqlDbType.Integer), new("items_failed", NpgsqlDbType.Integer),
    ]);

    /// <summary>Execution columns only: the restore request is a domain record of the Restore module, linked by id when it exists.</summary>
    public static readonly LegacyTable RestoreRuns = new("restore_runs", "restore.execute",
        [.. RunCommon, new("restore_request_id", NpgsqlDbType.Uuid), new("items_restored", NpgsqlDbType.Integer), new("items_failed", NpgsqlDbType.Integer)]);

    public static readonly LegacyTable RoleDefinitionSyncRuns = new("role_definition_sync_runs", "directory_role_definitions.sync",
        [.. RunCommon, new("roles_synced", NpgsqlDbType.Integer)]);

    /// <summary>The five run tables, in the order they are imported and backfilled.</summary>
    public static readonly IReadOnlyList<LegacyTable> RunTables = [InventorySyncRuns, EntraGroupSyncRuns, BackupScheduleRuns, RestoreRuns, RoleDefinitionSyncRuns];

    /// <summary>Everything the importer copies: the tenants first (the run tables' rows are mapped through them).</summary>
    public static readonly IReadOnlyList<LegacyTable> All = [Tenants, .. RunTables];

    public static LegacyTable? Find(string name) => All.FirstOrDefault(t => t.Name == name);
}
