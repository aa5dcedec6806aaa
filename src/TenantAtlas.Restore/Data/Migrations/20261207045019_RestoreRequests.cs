using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace TenantAtlas.Restore.Data.Migrations
{
    /// <inheritdoc />
    public partial class RestoreRequests : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "restore");

            migrationBuilder.CreateTable(
                name: "restore_plans",
                schema: "restore",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    request_id = table.Column<Guid>(type: "uuid", nullable: false),
                    operation_run_id = table.Column<long>(type: "bigint", nullable: false),
                    read_started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    references = table.Column<string>(type: "jsonb", nullable: false),
                    protected_groups = table.Column<string>(type: "jsonb", nullable: false),
                    target_assignment_filters = table.Column<string>(type: "jsonb", nullable: false),
                    target_scope_tags = table.Column<string>(type: "jsonb", nullable: false),
                    creates = table.Column<int>(type: "integer", nullable: false),
                    updates = table.Column<int>(type: "integer", nullable: false),
                    identical = table.Column<int>(type: "integer", nullable: false),
                    conflicts = table.Column<int>(type: "integer", nullable: false),
                    blocked = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_restore_plans", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "restore_requests",
                schema: "restore",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    target_tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    source_tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    source_backup_set_id = table.Column<Guid>(type: "uuid", nullable: false),
                    families = table.Column<List<string>>(type: "text[]", nullable: false),
                    item_ids = table.Column<List<long>>(type: "bigint[]", nullable: false),
                    copy_suffix = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    created_by_user_id = table.Column<Guid>(type: "uuid", nullable: false),
                    created_by = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    plan_run_id = table.Column<long>(type: "bigint", nullable: true),
                    execute_run_id = table.Column<long>(type: "bigint", nullable: true),
                    cancelled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_restore_requests", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "restore_plan_items",
                schema: "restore",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    plan_id = table.Column<Guid>(type: "uuid", nullable: false),
                    backup_item_id = table.Column<long>(type: "bigint", nullable: false),
                    family = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    source_graph_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    display_name = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    o_data_type = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    action = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    match = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    target_object_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    target_display_name = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    candidates = table.Column<string>(type: "jsonb", nullable: false),
                    content_diff = table.Column<string>(type: "jsonb", nullable: false),
                    assignment_diff = table.Column<string>(type: "jsonb", nullable: false),
                    blockers = table.Column<string>(type: "jsonb", nullable: false),
                    target_content = table.Column<string>(type: "jsonb", nullable: true),
                    target_last_modified_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    target_version = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_restore_plan_items", x => x.id);
                    table.ForeignKey(
                        name: "fk_restore_plan_items_restore_plans_plan_id",
                        column: x => x.plan_id,
                        principalSchema: "restore",
                        principalTable: "restore_plans",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "restore_item_choices",
                schema: "restore",
                columns: table => new
                {
                    request_id = table.Column<Guid>(type: "uuid", nullable: false),
                    backup_item_id = table.Column<long>(type: "bigint", nullable: false),
                    mode = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    target_object_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    chosen_by = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    chosen_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_restore_item_choices", x => new { x.request_id, x.backup_item_id });
                    table.ForeignKey(
                        name: "fk_restore_item_choices_restore_requests_request_id",
                        column: x => x.request_id,
                        principalSchema: "restore",
                        principalTable: "restore_requests",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "restore_reference_choices",
                schema: "restore",
                columns: table => new
                {
                    request_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    source_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    action = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    target_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    target_display_name = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    chosen_by = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    chosen_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_restore_reference_choices", x => new { x.request_id, x.kind, x.source_id });
                    table.ForeignKey(
                        name: "fk_restore_reference_choices_restore_requests_request_id",
                        column: x => x.request_id,
                        principalSchema: "restore",
                        principalTable: "restore_requests",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_restore_plan_items_plan_id_backup_item_id",
                schema: "restore",
                table: "restore_plan_items",
                columns: new[] { "plan_id", "backup_item_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_restore_plans_operation_run_id",
                schema: "restore",
                table: "restore_plans",
                column: "operation_run_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_restore_plans_request_id_created_at",
                schema: "restore",
                table: "restore_plans",
                columns: new[] { "request_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_restore_requests_source_backup_set_id",
                schema: "restore",
                table: "restore_requests",
                column: "source_backup_set_id");

            migrationBuilder.CreateIndex(
                name: "ix_restore_requests_target_tenant_id_created_at",
                schema: "restore",
                table: "restore_requests",
                columns: new[] { "target_tenant_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_restore_requests_workspace_id_created_at",
                schema: "restore",
                table: "restore_requests",
                columns: new[] { "workspace_id", "created_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "restore_item_choices",
                schema: "restore");

            migrationBuilder.DropTable(
                name: "restore_plan_items",
                schema: "restore");

            migrationBuilder.DropTable(
                name: "restore_reference_choices",
                schema: "restore");

            migrationBuilder.DropTable(
                name: "restore_plans",
                schema: "restore");

            migrationBuilder.DropTable(
                name: "restore_requests",
                schema: "restore");
        }
    }
}
