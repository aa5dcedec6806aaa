using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace TenantAtlas.Backup.Data.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "backup");

            migrationBuilder.CreateTable(
                name: "backup_schedules",
                schema: "backup",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    cron_expression = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    time_zone_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    families = table.Column<List<string>>(type: "text[]", nullable: false),
                    keep_last = table.Column<int>(type: "integer", nullable: true),
                    keep_days = table.Column<int>(type: "integer", nullable: true),
                    enabled = table.Column<bool>(type: "boolean", nullable: false),
                    watermark = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_backup_schedules", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "backup_sets",
                schema: "backup",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    schedule_id = table.Column<Guid>(type: "uuid", nullable: true),
                    operation_run_id = table.Column<long>(type: "bigint", nullable: false),
                    run_type = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    families = table.Column<List<string>>(type: "text[]", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    item_count = table.Column<int>(type: "integer", nullable: false),
                    failed_count = table.Column<int>(type: "integer", nullable: false),
                    size_bytes = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_backup_sets", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "backup_items",
                schema: "backup",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    backup_set_id = table.Column<Guid>(type: "uuid", nullable: false),
                    family = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    graph_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    display_name = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    o_data_type = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    content = table.Column<string>(type: "jsonb", nullable: false),
                    assignments = table.Column<string>(type: "jsonb", nullable: false),
                    content_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    size_bytes = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_backup_items", x => x.id);
                    table.ForeignKey(
                        name: "fk_backup_items_backup_sets_backup_set_id",
                        column: x => x.backup_set_id,
                        principalSchema: "backup",
                        principalTable: "backup_sets",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_backup_items_backup_set_id_family_graph_id",
                schema: "backup",
                table: "backup_items",
                columns: new[] { "backup_set_id", "family", "graph_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_backup_schedules_enabled",
                schema: "backup",
                table: "backup_schedules",
                column: "enabled",
                filter: "enabled");

            migrationBuilder.CreateIndex(
                name: "ix_backup_schedules_tenant_id_name",
                schema: "backup",
                table: "backup_schedules",
                columns: new[] { "tenant_id", "name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_backup_schedules_workspace_id",
                schema: "backup",
                table: "backup_schedules",
                column: "workspace_id");

            migrationBuilder.CreateIndex(
                name: "ix_backup_sets_operation_run_id",
                schema: "backup",
                table: "backup_sets",
                column: "operation_run_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_backup_sets_schedule_id_created_at",
                schema: "backup",
                table: "backup_sets",
                columns: new[] { "schedule_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_backup_sets_tenant_id_created_at",
                schema: "backup",
                table: "backup_sets",
                columns: new[] { "tenant_id", "created_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "backup_items",
                schema: "backup");

            migrationBuilder.DropTable(
                name: "backup_schedules",
                schema: "backup");

            migrationBuilder.DropTable(
                name: "backup_sets",
                schema: "backup");
        }
    }
}
