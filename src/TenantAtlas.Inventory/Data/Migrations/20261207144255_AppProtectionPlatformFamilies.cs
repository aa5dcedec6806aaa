using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TenantAtlas.Inventory.Data.Migrations
{
    /// <summary>
    /// Issue 16: app protection is listed through its platform families now; the abstract <c>managedAppPolicies</c>
    /// family is retired and no sync lists it any more, so its rows would stay as if current forever. The inventory is
    /// the tenant as last listed: the next sync lists the same policies under their platform families.
    /// </summary>
    public partial class AppProtectionPlatformFamilies : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DELETE FROM inventory.inventory_items WHERE family = 'managedAppPolicies';");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Nothing to bring back: a sync with the older registry lists the family again.
        }
    }
}
