using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace TenantAtlas.BuildingBlocks.Database;

/// <summary>A module's database: its DbContext, schema and migrations, applied by the host's deliberate <c>migrate</c> step.</summary>
public interface IModuleDatabase
{
    string Module { get; }

    Task MigrateAsync(CancellationToken cancellationToken);
}

internal sealed class ModuleDatabase<TContext>(string module, IDbContextFactory<TContext> factory) : IModuleDatabase
    where TContext : DbContext
{
    public string Module { get; } = module;

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);
    }
}

public static class ModuleDatabaseRegistration
{
    /// <summary>
    /// Registers a module's DbContext as a factory (circuits live for minutes: one context per unit of work)
    /// with its own schema and migrations history table, and enrols it in the <c>migrate</c> step.
    /// </summary>
    public static IServiceCollection AddModuleDbContext<TContext>(this IServiceCollection services, string module, string schema)
        where TContext : DbContext
    {
        services.AddPooledDbContextFactory<TContext>((sp, options) =>
            ConfigureNpgsql(options, sp.GetRequiredService<IConfiguration>().GetTenantAtlasConnectionString(), schema));
        services.AddSingleton<IModuleDatabase>(sp =>
            new ModuleDatabase<TContext>(module, sp.GetRequiredService<IDbContextFactory<TContext>>()));
        return services;
    }

    public static DbContextOptionsBuilder ConfigureNpgsql(DbContextOptionsBuilder options, string connectionString, string schema) =>
        options.UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable("__migrations", schema))
            .UseSnakeCaseNamingConvention();

    /// <summary>
    /// <c>TENANTATLAS_DB</c> wins, then <c>ConnectionStrings:Default</c>. Unless the string says otherwise, pooled
    /// connections keep their state when returned (<c>No Reset On Close</c>: nothing here relies on session state, and it
    /// saves the reset on every DbContext) and repeated statements are prepared once per connection (<c>Max Auto Prepare</c>).
    /// </summary>
    public static string GetTenantAtlasConnectionString(this IConfiguration configuration)
    {
        var configured = configuration["TENANTATLAS_DB"] is { Length: > 0 } fromEnv
            ? fromEnv
            : configuration.GetConnectionString("Default")
              ?? throw new InvalidOperationException(
                  "No database configured: set TENANTATLAS_DB or ConnectionStrings__Default (scripts/run.sh starts a local PostgreSQL and sets it).");
        var builder = new NpgsqlConnectionStringBuilder(configured);
        if (!configured.Contains("Reset On Close", StringComparison.OrdinalIgnoreCase))
        {
            builder.NoResetOnClose = true;
        }

        if (!configured.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase))
        {
            builder.MaxAutoPrepare = 64;
        }

        return builder.ConnectionString;
    }
}
