using TenantAtlas.Web.Demo;
using TenantAtlas.Web.Platform;

// Commands: (none) run the portal · migrate · seed-demo · seed-bench-tenants · tokens · legacy import|backfill. Options: --role web|worker|all.
var command = args.Length > 0 && !args[0].StartsWith('-') ? args[0] : "run";
var options = command == "run" && (args.Length == 0 || args[0] != "run") ? args : args[1..];
var builder = WebApplication.CreateBuilder(options);
var role = HostRoles.Parse(builder.Configuration["role"]);
if (!builder.Environment.IsProduction())
{
    // Serve MudBlazor/Blazor static files from the build output outside Development too (the demo runs as "Demo").
    builder.WebHost.UseStaticWebAssets();
}

builder.AddTenantAtlas(command == "run" ? role : HostRole.Web);
var app = builder.Build();

switch (command)
{
    case "run":
        app.UseTenantAtlas(role);
        await app.RunAsync();
        return 0;

    case "migrate":
        await DatabaseSetup.MigrateAllAsync(app.Services, app.Logger);
        return 0;

    case "seed-demo":
        if (app.Environment.IsProduction() && !builder.Configuration.GetValue("Demo:AllowInProduction", false))
        {
            app.Logger.LogError("Refusing to seed demo accounts in Production. Set Demo__AllowInProduction=true if you really mean it.");
            return 2;
        }

        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync();
        }

        return 0;

    case "seed-bench-tenants":
        if (app.Environment.IsProduction() && !builder.Configuration.GetValue("Demo:AllowInProduction", false))
        {
            app.Logger.LogError("Refusing to seed benchmark tenants in Production. Set Demo__AllowInProduction=true if you really mean it.");
            return 2;
        }

        return await BenchTenantsCommand.RunAsync(app.Services, options);

    case "tokens":
        return await TokenCommand.RunAsync(app.Services, options);

    case "legacy":
        return await TenantAtlas.Legacy.Contracts.LegacyCommand.RunAsync(app.Services, options);

    default:
        await Console.Error.WriteLineAsync($"Unknown command '{command}'. Commands: run (default), migrate, seed-demo, seed-bench-tenants --count N, tokens create --user EMAIL [--expires DAYS] [--name NAME], legacy import (--from CONN | --csv DIR), legacy backfill.");
        return 2;
}

/// <summary>Entry point, visible to WebApplicationFactory.</summary>
public partial class Program;
