using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TenantAtlas.Restore.Data.Migrations
{
    /// <inheritdoc />
    public partial class RestoreRollbackSourceSets : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<List<Guid>>(
                name: "more_source_set_ids",
                schema: "restore",
                table: "restore_requests",
                type: "uuid[]",
                nullable: false,
                // Requests made before: none has further sets.
                defaultValueSql: "'{}'::uuid[]");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "more_source_set_ids",
                schema: "restore",
                table: "restore_requests");
        }
    }
}
