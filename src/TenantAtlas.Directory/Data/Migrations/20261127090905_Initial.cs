using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TenantAtlas.Directory.Data.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "directory");

            migrationBuilder.CreateTable(
                name: "groups",
                schema: "directory",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    graph_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    display_name = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    description = table.Column<string>(type: "text", nullable: true),
                    mail = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    security_enabled = table.Column<bool>(type: "boolean", nullable: false),
                    mail_enabled = table.Column<bool>(type: "boolean", nullable: false),
                    group_types = table.Column<List<string>>(type: "text[]", nullable: false),
                    content_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    first_seen_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_seen_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    deleted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_seen_run_id = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_groups", x => new { x.tenant_id, x.graph_id });
                });

            migrationBuilder.CreateTable(
                name: "role_definitions",
                schema: "directory",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    graph_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    display_name = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    description = table.Column<string>(type: "text", nullable: true),
                    is_built_in = table.Column<bool>(type: "boolean", nullable: false),
                    is_deleted = table.Column<bool>(type: "boolean", nullable: false),
                    deleted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    content_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    first_seen_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_seen_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_seen_run_id = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_role_definitions", x => new { x.tenant_id, x.graph_id });
                });

            migrationBuilder.CreateTable(
                name: "sync_states",
                schema: "directory",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    groups_delta_link = table.Column<string>(type: "text", nullable: true),
                    groups_synced_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    groups_run_id = table.Column<long>(type: "bigint", nullable: true),
                    groups_full_sync_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    role_definitions_synced_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    role_definitions_run_id = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sync_states", x => x.tenant_id);
                });

            migrationBuilder.CreateTable(
                name: "tenant_settings",
                schema: "directory",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    protected_group_ids = table.Column<List<string>>(type: "text[]", nullable: false),
                    delegated_admin_role_definition_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_by_user_id = table.Column<Guid>(type: "uuid", nullable: true),
                    updated_by = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_tenant_settings", x => x.tenant_id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_groups_tenant_id_display_name",
                schema: "directory",
                table: "groups",
                columns: new[] { "tenant_id", "display_name" },
                filter: "deleted_at IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "groups",
                schema: "directory");

            migrationBuilder.DropTable(
                name: "role_definitions",
                schema: "directory");

            migrationBuilder.DropTable(
                name: "sync_states",
                schema: "directory");

            migrationBuilder.DropTable(
                name: "tenant_settings",
                schema: "directory");
        }
    }
}
