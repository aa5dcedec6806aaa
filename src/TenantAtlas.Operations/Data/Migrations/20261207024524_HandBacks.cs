using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TenantAtlas.Operations.Data.Migrations
{
    /// <inheritdoc />
    public partial class HandBacks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "hand_backs",
                schema: "operations",
                table: "operation_runs",
                type: "integer",
                nullable: false,
                defaultValue: 0);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "hand_backs",
                schema: "operations",
                table: "operation_runs");
        }
    }
}
