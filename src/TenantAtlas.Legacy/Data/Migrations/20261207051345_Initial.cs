using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TenantAtlas.Legacy.Data.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        private static readonly string[] ReadOnlyTables =
            ["tenants", "tenant_mappings", "inventory_sync_runs", "entra_group_sync_runs", "backup_schedule_runs", "restore_runs", "role_definition_sync_runs"];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "legacy");

            migrationBuilder.CreateTable(
                name: "backup_schedule_runs",
                schema: "legacy",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false),
                    backup_schedule_id = table.Column<long>(type: "bigint", nullable: false),
                    scheduled_for = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    items_backed_up = table.Column<int>(type: "integer", nullable: true),
                    items_failed = table.Column<int>(type: "integer", nullable: true),
                    tenant_id = table.Column<long>(type: "bigint", nullable: false),
                    status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    started_at = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    finished_at = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    error_message = table.Column<string>(type: "text", nullable: true),
                    triggered_by_user_id = table.Column<long>(type: "bigint", nullable: true),
                    user_email = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    updated_at = table.Column<DateTime>(type: "timestamp without time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_backup_schedule_runs", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "entra_group_sync_runs",
                schema: "legacy",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false),
                    groups_synced = table.Column<int>(type: "integer", nullable: true),
                    groups_deleted = table.Column<int>(type: "integer", nullable: true),
                    tenant_id = table.Column<long>(type: "bigint", nullable: false),
                    status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    started_at = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    finished_at = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    error_message = table.Column<string>(type: "text", nullable: true),
                    triggered_by_user_id = table.Column<long>(type: "bigint", nullable: true),
                    user_email = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    updated_at = table.Column<DateTime>(type: "timestamp without time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_entra_group_sync_runs", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "inventory_sync_runs",
                schema: "legacy",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false),
                    items_synced = table.Column<int>(type: "integer", nullable: true),
                    items_failed = table.Column<int>(type: "integer", nullable: true),
                    tenant_id = table.Column<long>(type: "bigint", nullable: false),
                    status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    started_at = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    finished_at = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    error_message = table.Column<string>(type: "text", nullable: true),
                    triggered_by_user_id = table.Column<long>(type: "bigint", nullable: true),
                    user_email = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    updated_at = table.Column<DateTime>(type: "timestamp without time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_inventory_sync_runs", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "restore_runs",
                schema: "legacy",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false),
                    restore_request_id = table.Column<Guid>(type: "uuid", nullable: true),
                    items_restored = table.Column<int>(type: "integer", nullable: true),
                    items_failed = table.Column<int>(type: "integer", nullable: true),
                    tenant_id = table.Column<long>(type: "bigint", nullable: false),
                    status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    started_at = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    finished_at = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    error_message = table.Column<string>(type: "text", nullable: true),
                    triggered_by_user_id = table.Column<long>(type: "bigint", nullable: true),
                    user_email = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    updated_at = table.Column<DateTime>(type: "timestamp without time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_restore_runs", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "role_definition_sync_runs",
                schema: "legacy",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false),
                    roles_synced = table.Column<int>(type: "integer", nullable: true),
                    tenant_id = table.Column<long>(type: "bigint", nullable: false),
                    status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    started_at = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    finished_at = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    error_message = table.Column<string>(type: "text", nullable: true),
                    triggered_by_user_id = table.Column<long>(type: "bigint", nullable: true),
                    user_email = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    updated_at = table.Column<DateTime>(type: "timestamp without time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_role_definition_sync_runs", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "tenant_mappings",
                schema: "legacy",
                columns: table => new
                {
                    legacy_tenant_id = table.Column<long>(type: "bigint", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: true),
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: true),
                    unmapped = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    mapped_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_tenant_mappings", x => x.legacy_tenant_id);
                });

            migrationBuilder.CreateTable(
                name: "tenants",
                schema: "legacy",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false),
                    name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    entra_tenant_id = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp without time zone", nullable: true),
                    updated_at = table.Column<DateTime>(type: "timestamp without time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_tenants", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_backup_schedule_runs_tenant_id",
                schema: "legacy",
                table: "backup_schedule_runs",
                column: "tenant_id");

            migrationBuilder.CreateIndex(
                name: "ix_entra_group_sync_runs_tenant_id",
                schema: "legacy",
                table: "entra_group_sync_runs",
                column: "tenant_id");

            migrationBuilder.CreateIndex(
                name: "ix_inventory_sync_runs_tenant_id",
                schema: "legacy",
                table: "inventory_sync_runs",
                column: "tenant_id");

            migrationBuilder.CreateIndex(
                name: "ix_restore_runs_tenant_id",
                schema: "legacy",
                table: "restore_runs",
                column: "tenant_id");

            migrationBuilder.CreateIndex(
                name: "ix_role_definition_sync_runs_tenant_id",
                schema: "legacy",
                table: "role_definition_sync_runs",
                column: "tenant_id");

            migrationBuilder.CreateIndex(
                name: "ix_tenant_mappings_workspace_id",
                schema: "legacy",
                table: "tenant_mappings",
                column: "workspace_id");

            // Read-only, enforced by the database: every write to a legacy table is rejected unless the session is the
            // importer's (SET LOCAL tenantatlas.legacy_import = 'on' inside its transaction). Statement-level, so it also
            // covers COPY, statements that touch no row, and TRUNCATE.
            migrationBuilder.Sql("""
                CREATE FUNCTION legacy.reject_writes() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF coalesce(current_setting('tenantatlas.legacy_import', true), '') <> 'on' THEN
                    RAISE EXCEPTION 'legacy.% is read-only: only the legacy importer writes it (TenantAtlas.Web legacy import)', TG_TABLE_NAME
                      USING ERRCODE = 'insufficient_privilege';
                  END IF;
                  RETURN NULL;
                END $$;
                """);
            foreach (var table in ReadOnlyTables)
            {
                migrationBuilder.Sql($"""
                    CREATE TRIGGER {table}_read_only BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON legacy.{table}
                      FOR EACH STATEMENT EXECUTE FUNCTION legacy.reject_writes();
                    """);
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var table in ReadOnlyTables)
            {
                migrationBuilder.Sql($"DROP TRIGGER {table}_read_only ON legacy.{table};");
            }

            migrationBuilder.Sql("DROP FUNCTION legacy.reject_writes();");
            migrationBuilder.DropTable(
                name: "backup_schedule_runs",
                schema: "legacy");

            migrationBuilder.DropTable(
                name: "entra_group_sync_runs",
                schema: "legacy");

            migrationBuilder.DropTable(
                name: "inventory_sync_runs",
                schema: "legacy");

            migrationBuilder.DropTable(
                name: "restore_runs",
                schema: "legacy");

            migrationBuilder.DropTable(
                name: "role_definition_sync_runs",
                schema: "legacy");

            migrationBuilder.DropTable(
                name: "tenant_mappings",
                schema: "legacy");

            migrationBuilder.DropTable(
                name: "tenants",
                schema: "legacy");
        }
    }
}
