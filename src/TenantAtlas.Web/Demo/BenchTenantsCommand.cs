using System.Globalization;
using TenantAtlas.Access.Contracts;
using TenantAtlas.Backup.Contracts;
using TenantAtlas.Graph.Contracts;
using TenantAtlas.Tenants.Contracts;

namespace TenantAtlas.Web.Demo;

/// <summary>
/// <c>seed-bench-tenants --count N</c>: an MSP's fleet for the MSP-night benchmark (scripts/bench-msp-night.sh, docs/performance.md):
/// workspace "MSP bench" (owner@demo.test its owner) with tenants "Bench 001"…"Bench N", each pointing at the Graph emulator's
/// generated tenant i (<c>GraphEmulator:GeneratedTenants</c>; same identities, computed by the same rule:
/// tenant id <c>b0000000-0000-4000-8000-{i:x12}</c>, app id <c>a0000000-0000-4000-8000-{i:x12}</c>, secret
/// <c>emulator-bench-secret-{i}</c>) at <c>Demo:GraphBaseUrl</c> / <c>Demo:AuthorityHost</c>, and a nightly backup schedule of every
/// policy family the registry knows. Idempotent; demo data, refused in Production like seed-demo. Run seed-demo first (the owner).
/// </summary>
internal static class BenchTenantsCommand
{
    public const string Usage = "Usage: seed-bench-tenants --count N (1-1000) [--cron \"0 2 * * *\"] [--zone UTC]";
    public const string WorkspaceName = "MSP bench";
    public const string ScheduleName = "Nightly: every policy family";
    public const int MaxCount = 1000;

    public static Guid TenantIdOf(int i) => Guid.Parse(string.Create(CultureInfo.InvariantCulture, $"b0000000-0000-4000-8000-{i:x12}"));

    public static Guid AppIdOf(int i) => Guid.Parse(string.Create(CultureInfo.InvariantCulture, $"a0000000-0000-4000-8000-{i:x12}"));

    public static string AppSecretOf(int i) => string.Create(CultureInfo.InvariantCulture, $"emulator-bench-secret-{i}");

    public static string DisplayNameOf(int i) => string.Create(CultureInfo.InvariantCulture, $"Bench {i:000}");

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter? output = null, TextWriter? error = null, CancellationToken cancellationToken = default)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        string? Option(string name)
        {
            var index = Array.IndexOf(args, name);
            return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
        }

        if (!int.TryParse(Option("--count"), NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count is < 1 or > MaxCount)
        {
            await error.WriteLineAsync(Usage);
            return 2;
        }

        await using var scope = services.CreateAsyncScope();
        var provider = scope.ServiceProvider;
        var configuration = provider.GetRequiredService<IConfiguration>();
        var access = provider.GetRequiredService<IAccessAdministration>();
        var tenants = provider.GetRequiredService<ITenantAdministration>();
        var schedules = provider.GetRequiredService<IBackupScheduleAdministration>();
        var families = provider.GetRequiredService<IGraphContracts>().PolicyFamilies.Select(f => f.Key).ToList();

        var owner = await access.EnsureUserAsync("owner@demo.test", DemoSeeder.Password, false, cancellationToken);
        var workspace = await access.EnsureWorkspaceAsync(WorkspaceName, cancellationToken);
        await access.EnsureMembershipAsync(workspace, owner, WorkspaceRole.Owner, cancellationToken);
        var graph = configuration["Demo:GraphBaseUrl"] is { Length: > 0 } g ? new Uri(g) : GraphDefaults.GraphBaseUrl;
        var authority = configuration["Demo:AuthorityHost"] is { Length: > 0 } a ? new Uri(a) : GraphDefaults.AuthorityHost;
        var schedule = new BackupScheduleSpec(ScheduleName, Option("--cron") ?? "0 2 * * *", Option("--zone") ?? "UTC", families, KeepLast: 30, KeepDays: null);
        for (var i = 1; i <= count; i++)
        {
            var tenant = await tenants.EnsureTenantAsync(workspace, DisplayNameOf(i), TenantIdOf(i), AppIdOf(i), AppSecretOf(i), graph, authority, cancellationToken);
            await schedules.EnsureScheduleAsync(tenant, schedule, cancellationToken);
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Workspace '{WorkspaceName}': {count} tenants at {graph}, each with the schedule '{ScheduleName}' ({families.Count} policy families, {schedule.CronExpression} {schedule.TimeZoneId})."));
        return 0;
    }
}
