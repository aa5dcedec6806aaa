using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
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

        return await LocalServer.StartAsync();
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

    private static class LocalServer
    {
        public static async Task<string> StartAsync()
        {
            var bin = System.IO.Directory.Exists("/usr/lib/postgresql")
                ? System.IO.Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderBy(d => d).LastOrDefault()
                : null;
            if (bin is null)
            {
                throw new InvalidOperationException(
                    "No PostgreSQL for tests: set TENANTATLAS_TEST_DB, start a Docker engine, or install Debian's postgresql package (scripts/test.sh does).");
            }

            var root = Path.Combine(Path.GetTempPath(), $"tenantatlas-pg-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
            System.IO.Directory.CreateDirectory(root);
            var password = Guid.NewGuid().ToString("N");
            var pwFile = Path.Combine(root, "pw");
            await File.WriteAllTextAsync(pwFile, password);
            var isRoot = Environment.UserName == "root";
            if (isRoot)
            {
                await RunAsync("chown", ["-R", "postgres:postgres", root]);
            }

            var port = FreePort();
            await RunPgAsync(isRoot, Path.Combine(bin, "initdb"), ["-D", Path.Combine(root, "data"), "-U", "postgres", $"--pwfile={pwFile}", "--auth-host=scram-sha-256", "--auth-local=trust", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"]);
            await RunPgAsync(isRoot, Path.Combine(bin, "pg_ctl"),
            [
                "-D", Path.Combine(root, "data"), "-l", Path.Combine(root, "log"), "-w", "-t", "60",
                "-o", $"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300",
                "start",
            ]);
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                try
                {
                    RunPgAsync(isRoot, Path.Combine(bin, "pg_ctl"), ["-D", Path.Combine(root, "data"), "-m", "immediate", "stop"]).GetAwaiter().GetResult();
                    System.IO.Directory.Delete(root, recursive: true);
                }
                catch (Exception)
                {
                    // Best effort at process exit.
                }
            };
            return $"Host=127.0.0.1;Port={port};Username=postgres;Password={password};Database=postgres;Pooling=true;Maximum Pool Size=20";
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        private static Task RunPgAsync(bool isRoot, string file, string[] args) =>
            isRoot ? RunAsync("runuser", ["-u", "postgres", "--", file, .. args]) : RunAsync(file, args);

        private static async Task RunAsync(string file, string[] args)
        {
            var psi = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var a in args)
            {
                psi.ArgumentList.Add(a);
            }

            using var process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {file}.");
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {await stderr}{await stdout}");
            }
        }
    }
}
