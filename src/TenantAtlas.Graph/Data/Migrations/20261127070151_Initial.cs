using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TenantAtlas.Graph.Data.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "graph");

            migrationBuilder.CreateTable(
                name: "throttle_budgets",
                schema: "graph",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()")
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_throttle_budgets", x => x.tenant_id);
                });

            migrationBuilder.CreateTable(
                name: "throttle_budget_slots",
                schema: "graph",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    slot = table.Column<long>(type: "bigint", nullable: false),
                    requests = table.Column<int>(type: "integer", nullable: false),
                    writes = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_throttle_budget_slots", x => new { x.tenant_id, x.slot });
                    table.CheckConstraint("ck_throttle_budget_slots_requests", "requests >= 0");
                    table.CheckConstraint("ck_throttle_budget_slots_writes", "writes >= 0");
                    table.ForeignKey(
                        name: "fk_throttle_budget_slots_throttle_budgets_tenant_id",
                        column: x => x.tenant_id,
                        principalSchema: "graph",
                        principalTable: "throttle_budgets",
                        principalColumn: "tenant_id",
                        onDelete: ReferentialAction.Cascade);
                });

            // The budget's admit-or-wait decision (hand-written; see Throttling/ThrottleBudgetSql.cs).
            migrationBuilder.Sql(TenantAtlas.Graph.Throttling.ThrottleBudgetSql.CreateFunction);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(TenantAtlas.Graph.Throttling.ThrottleBudgetSql.DropFunction);

            migrationBuilder.DropTable(
                name: "throttle_budget_slots",
                schema: "graph");

            migrationBuilder.DropTable(
                name: "throttle_budgets",
                schema: "graph");
        }
    }
}
