using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace TenantAtlas.Restore.Data.Migrations
{
    /// <inheritdoc />
    public partial class RestoreExecuteLedgerAndRollback : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "rollback_of_request_id",
                schema: "restore",
                table: "restore_requests",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "deletes",
                schema: "restore",
                table: "restore_plans",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AlterColumn<long>(
                name: "backup_item_id",
                schema: "restore",
                table: "restore_plan_items",
                type: "bigint",
                nullable: true,
                oldClrType: typeof(long),
                oldType: "bigint");

            migrationBuilder.AddColumn<long>(
                name: "deletion_id",
                schema: "restore",
                table: "restore_plan_items",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "restore_item_results",
                schema: "restore",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    request_id = table.Column<Guid>(type: "uuid", nullable: false),
                    operation_run_id = table.Column<long>(type: "bigint", nullable: false),
                    plan_item_id = table.Column<long>(type: "bigint", nullable: false),
                    backup_item_id = table.Column<long>(type: "bigint", nullable: true),
                    family = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    display_name = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    o_data_type = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    planned_action = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    result = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    target_object_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    assignments_written = table.Column<bool>(type: "boolean", nullable: false),
                    error_code = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    error_message = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_restore_item_results", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "restore_request_deletions",
                schema: "restore",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    request_id = table.Column<Guid>(type: "uuid", nullable: false),
                    family = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    object_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    display_name = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    o_data_type = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    created_by_run_id = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_restore_request_deletions", x => x.id);
                    table.ForeignKey(
                        name: "fk_restore_request_deletions_restore_requests_request_id",
                        column: x => x.request_id,
                        principalSchema: "restore",
                        principalTable: "restore_requests",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_restore_requests_rollback_of_request_id",
                schema: "restore",
                table: "restore_requests",
                column: "rollback_of_request_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_restore_item_results_operation_run_id_plan_item_id",
                schema: "restore",
                table: "restore_item_results",
                columns: new[] { "operation_run_id", "plan_item_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_restore_item_results_request_id_operation_run_id",
                schema: "restore",
                table: "restore_item_results",
                columns: new[] { "request_id", "operation_run_id" });

            migrationBuilder.CreateIndex(
                name: "ix_restore_request_deletions_request_id_family_object_id",
                schema: "restore",
                table: "restore_request_deletions",
                columns: new[] { "request_id", "family", "object_id" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "restore_item_results",
                schema: "restore");

            migrationBuilder.DropTable(
                name: "restore_request_deletions",
                schema: "restore");

            migrationBuilder.DropIndex(
                name: "ix_restore_requests_rollback_of_request_id",
                schema: "restore",
                table: "restore_requests");

            migrationBuilder.DropColumn(
                name: "rollback_of_request_id",
                schema: "restore",
                table: "restore_requests");

            migrationBuilder.DropColumn(
                name: "deletes",
                schema: "restore",
                table: "restore_plans");

            migrationBuilder.DropColumn(
                name: "deletion_id",
                schema: "restore",
                table: "restore_plan_items");

            migrationBuilder.AlterColumn<long>(
                name: "backup_item_id",
                schema: "restore",
                table: "restore_plan_items",
                type: "bigint",
                nullable: false,
                defaultValue: 0L,
                oldClrType: typeof(long),
                oldType: "bigint",
                oldNullable: true);
        }
    }
}
