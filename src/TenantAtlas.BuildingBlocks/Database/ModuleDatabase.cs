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

    /// <summary>Migrations of this module not yet applied to the database (readiness: a process must not serve an older schema).</summary>
    Task<IReadOnlyList<string>> PendingMigrationsAsync(CancellationToken cancellationToken);
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

    public async Task<IReadOnlyList<string>> PendingMigrationsAsync(CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return [.. await db.Database.GetPendingMigrationsAsync(cancellationToken)];
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
    /// <c>TENANTATLAS_DB</c> wins, then <c>ConnectionStrings:Default</c>, used as given with Npgsql's defaults: pooled
    /// connections are reset when returned, and statements are not prepared automatically. <c>Max Auto Prepare</c> is
    /// refused: with it, a statement that failed during bind (a NUL byte in a text value, SQLSTATE 22021) left the
    /// connection's prepared statements out of step with the server, and the next query on that connection — another
    /// user's — read another statement's result (issue 19; ADR 0006; npgsql/npgsql#6391).
    /// </summary>
    public static string GetTenantAtlasConnectionString(this IConfiguration configuration)
    {
        var configured = configuration["TENANTATLAS_DB"] is { Length: > 0 } fromEnv
            ? fromEnv
            : configuration.GetConnectionString("Default")
              ?? throw new InvalidOperationException(
                  "No database configured: set TENANTATLAS_DB or ConnectionStrings__Default (scripts/run.sh starts a local PostgreSQL and sets it).");
        var builder = new NpgsqlConnectionStringBuilder(configured);
        if (builder.MaxAutoPrepare > 0)
        {
            throw new InvalidOperationException(
                "The database connection string sets Max Auto Prepare: remove it. Automatic preparation lets a failed statement corrupt the results of later queries on the same pooled connection (docs/adr/0006-no-automatic-statement-preparation.md).");
        }

        return builder.ConnectionString;
    }
}
