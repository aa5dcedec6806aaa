using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TenantAtlas.Backup.Data.Migrations
{
    /// <summary>
    /// Issue 16: app protection is no longer read through the abstract <c>managedAppPolicies</c> collection (retired in the
    /// contract registry) but through its platform families. A schedule that backed up <c>managedAppPolicies</c> backs up
    /// those families from now on, in the same place of its list. Backup sets and items keep the family they were taken
    /// with: old items stay readable, and restore says why they cannot be brought back.
    /// </summary>
    public partial class AppProtectionPlatformFamilies : Migration
    {
        /// <summary>What the abstract collection held: app protection per platform and app configuration for managed apps.</summary>
        internal const string PlatformFamilies = "ARRAY['iosManagedAppProtections', 'androidManagedAppProtections', 'targetedManagedAppConfigurations']::text[]";

        /// <summary>Replaces each element of <c>families</c> the condition holds for by <paramref name="replacement"/>, keeping the order and no duplicates.</summary>
        private static string Rewrite(string condition, string replacement, string where) => $"""
            UPDATE backup.backup_schedules AS s
            SET families = (
                SELECT array_agg(x ORDER BY pos)
                FROM (
                    SELECT x, min(n * 10 + k) AS pos
                    FROM unnest(s.families) WITH ORDINALITY AS u(f, n)
                    CROSS JOIN LATERAL unnest(CASE WHEN {condition} THEN {replacement} ELSE ARRAY[f] END) WITH ORDINALITY AS v(x, k)
                    GROUP BY x) AS replaced)
            WHERE {where};
            """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(Rewrite("f = 'managedAppPolicies'", PlatformFamilies, "'managedAppPolicies' = ANY(s.families)"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(Rewrite($"f = ANY({PlatformFamilies})", "ARRAY['managedAppPolicies']::text[]", $"s.families && {PlatformFamilies}"));
        }
    }
}
