using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TenantAtlas.Testing.Database;
using TenantAtlas.Web.Demo;
using TenantAtlas.Web.Platform;
using Xunit;

namespace TenantAtlas.Testing.Hosting;

/// <summary>
/// The real host (Program) against a test database. Hangfire's server is off unless a test asks for it
/// (tests that run jobs share one non-parallel collection: Hangfire keeps global state).
/// </summary>
public class TenantAtlasApp : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> settings = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<Action<IServiceCollection>> serviceOverrides = [];

    public TenantAtlasApp(string connectionString, string environment = "Testing")
    {
        ConnectionString = connectionString;
        Environment = environment;
        settings["TENANTATLAS_DB"] = connectionString;
        settings["Hangfire:Server:Enabled"] = "false";
        // Tests count runs: no demo history unless a test asks for it.
        settings["Demo:History"] = "false";
        settings["Demo:BackupSchedules"] = "false";
        settings["Demo:LegacyHistory"] = "false";
    }

    public string ConnectionString { get; }

    public string Environment { get; }

    public TenantAtlasApp WithSetting(string key, string? value)
    {
        settings[key] = value;
        return this;
    }

    public TenantAtlasApp WithServices(Action<IServiceCollection> configure)
    {
        serviceOverrides.Add(configure);
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(Environment);
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        builder.ConfigureTestServices(services =>
        {
            foreach (var configure in serviceOverrides)
            {
                configure(services);
            }
        });
    }

    /// <summary>An HTTP client that keeps cookies and does not follow redirects (tests assert on 302s).</summary>
    public HttpClient CreateBrowserLikeClient() =>
        CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true, BaseAddress = new Uri("http://localhost") });

    public async Task<DemoIds> SeedDemoAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync();
    }

    /// <summary>Applies all migrations to a database, exactly as the host's <c>migrate</c> command does.</summary>
    public static async Task MigrateAsync(string connectionString)
    {
        await using var app = new TenantAtlasApp(connectionString);
        await DatabaseSetup.MigrateAllAsync(app.Services, app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("migrate"));
    }

    public static Task<TestDatabase> CreateDatabaseAsync() => TestDatabase.CreateAsync(MigrateAsync);

    /// <summary>
    /// A migrated database on a server the test owns (one it stops and starts again, so no other test class loses its
    /// database); returns its connection string.
    /// </summary>
    public static async Task<string> CreateMigratedDatabaseAsync(LocalPostgres server, string name)
    {
        await using (var admin = new Npgsql.NpgsqlConnection(server.AdminConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new Npgsql.NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
            await create.ExecuteNonQueryAsync();
        }

        var connectionString = new Npgsql.NpgsqlConnectionStringBuilder(server.AdminConnectionString) { Database = name }.ConnectionString;
        await MigrateAsync(connectionString);
        return connectionString;
    }
}

/// <summary>A class fixture: its own migrated database with demo data, and the app on it.</summary>
public class AppFixture : IAsyncLifetime
{
    public TestDatabase Database { get; private set; } = default!;

    public TenantAtlasApp App { get; private set; } = default!;

    public DemoIds Demo { get; private set; } = default!;

    protected virtual TenantAtlasApp CreateApp(string connectionString) => new(connectionString);

    public async Task InitializeAsync()
    {
        Database = await TenantAtlasApp.CreateDatabaseAsync();
        App = CreateApp(Database.ConnectionString);
        Demo = await App.SeedDemoAsync();
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Database.DisposeAsync();
    }

    public Task<HttpClient> SignedInAsync(string email) => App.SignedInClientAsync(email);
}
