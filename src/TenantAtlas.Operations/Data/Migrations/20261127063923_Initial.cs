using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace TenantAtlas.Operations.Data.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "operations");

            migrationBuilder.CreateTable(
                name: "operation_runs",
                schema: "operations",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    workspace_id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: true),
                    type = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    outcome = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    identity_rule = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    identity_key = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    identity_source = table.Column<string>(type: "jsonb", nullable: false),
                    context = table.Column<string>(type: "jsonb", nullable: false),
                    summary = table.Column<string>(type: "jsonb", nullable: false),
                    failures = table.Column<string>(type: "jsonb", nullable: false),
                    initiator_kind = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    initiator_user_id = table.Column<Guid>(type: "uuid", nullable: true),
                    initiator_label = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    initiator_reason = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    retry_of_run_id = table.Column<long>(type: "bigint", nullable: true),
                    schedule_id = table.Column<Guid>(type: "uuid", nullable: true),
                    scheduled_for = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    restore_request_id = table.Column<Guid>(type: "uuid", nullable: true),
                    hangfire_job_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    dispatch_claimed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    heartbeat_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    cancellation_requested_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    completed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    completion_reason = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_operation_runs", x => x.id);
                    table.CheckConstraint("ck_operation_runs_identity_rule", "identity_rule IN ('dedupe','unique_per_click','strict_schedule')");
                    table.CheckConstraint("ck_operation_runs_initiator", "initiator_kind IN ('user','system') AND (initiator_kind = 'system') = (initiator_user_id IS NULL)");
                    table.CheckConstraint("ck_operation_runs_outcome", "outcome IN ('pending','succeeded','partially_succeeded','failed','cancelled')");
                    table.CheckConstraint("ck_operation_runs_outcome_final", "(status = 'completed') = (outcome <> 'pending')");
                    table.CheckConstraint("ck_operation_runs_schedule_slot", "identity_rule <> 'strict_schedule' OR (schedule_id IS NOT NULL AND scheduled_for IS NOT NULL)");
                    table.CheckConstraint("ck_operation_runs_status", "status IN ('queued','running','completed')");
                    table.ForeignKey(
                        name: "fk_operation_runs_operation_runs_retry_of_run_id",
                        column: x => x.retry_of_run_id,
                        principalSchema: "operations",
                        principalTable: "operation_runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_operation_runs_heartbeat_at",
                schema: "operations",
                table: "operation_runs",
                column: "heartbeat_at",
                filter: "status = 'running'");

            migrationBuilder.CreateIndex(
                name: "ix_operation_runs_id",
                schema: "operations",
                table: "operation_runs",
                column: "id",
                filter: "status = 'queued' AND hangfire_job_id IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_operation_runs_identity_key",
                schema: "operations",
                table: "operation_runs",
                column: "identity_key",
                unique: true,
                filter: "status IN ('queued','running') AND identity_rule = 'dedupe'");

            migrationBuilder.CreateIndex(
                name: "ix_operation_runs_identity_key1",
                schema: "operations",
                table: "operation_runs",
                column: "identity_key",
                unique: true,
                filter: "identity_rule = 'unique_per_click'");

            migrationBuilder.CreateIndex(
                name: "ix_operation_runs_retry_of_run_id",
                schema: "operations",
                table: "operation_runs",
                column: "retry_of_run_id",
                filter: "retry_of_run_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_operation_runs_schedule_id_scheduled_for",
                schema: "operations",
                table: "operation_runs",
                columns: new[] { "schedule_id", "scheduled_for" },
                unique: true,
                filter: "identity_rule = 'strict_schedule'");

            migrationBuilder.CreateIndex(
                name: "ix_operation_runs_tenant_id_type_id",
                schema: "operations",
                table: "operation_runs",
                columns: new[] { "tenant_id", "type", "id" },
                descending: new[] { false, false, true });

            migrationBuilder.CreateIndex(
                name: "ix_operation_runs_workspace_id_id",
                schema: "operations",
                table: "operation_runs",
                columns: new[] { "workspace_id", "id" },
                descending: new[] { false, true });

            migrationBuilder.CreateIndex(
                name: "ix_operation_runs_workspace_id_status_id",
                schema: "operations",
                table: "operation_runs",
                columns: new[] { "workspace_id", "status", "id" },
                descending: new[] { false, false, true });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "operation_runs",
                schema: "operations");
        }
    }
}
