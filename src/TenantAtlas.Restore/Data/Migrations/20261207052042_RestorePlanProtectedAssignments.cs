using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TenantAtlas.Restore.Data.Migrations
{
    /// <inheritdoc />
    public partial class RestorePlanProtectedAssignments : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "protected_assignments",
                schema: "restore",
                table: "restore_plan_items",
                type: "jsonb",
                nullable: false,
                defaultValueSql: "'[]'::jsonb");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "protected_assignments",
                schema: "restore",
                table: "restore_plan_items");
        }
    }
}
