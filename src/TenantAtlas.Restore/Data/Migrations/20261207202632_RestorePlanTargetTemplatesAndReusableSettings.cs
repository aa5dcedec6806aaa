using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TenantAtlas.Restore.Data.Migrations
{
    /// <inheritdoc />
    public partial class RestorePlanTargetTemplatesAndReusableSettings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "target_notification_templates",
                schema: "restore",
                table: "restore_plans",
                type: "jsonb",
                nullable: false,
                defaultValue: "[]"); // plans stored before read none: an empty list, valid jsonb

            migrationBuilder.AddColumn<string>(
                name: "target_reusable_settings",
                schema: "restore",
                table: "restore_plans",
                type: "jsonb",
                nullable: false,
                defaultValue: "[]"); // plans stored before read none: an empty list, valid jsonb
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "target_notification_templates",
                schema: "restore",
                table: "restore_plans");

            migrationBuilder.DropColumn(
                name: "target_reusable_settings",
                schema: "restore",
                table: "restore_plans");
        }
    }
}
