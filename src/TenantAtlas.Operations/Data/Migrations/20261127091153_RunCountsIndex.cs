using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TenantAtlas.Operations.Data.Migrations
{
    /// <inheritdoc />
    public partial class RunCountsIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_operation_runs_workspace_id_type",
                schema: "operations",
                table: "operation_runs",
                columns: new[] { "workspace_id", "type" })
                .Annotation("Npgsql:IndexInclude", new[] { "status", "outcome", "tenant_id", "created_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_operation_runs_workspace_id_type",
                schema: "operations",
                table: "operation_runs");
        }
    }
}
