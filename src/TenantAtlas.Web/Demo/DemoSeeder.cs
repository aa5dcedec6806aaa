using TenantAtlas.Access.Contracts;
using TenantAtlas.Backup.Contracts;
using TenantAtlas.Operations.Contracts;
using TenantAtlas.Tenants.Contracts;

namespace TenantAtlas.Web.Demo;

/// <summary>
/// Idempotent demo data: Contoso (two tenants) and Fabrikam (one), and the five demo accounts.
/// The password is for demos only and is stated as such in the README.
/// </summary>
internal sealed class DemoSeeder(IAccessAdministration access, ITenantAdministration tenants, DemoRunHistory history, IBackupScheduleAdministration schedules, IConfiguration configuration, IServiceProvider services, ILogger<DemoSeeder> logger)
{
    public const string Password = "Demo!2345";

    // The demo tenants are the Graph emulator's seeded tenants (src/TenantAtlas.GraphEmulator/appsettings.json).
    public static readonly Guid ContosoEuEntraId = Guid.Parse("6f1c3e0a-2b7d-4c59-9a8e-1d2f3a4b5c6d");
    public static readonly Guid ContosoEuAppId = Guid.Parse("0b1e7a52-3c4d-4e5f-8a9b-c0d1e2f3a4b5");
    public static readonly Guid ContosoUsEntraId = Guid.Parse("1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d");
    public static readonly Guid ContosoUsAppId = Guid.Parse("3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f");
    public static readonly Guid FabrikamEntraId = Guid.Parse("a7e4d2c1-9b8f-4e3d-b2a1-0f9e8d7c6b5a");
    public static readonly Guid FabrikamAppId = Guid.Parse("5c4b3a29-1807-4f6e-9d5c-4b3a29180716");

    public async Task<DemoIds> SeedAsync(CancellationToken cancellationToken = default)
    {
        var owner = await access.EnsureUserAsync("owner@demo.test", Password, false, cancellationToken);
        var @operator = await access.EnsureUserAsync("operator@demo.test", Password, false, cancellationToken);
        var reader = await access.EnsureUserAsync("readonly@demo.test", Password, false, cancellationToken);
        var outsider = await access.EnsureUserAsync("outsider@demo.test", Password, false, cancellationToken);
        var admin = await access.EnsureUserAsync("admin@demo.test", Password, true, cancellationToken);

        var contoso = await access.EnsureWorkspaceAsync("Contoso", cancellationToken);
        var fabrikam = await access.EnsureWorkspaceAsync("Fabrikam", cancellationToken);
        await access.EnsureMembershipAsync(contoso, owner, WorkspaceRole.Owner, cancellationToken);
        await access.EnsureMembershipAsync(contoso, @operator, WorkspaceRole.Operator, cancellationToken);
        await access.EnsureMembershipAsync(contoso, reader, WorkspaceRole.Readonly, cancellationToken);
        await access.EnsureMembershipAsync(fabrikam, outsider, WorkspaceRole.Owner, cancellationToken);

        var graph = configuration["Demo:GraphBaseUrl"] is { Length: > 0 } g ? new Uri(g) : GraphDefaults.GraphBaseUrl;
        var authority = configuration["Demo:AuthorityHost"] is { Length: > 0 } a ? new Uri(a) : GraphDefaults.AuthorityHost;
        var contosoEu = await tenants.EnsureTenantAsync(contoso, "Contoso-EU", ContosoEuEntraId, ContosoEuAppId, "emulator-demo-secret-contoso", graph, authority, cancellationToken);
        var contosoUs = await tenants.EnsureTenantAsync(contoso, "Contoso-US", ContosoUsEntraId, ContosoUsAppId, "emulator-demo-secret-contoso-us", graph, authority, cancellationToken);
        var fabrikamMain = await tenants.EnsureTenantAsync(fabrikam, "Fabrikam", FabrikamEntraId, FabrikamAppId, "emulator-demo-secret-fabrikam", graph, authority, cancellationToken);
        if (configuration.GetValue("Demo:History", true))
        {
            var runs = await history.SeedDemoHistoryAsync(
            [
                new DemoTenant(contoso, contosoEu, owner, "owner@demo.test"),
                new DemoTenant(contoso, contosoUs, @operator, "operator@demo.test"),
                new DemoTenant(fabrikam, fabrikamMain, outsider, "outsider@demo.test"),
            ], cancellationToken);
            logger.LogInformation("Demo run history: {Runs} runs added", runs);
        }

        if (configuration.GetValue("Demo:History", true) && configuration.GetValue("Demo:LegacyHistory", true))
        {
            await SeedLegacyHistoryAsync(cancellationToken);
        }

        if (configuration.GetValue("Demo:BackupSchedules", true))
        {
            // Two small tenants back up a few families every five minutes (visible in /admin/operations, one run per slot);
            // the large one nightly.
            var frequent = new BackupScheduleSpec("Every 5 minutes: scripts and compliance", "*/5 * * * *", "Europe/Berlin",
                ["deviceManagementScripts", "deviceCompliancePolicies"], KeepLast: 12, KeepDays: null);
            await schedules.EnsureScheduleAsync(contosoUs, frequent, cancellationToken);
            await schedules.EnsureScheduleAsync(fabrikamMain, frequent, cancellationToken);
            await schedules.EnsureScheduleAsync(contosoEu, new BackupScheduleSpec("Nightly 02:00", "0 2 * * *", "Europe/Berlin",
                ["deviceConfigurations", "deviceCompliancePolicies", "configurationPolicies", "deviceManagementScripts"], KeepLast: 30, KeepDays: 30), cancellationToken);
        }

        logger.LogInformation("Demo data ready: workspaces Contoso and Fabrikam, 3 tenants, 5 demo users.");
        return new DemoIds(contoso, fabrikam, contosoEu, contosoUs, fabrikamMain, owner, @operator, reader, outsider, admin);
    }

    /// <summary>
    /// A year of the old system's history (Demo/legacy, written by scripts/legacy-history-csv.py: messy statuses, a schedule
    /// slot run twice, an old tenant that maps to none), imported and backfilled exactly as a cut-over does. Idempotent.
    /// </summary>
    private async Task SeedLegacyHistoryAsync(CancellationToken cancellationToken)
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "Demo", "legacy");
        foreach (var verb in new[] { new[] { "import", "--csv", directory }, ["backfill"] })
        {
            using var output = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
            if (await TenantAtlas.Legacy.Contracts.LegacyCommand.RunAsync(services, verb, output, TextWriter.Null, cancellationToken) != 0)
            {
                logger.LogWarning("Demo legacy history: legacy {Verb} failed", verb[0]);
                return;
            }

            logger.LogInformation("Demo legacy history, legacy {Verb}: {Total}", verb[0],
                output.ToString().Split('\n').FirstOrDefault(l => l.StartsWith("total", StringComparison.Ordinal))?.Trim());
        }
    }
}

public sealed record DemoIds(
    Guid Contoso, Guid Fabrikam, Guid ContosoEu, Guid ContosoUs, Guid FabrikamTenant,
    Guid Owner, Guid Operator, Guid Readonly, Guid Outsider, Guid Admin);
