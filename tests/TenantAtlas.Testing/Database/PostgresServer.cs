using Npgsql;
using Testcontainers.PostgreSql;

namespace TenantAtlas.Testing.Database;

/// <summary>
/// One PostgreSQL server per test process, from the first source that works:
/// <list type="number">
/// <item><c>TENANTATLAS_TEST_DB</c> (a server connection string; databases are created and dropped in it);</item>
/// <item>Testcontainers, when a Docker engine answers;</item>
/// <item>a throwaway server started from the local PostgreSQL binaries (<c>/usr/lib/postgresql/*/bin</c>), as <c>postgres</c> when root.</item>
/// </list>
/// </summary>
public static class PostgresServer
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? adminConnectionString;

    /// <summary>A connection string to the server's <c>postgres</c> database, for creating and dropping test databases.</summary>
    public static async Task<string> GetAdminConnectionStringAsync()
    {
        if (adminConnectionString is not null)
        {
            return adminConnectionString;
        }

        await Gate.WaitAsync();
        try
        {
            adminConnectionString ??= await StartAsync();
            return adminConnectionString;
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task<string> StartAsync()
    {
        if (Environment.GetEnvironmentVariable("TENANTATLAS_TEST_DB") is { Length: > 0 } given)
        {
            return new NpgsqlConnectionStringBuilder(given) { Database = "postgres", Pooling = true, MaxPoolSize = 20 }.ConnectionString;
        }

        var docker = await TryTestcontainersAsync();
        if (docker is not null)
        {
            return docker;
        }

        var server = await LocalPostgres.StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                server.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
            catch (Exception)
            {
                // Best effort at process exit.
            }
        };
        return server.AdminConnectionString;
    }

    private static async Task<string?> TryTestcontainersAsync()
    {
        try
        {
            var container = new PostgreSqlBuilder("postgres:15-alpine")
                .WithCommand("-c", "max_connections=300", "-c", "fsync=off")
                .Build();
            await container.StartAsync();
            AppDomain.CurrentDomain.ProcessExit += (_, _) => container.DisposeAsync().AsTask().GetAwaiter().GetResult();
            return new NpgsqlConnectionStringBuilder(container.GetConnectionString()) { Database = "postgres" }.ConnectionString;
        }
        catch (Exception e) when (e.GetType().Name.Contains("Docker", StringComparison.Ordinal) || e is InvalidOperationException or ArgumentException or TimeoutException)
        {
            // No Docker engine here (the usual case on our machines): fall back to local binaries.
            return null;
        }
    }
}
