using Hangfire;
using TenantAtlas.BuildingBlocks.Database;

namespace TenantAtlas.Web.Platform;

internal static class DatabaseSetup
{
    /// <summary>The deliberate migration step: every module's schema, then Hangfire's own schema.</summary>
    public static async Task MigrateAllAsync(IServiceProvider services, ILogger logger, CancellationToken cancellationToken = default)
    {
        foreach (var database in services.GetServices<IModuleDatabase>())
        {
            logger.LogInformation("Migrating {Module}", database.Module);
            await database.MigrateAsync(cancellationToken);
        }

        // Hangfire.PostgreSql installs its schema ("hangfire") when its storage first opens a connection.
        using var connection = services.GetRequiredService<JobStorage>().GetConnection();
        logger.LogInformation("Database is up to date.");
    }
}
