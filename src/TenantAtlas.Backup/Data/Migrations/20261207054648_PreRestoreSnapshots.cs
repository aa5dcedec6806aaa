using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TenantAtlas.Backup.Data.Migrations
{
    /// <inheritdoc />
    public partial class PreRestoreSnapshots : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "pre_restore_of_request_id",
                schema: "backup",
                table: "backup_sets",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_backup_sets_pre_restore_of_request_id",
                schema: "backup",
                table: "backup_sets",
                column: "pre_restore_of_request_id",
                filter: "pre_restore_of_request_id IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_backup_sets_pre_restore_of_request_id",
                schema: "backup",
                table: "backup_sets");

            migrationBuilder.DropColumn(
                name: "pre_restore_of_request_id",
                schema: "backup",
                table: "backup_sets");
        }
    }
}
