using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TenantAtlas.Operations.Data.Migrations
{
    /// <inheritdoc />
    public partial class LostJobRedispatch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "job_redispatches",
                schema: "operations",
                table: "operation_runs",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateIndex(
                name: "ix_operation_runs_queued_with_job",
                schema: "operations",
                table: "operation_runs",
                column: "id",
                filter: "status = 'queued' AND hangfire_job_id IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_operation_runs_queued_with_job",
                schema: "operations",
                table: "operation_runs");

            migrationBuilder.DropColumn(
                name: "job_redispatches",
                schema: "operations",
                table: "operation_runs");
        }
    }
}
