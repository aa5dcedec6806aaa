using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using MudBlazor.Services;
using TenantAtlas.Access.Contracts;
using TenantAtlas.BuildingBlocks.Database;
using TenantAtlas.BuildingBlocks.Modules;
using TenantAtlas.Web.Components;
using TenantAtlas.Web.Demo;

namespace TenantAtlas.Web.Platform;

/// <summary>Wiring only: every module adds itself; the host picks the role and the pipeline.</summary>
internal static class HostComposition
{
    public static void AddTenantAtlas(this WebApplicationBuilder builder, HostRole role)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        var connectionString = configuration.GetTenantAtlasConnectionString();

        services.AddSingleton(TimeProvider.System);
        services.AddHttpContextAccessor();
        services.AddProblemDetails();
        services.AddExceptionHandler<HostExceptionHandler>();

        // Data Protection: one application name and one key ring in PostgreSQL, so every web and worker process
        // (started from any folder) can read what another protected.
        services.AddDbContext<KeysDbContext>(o => ModuleDatabaseRegistration.ConfigureNpgsql(o, connectionString, KeysDbContext.Schema));
        services.AddSingleton<IModuleDatabase>(sp => new KeysDatabase(sp));
        var dataProtection = services.AddDataProtection().SetApplicationName("TenantAtlas").PersistKeysToDbContext<KeysDbContext>();
        if (configuration["DataProtection:CertificatePath"] is { Length: > 0 } certificatePath)
        {
            // Production: the key ring itself is encrypted with a certificate from configuration.
            dataProtection.ProtectKeysWithCertificate(
                System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12FromFile(
                    certificatePath, configuration["DataProtection:CertificatePassword"]));
        }

        // Every module of the catalogue (src/modules.txt), in its order.
        foreach (var module in ModuleCatalogue.Modules)
        {
            module.Module.AddServices(services, configuration, builder.Environment);
        }

        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();

        var storageOptions = new PostgreSqlStorageOptions
        {
            SchemaName = "hangfire",
            PrepareSchemaIfNecessary = true,
            QueuePollInterval = TimeSpan.FromMilliseconds(configuration.GetValue("Hangfire:QueuePollMilliseconds", 1000)),
        };
        // This host's storage and job activator, registered before AddHangfire: Hangfire would otherwise hand this host
        // JobStorage.Current and JobActivator.Current, which are process-global — with two hosts in one process (tests,
        // benchmarks) the last one configured wins, and a worker would build its job from the other host's container,
        // i.e. run against the other host's database.
        services.AddSingleton<JobStorage>(_ => new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, storageOptions), storageOptions));
        services.AddSingleton<JobActivator>(provider => new AspNetCoreJobActivator(provider.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire((provider, cfg) => cfg
            .UseLogProvider(new HangfireLogging(provider.GetRequiredService<ILoggerFactory>()))
            .UseActivator(provider.GetRequiredService<JobActivator>())
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseStorage(provider.GetRequiredService<JobStorage>()));
        builder.AddShutdownTimeouts();
        if (role.RunsJobs() && configuration.GetValue("Hangfire:Server:Enabled", true))
        {
            services.AddHangfireServer(o =>
            {
                ShutdownTimeouts.Apply(o, configuration);
                o.WorkerCount = configuration.GetValue("Hangfire:WorkerCount", Math.Min(20, Environment.ProcessorCount * 5));
                o.SchedulePollingInterval = TimeSpan.FromSeconds(configuration.GetValue("Hangfire:SchedulePollingSeconds", 5));
                o.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}:{role.ToString().ToLowerInvariant()}";
            });
        }

        services.AddScoped<DemoSeeder>();
        services.AddSingleton<DemoRunHistory>();
        if (configuration.GetValue(DemoRestoreSeed.Setting, false))
        {
            services.AddHostedService<DemoRestoreSeed>();
        }

        services.AddReadiness(role, configuration);
    }

    public static void UseTenantAtlas(this WebApplication app, HostRole role)
    {
        // Liveness: the process answers. Readiness: it can do its work (Readiness.cs).
        app.MapGet("/healthz", () => Results.Text("ok")).AllowAnonymous();
        app.MapReadiness();
        foreach (var module in ModuleCatalogue.Modules)
        {
            module.Module.Start(app);
        }

        if (!role.ServesWeb())
        {
            return;
        }

        if (app.Environment.IsDevelopment())
        {
            app.UseDeveloperExceptionPage();
        }
        else
        {
            // Friendly error page, no stack traces; HostExceptionHandler picks the status (503 while the database is
            // unavailable, 4xx for a body the server could not read) and answers /api with ProblemDetails itself.
            app.UseExceptionHandler("/error", createScopeForErrors: true);
        }

        // Friendly 404/403 pages for browsers; APIs answer ProblemDetails (also for a bare 401/404 from auth or routing).
        app.UseWhen(
            context => !context.Request.Path.StartsWithSegments("/api"),
            branch => branch.UseStatusCodePagesWithReExecute("/status/{0}", createScopeForStatusCodePages: true));
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/api"), branch => branch.UseStatusCodePages());

        // Text the database cannot store is refused here, once for every page and endpoint (inside the status-code pages,
        // so a page's 400 is the friendly status page).
        app.UseMiddleware<StorableInputGuard>();

        // Routing after the status-code pages, so a re-executed request (/status/403) is routed again.
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        // After authorization: only a platform administrator learns that a malformed job id is a 404.
        app.UseWhen(context => HangfireJobIds.IsMalformed(context.Request), branch => branch.Run(context =>
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }));

        app.MapStaticAssets();
        app.MapRazorComponents<App>()
            .AddInteractiveServerRenderMode()
            .AddAdditionalAssemblies(ModuleAssemblies.Pages);
        foreach (var module in ModuleCatalogue.Modules)
        {
            module.Module.MapEndpoints(app);
        }

        // The dashboard's own filter answers 401; protect the endpoint with our policy instead (sign-in redirect, 403).
        app.MapHangfireDashboard(HangfireJobIds.DashboardPath, new DashboardOptions
        {
            Authorization = [],
            AppPath = "/admin",
            DisplayStorageConnectionString = false,
            DashboardTitle = "TenantAtlas · Hangfire",
        }).RequireAuthorization(AccessPolicies.PlatformAdmin);
    }

    private sealed class KeysDatabase(IServiceProvider services) : IModuleDatabase
    {
        public string Module => "Platform";

        public async Task MigrateAsync(CancellationToken cancellationToken)
        {
            await using var scope = services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<KeysDbContext>().Database.MigrateAsync(cancellationToken);
        }

        public async Task<IReadOnlyList<string>> PendingMigrationsAsync(CancellationToken cancellationToken)
        {
            await using var scope = services.CreateAsyncScope();
            return [.. await scope.ServiceProvider.GetRequiredService<KeysDbContext>().Database.GetPendingMigrationsAsync(cancellationToken)];
        }
    }
}

internal static class ModuleAssemblies
{
    /// <summary>Assemblies whose routable pages the router knows, besides the host's own: every catalogued module's.</summary>
    public static readonly System.Reflection.Assembly[] Pages = [.. ModuleCatalogue.Modules.Select(m => m.Assembly)];
}
