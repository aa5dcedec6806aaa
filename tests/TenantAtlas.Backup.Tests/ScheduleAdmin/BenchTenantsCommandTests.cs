using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using TenantAtlas.Backup.Data;
using TenantAtlas.Graph.Contracts;
using TenantAtlas.GraphEmulator;
using TenantAtlas.Testing.Hosting;
using TenantAtlas.Web.Demo;

namespace TenantAtlas.Backup.Tests.ScheduleAdmin;

/// <summary>The MSP-night benchmark's fleet: an emulator with generated tenants, and the app told about them by the command.</summary>
public sealed class BenchTenantsFixture : BackupFixture, IAsyncLifetime
{
    public const int Count = 2;

    public GraphEmulatorHost Emulator { get; private set; } = null!;

    protected override IDictionary<string, string?> GraphSettings
    {
        get
        {
            var settings = base.GraphSettings;
            settings[EmulatorTenants.TrustSetting] = Emulator.Certificate!.GetCertHashString(HashAlgorithmName.SHA256);
            settings["Demo:GraphBaseUrl"] = Emulator.BaseAddress.ToString();
            settings["Demo:AuthorityHost"] = Emulator.AuthorityHost!.ToString();
            return settings;
        }
    }

    public new async Task InitializeAsync()
    {
        Emulator = await GraphEmulatorHost.StartAsync(new GraphEmulatorOptions
        {
            GeneratedTenants = new GeneratedTenants { Count = Count, Template = new TenantSpec { Groups = 5, Policies = 30, BuiltInApps = 0 } },
        });
        await base.InitializeAsync();
    }

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Emulator.DisposeAsync();
    }
}

public sealed class BenchTenantsCommandTests(BenchTenantsFixture fixture) : IClassFixture<BenchTenantsFixture>
{
    private async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await BenchTenantsCommand.RunAsync(fixture.App.Services, args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task It_registers_the_emulators_generated_tenants_each_with_a_nightly_schedule_of_every_policy_family_and_their_backups_succeed()
    {
        var first = await RunAsync("--count", BenchTenantsFixture.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var again = await RunAsync("--count", BenchTenantsFixture.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));

        first.Exit.Should().Be(0, first.Error);
        again.Exit.Should().Be(0, "the command is idempotent");
        var families = fixture.App.Services.GetRequiredService<IGraphContracts>().PolicyFamilies.Select(f => f.Key).ToList();
        (await fixture.Database.ScalarAsync<long>(
            "SELECT count(*) FROM tenants.tenants t JOIN access.workspaces w ON w.id = t.workspace_id WHERE w.name = 'MSP bench'"))
            .Should().Be(BenchTenantsFixture.Count, "a second run adds nothing");
        await using var db = await fixture.App.Services.GetRequiredService<IDbContextFactory<BackupDbContext>>().CreateDbContextAsync();
        var gateway = fixture.App.Services.GetRequiredService<IGraphGateway>();
        for (var i = 1; i <= BenchTenantsFixture.Count; i++)
        {
            var tenantId = await fixture.Database.ScalarAsync<Guid>("SELECT id FROM tenants.tenants WHERE display_name = $1", BenchTenantsCommand.DisplayNameOf(i));
            var schedule = await db.Schedules.AsNoTracking().SingleAsync(s => s.TenantId == tenantId);
            schedule.Name.Should().Be(BenchTenantsCommand.ScheduleName);
            schedule.Families.Should().BeEquivalentTo(families);

            // The app's identities for tenant i are the emulator's: the sign-in works, so the two rules agree.
            var verification = await gateway.VerifyConnectionAsync(tenantId);
            verification.Status.Should().Be(ConnectionVerificationStatus.Succeeded, verification.Message);

            var run = new FakeRunContext(OperationTypes.BackupRunNow, schedule.WorkspaceId, tenantId, schedule.Id);
            await using var scope = fixture.App.Services.CreateAsyncScope();
            var result = await scope.ServiceProvider.GetRequiredKeyedService<IOperationJob>(OperationTypes.BackupRunNow).RunAsync(run, CancellationToken.None);
            var emulated = fixture.Emulator.State.GetTenant(GeneratedTenants.TenantIdOf(i));
            result.Should().Be(OperationJobResult.Succeeded, string.Join("; ", run.Failures.Select(f => f.Message)));
            run.Get(OperationSummaryKeys.Succeeded).Should().Be(families.Sum(emulated.Count)).And.BeGreaterThan(0);
        }
    }

    [Theory]
    [InlineData]
    [InlineData("--count", "0")]
    [InlineData("--count", "1001")]
    [InlineData("--count", "many")]
    public async Task Without_a_count_from_1_to_1000_it_prints_the_usage_and_changes_nothing(params string[] args)
    {
        var tenantsBefore = await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM tenants.tenants");

        var result = await RunAsync(args);

        result.Exit.Should().Be(2);
        result.Error.Should().Contain("Usage: seed-bench-tenants --count N");
        (await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM tenants.tenants")).Should().Be(tenantsBefore);
    }
}
