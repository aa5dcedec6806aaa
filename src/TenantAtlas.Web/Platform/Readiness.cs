using System.Text.Json;
using Hangfire;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using TenantAtlas.BuildingBlocks.Database;

namespace TenantAtlas.Web.Platform;

/// <summary>
/// <c>/readyz</c>: whether this process can do its work — PostgreSQL answers, every module's migrations are applied,
/// Hangfire's storage answers and, in a process that runs jobs, its Hangfire server is heartbeating. 200 when all hold,
/// 503 otherwise, with one line per check for the operator (and the load balancer's status code). <c>/healthz</c> stays
/// the liveness probe: it never touches the database, so a database outage does not get healthy processes restarted.
/// The answer never carries connection details; the reason for a failed check is logged.
/// </summary>
internal static class Readiness
{
    public const string Path = "/readyz";

    private const string Tag = "ready";

    /// <summary>How long one check may take before it counts as failed: a readiness probe must answer promptly.</summary>
    internal static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    public static IServiceCollection AddReadiness(this IServiceCollection services, HostRole role, IConfiguration configuration)
    {
        var checks = services.AddHealthChecks()
            .AddCheck<DatabaseCheck>("database", tags: [Tag], timeout: CheckTimeout)
            .AddCheck<MigrationsCheck>("migrations", tags: [Tag], timeout: CheckTimeout)
            .AddCheck<HangfireStorageCheck>("hangfire_storage", tags: [Tag], timeout: CheckTimeout);
        if (role.RunsJobs() && configuration.GetValue("Hangfire:Server:Enabled", true))
        {
            checks.AddCheck<HangfireServerCheck>("hangfire_server", tags: [Tag], timeout: CheckTimeout);
        }

        return services;
    }

    public static void MapReadiness(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapHealthChecks(Path, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(Tag),
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
            ResponseWriter = WriteAsync,
        }).AllowAnonymous();

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        var body = new
        {
            status = Wire(report.Status),
            checks = report.Entries.Select(e => new
            {
                name = e.Key,
                status = Wire(e.Value.Status),
                description = e.Value.Description ?? (e.Value.Status == HealthStatus.Healthy ? "ok" : "did not answer in time"),
                durationMs = Math.Round(e.Value.Duration.TotalMilliseconds, 1),
            }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, JsonSerializerOptions.Web));
    }

    private static string Wire(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "healthy",
        HealthStatus.Degraded => "degraded",
        _ => "unhealthy",
    };

    private sealed class DatabaseCheck(IConfiguration configuration, ILogger<DatabaseCheck> logger) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await using var connection = new NpgsqlConnection(configuration.GetTenantAtlasConnectionString());
                await connection.OpenAsync(cancellationToken);
                await using var command = new NpgsqlCommand("SELECT 1", connection);
                await command.ExecuteScalarAsync(cancellationToken);
                return HealthCheckResult.Healthy("PostgreSQL answers.");
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Readiness: PostgreSQL did not answer");
                return HealthCheckResult.Unhealthy("PostgreSQL does not answer.");
            }
        }
    }

    private sealed class MigrationsCheck(IEnumerable<IModuleDatabase> databases, ILogger<MigrationsCheck> logger) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var behind = new List<string>();
            try
            {
                foreach (var database in databases)
                {
                    var pending = await database.PendingMigrationsAsync(cancellationToken);
                    if (pending.Count > 0)
                    {
                        behind.Add($"{database.Module} ({pending.Count})");
                    }
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Readiness: could not read the applied migrations");
                return HealthCheckResult.Unhealthy("Could not read the applied migrations (is the database reachable?).");
            }

            return behind.Count == 0
                ? HealthCheckResult.Healthy("Every module's migrations are applied.")
                : HealthCheckResult.Unhealthy($"Migrations not applied: {string.Join(", ", behind)}. Run the migrate step (scripts/run.sh does it).");
        }
    }

    private sealed class HangfireStorageCheck(JobStorage storage, ILogger<HangfireStorageCheck> logger) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                // Hangfire's storage API is synchronous; one cheap read of its schema proves the storage answers.
                _ = storage.GetMonitoringApi().Servers();
                return Task.FromResult(HealthCheckResult.Healthy("The job storage answers."));
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Readiness: Hangfire's storage did not answer");
                return Task.FromResult(HealthCheckResult.Unhealthy("The job storage does not answer."));
            }
        }
    }

    /// <summary>This process's Hangfire server is registered and heartbeating (Hangfire beats every 30 s by default).</summary>
    private sealed class HangfireServerCheck(JobStorage storage, TimeProvider clock, ILogger<HangfireServerCheck> logger) : IHealthCheck
    {
        private static readonly TimeSpan MaxHeartbeatAge = TimeSpan.FromSeconds(90);

        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                var prefix = $"{Environment.MachineName}:{Environment.ProcessId}:".ToLowerInvariant();
                var mine = storage.GetMonitoringApi().Servers().Where(s => s.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).ToList();
                if (mine.Count == 0)
                {
                    return Task.FromResult(HealthCheckResult.Unhealthy("This process's job server has not registered (yet)."));
                }

                var newest = mine.Max(s => s.Heartbeat ?? s.StartedAt);
                var age = clock.GetUtcNow().UtcDateTime - DateTime.SpecifyKind(newest, DateTimeKind.Utc);
                return Task.FromResult(age <= MaxHeartbeatAge
                    ? HealthCheckResult.Healthy($"This process's job server is heartbeating ({mine.Sum(s => s.WorkersCount)} workers).")
                    : HealthCheckResult.Unhealthy($"This process's job server last heartbeat {age.TotalSeconds:0} s ago."));
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Readiness: could not read the job servers");
                return Task.FromResult(HealthCheckResult.Unhealthy("Could not read the job servers (is the job storage reachable?)."));
            }
        }
    }
}
