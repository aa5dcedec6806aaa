using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TenantAtlas.Operations.Data.Migrations
{
    /// <inheritdoc />
    public partial class LegacyReference : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "legacy_id",
                schema: "operations",
                table: "operation_runs",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "legacy_table",
                schema: "operations",
                table: "operation_runs",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_operation_runs_legacy_table_legacy_id",
                schema: "operations",
                table: "operation_runs",
                columns: new[] { "legacy_table", "legacy_id" },
                unique: true,
                filter: "legacy_table IS NOT NULL");

            migrationBuilder.AddCheckConstraint(
                name: "ck_operation_runs_legacy_reference",
                schema: "operations",
                table: "operation_runs",
                sql: "(legacy_table IS NULL) = (legacy_id IS NULL)");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_operation_runs_legacy_table_legacy_id",
                schema: "operations",
                table: "operation_runs");

            migrationBuilder.DropCheckConstraint(
                name: "ck_operation_runs_legacy_reference",
                schema: "operations",
                table: "operation_runs");

            migrationBuilder.DropColumn(
                name: "legacy_id",
                schema: "operations",
                table: "operation_runs");

            migrationBuilder.DropColumn(
                name: "legacy_table",
                schema: "operations",
                table: "operation_runs");
        }
    }
}
