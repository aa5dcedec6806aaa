using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TenantAtlas.Backup.Data.Migrations
{
    /// <inheritdoc />
    public partial class OmaProtectedValues : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "protected_values",
                schema: "backup",
                table: "backup_items",
                type: "jsonb",
                nullable: false,
                defaultValueSql: "'[]'::jsonb");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "protected_values",
                schema: "backup",
                table: "backup_items");
        }
    }
}
